using Pigeon.Net;

namespace Pigeon.Portal
{
    /// <summary>
    /// The captive DNS answer as a pure function over bytes: every A query gets the access
    /// point's address, so a phone that joined the setup network finds the portal whatever name
    /// it asks for. Malformed packets are dropped (length 0), never thrown on.
    /// </summary>
    /// <remarks>
    /// Query, RFC 1035 section 4.1:
    /// <code>
    ///  0               1               2               3
    /// +---------------+---------------+---------------+---------------+
    /// |              ID               |QR|Opcode|AA|TC|RD|RA|Z |RCODE |
    /// +---------------+---------------+---------------+---------------+
    /// |            QDCOUNT (1)        |          ANCOUNT (0)          |
    /// +---------------+---------------+---------------+---------------+
    /// |            NSCOUNT (0)        |     ARCOUNT (0, or 1: EDNS)   |
    /// +---------------+---------------+---------------+---------------+
    /// | QNAME: len label len label ... 0   (labels 1..63, name &lt;= 255) |
    /// +---------------+---------------+---------------+---------------+
    /// |            QTYPE              |            QCLASS             |
    /// +---------------+---------------+---------------+---------------+
    /// </code>
    /// The answer repeats the header's ID and RD, sets QR and AA, copies the question exactly as
    /// asked (the asker's letter case, RFC 4343; pointers expanded), and for A adds one record:
    /// name = pointer to offset 12 (C0 0C), type A, class IN, TTL 0, RDLENGTH 4, the address.
    /// TTL 0 (RFC 1035 section 3.2.1: "not cached") so a phone forgets the fake answers as soon
    /// as the board has joined the home network. The longest answer is 12 + 255 + 4 + 16 = 287
    /// bytes: within the 512-byte UDP limit (RFC 1035 section 4.2.1), so never truncated.
    /// </remarks>
    public static class CaptiveDns
    {
        /// <summary>The buffer size an answer may need.</summary>
        public const int MaxAnswerBytes = 512;

        /// <summary>RFC 1035 section 2.3.4.</summary>
        public const int MaxLabel = 63;

        /// <summary>RFC 1035 section 2.3.4, counted in wire octets (length bytes and the final 0).</summary>
        public const int MaxName = 255;

        /// <summary>Compression pointers followed at most (a loop cannot make more work than this).</summary>
        public const int MaxPointers = 8;

        private const int TypeA = 1;
        private const int TypeAny = 255;
        private const int ClassIn = 1;
        private const int RcodeNotImp = 4;
        private const int RcodeRefused = 5;

        /// <summary>
        /// Builds the answer to <paramref name="count"/> query bytes at <paramref name="offset"/>
        /// into <paramref name="answer"/> (at least <see cref="MaxAnswerBytes"/> from
        /// <paramref name="answerOffset"/>). Returns the answer's length, or 0 to drop the packet.
        /// </summary>
        public static int Answer(byte[] query, int offset, int count, uint address, byte[] answer, int answerOffset)
        {
            if (query == null || answer == null || offset < 0 || count < 12 || offset + count > query.Length
                || answerOffset < 0 || answerOffset + MaxAnswerBytes > answer.Length)
            {
                return 0;
            }

            int flags = BigEndian.ReadUInt16(query, offset + 2);
            if ((flags & 0x8000) != 0)
            {
                return 0; // a response, not a query: answering could start a loop between two responders
            }

            int opcode = (flags >> 11) & 0xF;
            int qdcount = BigEndian.ReadUInt16(query, offset + 4);
            int ancount = BigEndian.ReadUInt16(query, offset + 6);
            int nscount = BigEndian.ReadUInt16(query, offset + 8);
            int arcount = BigEndian.ReadUInt16(query, offset + 10);
            if (opcode != 0)
            {
                // IQUERY, STATUS, NOTIFY, UPDATE...: header-only NOTIMP (RFC 1035 section 4.1.1).
                WriteHeader(query, offset, answer, answerOffset, flags, RcodeNotImp, 0, 0);
                return 12;
            }

            if (qdcount != 1 || ancount != 0 || nscount != 0 || arcount > 1)
            {
                return 0; // bad counts; ARCOUNT 1 is the EDNS OPT record dig and modern stubs add
            }

            // Copy the question name, expanded, after the header, checking every length.
            int read = offset + 12;
            int end = offset + count;
            int write = answerOffset + 12;
            int nameBytes = 0;
            int pointers = 0;
            int afterName = -1; // where the question continues once the name ends (after a first pointer)
            while (true)
            {
                if (read >= end)
                {
                    return 0;
                }

                int len = query[read];
                if ((len & 0xC0) == 0xC0)
                {
                    if (read + 1 >= end || ++pointers > MaxPointers)
                    {
                        return 0;
                    }

                    int target = offset + (((len & 0x3F) << 8) | query[read + 1]);
                    if (target >= read || target < offset + 12)
                    {
                        // Only backward pointers (a forward or self pointer is how loops start), and
                        // never into the header: names start after it (RFC 1035 section 4.1.4), and
                        // the header's bytes would read as some name (ID 0000 as the root).
                        return 0;
                    }

                    if (afterName < 0)
                    {
                        afterName = read + 2;
                    }

                    read = target;
                    continue;
                }

                if ((len & 0xC0) != 0)
                {
                    return 0; // 0x40/0x80 label types (RFC 6891 section 5 retired them)
                }

                if (read + 1 + len > end)
                {
                    return 0;
                }

                nameBytes += 1 + len;
                if (nameBytes > MaxName)
                {
                    return 0;
                }

                answer[write++] = (byte)len;
                if (len == 0)
                {
                    read++;
                    break;
                }

                System.Array.Copy(query, read + 1, answer, write, len);
                write += len;
                read += 1 + len;
            }

            if (afterName >= 0)
            {
                read = afterName;
            }

            if (read + 4 > end)
            {
                return 0;
            }

            int qtype = BigEndian.ReadUInt16(query, read);
            int qclass = BigEndian.ReadUInt16(query, read + 2);
            answer[write++] = query[read];
            answer[write++] = query[read + 1];
            answer[write++] = query[read + 2];
            answer[write++] = query[read + 3];

            if (qclass != ClassIn)
            {
                WriteHeader(query, offset, answer, answerOffset, flags, RcodeRefused, 1, 0);
                return write - answerOffset;
            }

            if (qtype != TypeA && qtype != TypeAny)
            {
                // AAAA and every other type: NOERROR with no records ("this name has no such
                // data", RFC 2308 section 2.2), so a phone falls back to the A answer at once
                // instead of waiting for a timeout.
                WriteHeader(query, offset, answer, answerOffset, flags, 0, 1, 0);
                return write - answerOffset;
            }

            WriteHeader(query, offset, answer, answerOffset, flags, 0, 1, 1);
            answer[write++] = 0xC0; // pointer to the question's name at offset 12
            answer[write++] = 0x0C;
            answer[write++] = 0;
            answer[write++] = TypeA;
            answer[write++] = 0;
            answer[write++] = ClassIn;
            answer[write++] = 0; // TTL 0
            answer[write++] = 0;
            answer[write++] = 0;
            answer[write++] = 0;
            answer[write++] = 0; // RDLENGTH 4
            answer[write++] = 4;
            BigEndian.WriteUInt32(answer, write, address);
            return write + 4 - answerOffset;
        }

        private static void WriteHeader(byte[] query, int offset, byte[] answer, int at, int queryFlags, int rcode, int qd, int an)
        {
            answer[at] = query[offset];
            answer[at + 1] = query[offset + 1];

            // QR=1, opcode as asked, AA=1, TC=0, RD as asked, RA=1 (stub resolvers on some phones
            // ignore answers without it), Z=0.
            int flags = 0x8000 | (queryFlags & 0x7800) | 0x0400 | (queryFlags & 0x0100) | 0x0080 | (rcode & 0xF);
            BigEndian.WriteUInt16(answer, at + 2, flags);
            BigEndian.WriteUInt16(answer, at + 4, qd);
            BigEndian.WriteUInt16(answer, at + 6, an);
            answer[at + 8] = 0;
            answer[at + 9] = 0;
            answer[at + 10] = 0;
            answer[at + 11] = 0;
        }
    }
}
