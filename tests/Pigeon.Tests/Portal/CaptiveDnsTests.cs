// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Portal;
using Pigeon.Tests.Support;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Portal
{
    /// <summary>
    /// The captive DNS answers. The "real" queries are bytes captured from Debian's dnsutils
    /// against a local UDP listener (python socket on 127.0.0.1, hex-dumped), e.g.
    /// <c>dig -p 53531 @127.0.0.1 Connectivitycheck.GStatic.com A</c> (dig 9.18, with its EDNS
    /// OPT record and cookie) and <c>nslookup -port=53534 www.msftconnecttest.com 127.0.0.1</c>.
    /// </summary>
    [TestClass]
    public class CaptiveDnsTests
    {
        // dig Connectivitycheck.GStatic.com A (ID b342, RD, AD; ARCOUNT 1 = OPT with a cookie)
        private const string DigA = "b3420120000100000000000111436f6e6e6563746976697479636865636b074753746174696303636f6d000001000100002904d000000000000c000a0008968b9fbd6365a7fd";

        // dig captive.apple.com AAAA
        private const string DigAaaa = "0fce012000010000000000010763617074697665056170706c6503636f6d00001c000100002904d000000000000c000a0008e55cf0310b0a5b79";

        // dig example.org MX +noedns
        private const string DigMx = "bcb701200001000000000000076578616d706c65036f726700000f0001";

        // nslookup www.msftconnecttest.com (A)
        private const string NslookupA = "c31201000001000000000000037777770f6d736674636f6e6e6563747465737403636f6d0000010001";

        private const uint Ap = 0xC0A80401; // 192.168.4.1

        private static byte[] Answer(byte[] query, out int length)
        {
            byte[] answer = new byte[CaptiveDns.MaxAnswerBytes];
            length = CaptiveDns.Answer(query, 0, query.Length, Ap, answer, 0);
            return answer;
        }

        [TestMethod]
        public void Answer_DigAQuery_ReturnsApAddressWithAskersCase()
        {
            byte[] query = Bytes.Hex(DigA);
            int length;
            byte[] a = Answer(query, out length);

            // header 12 + question (31 name + 4) + answer 16
            Assert.AreEqual(12 + 31 + 4 + 16, length);
            Assert.AreEqual(0xB3, (int)a[0]);
            Assert.AreEqual(0x42, (int)a[1]);
            Assert.AreEqual(0x85, (int)a[2]); // QR, opcode 0, AA, RD
            Assert.AreEqual(0x80, (int)a[3]); // RA, NOERROR
            Assert.AreEqual(1, (int)a[5]); // QDCOUNT
            Assert.AreEqual(1, (int)a[7]); // ANCOUNT
            Assert.AreEqual(0, (int)a[11]); // no OPT echoed
            Assert.AreEqual("Connectivitycheck", Bytes.Text(a, 13, 17)); // case preserved (RFC 4343)
            Assert.AreEqual("GStatic", Bytes.Text(a, 31, 7));
            int rr = 12 + 31 + 4;
            Assert.AreEqual(0xC0, (int)a[rr]);
            Assert.AreEqual(0x0C, (int)a[rr + 1]);
            Assert.AreEqual(1, (int)a[rr + 3]); // type A
            Assert.AreEqual(1, (int)a[rr + 5]); // class IN
            Assert.AreEqual(0, (int)a[rr + 9]); // TTL 0
            Assert.AreEqual(4, (int)a[rr + 11]);
            Assert.AreEqual(192, (int)a[rr + 12]);
            Assert.AreEqual(168, (int)a[rr + 13]);
            Assert.AreEqual(4, (int)a[rr + 14]);
            Assert.AreEqual(1, (int)a[rr + 15]);
        }

        [TestMethod]
        public void Answer_NslookupAQuery_AnswersWithoutRecursionDesiredEcho()
        {
            byte[] query = Bytes.Hex(NslookupA);
            int length;
            byte[] a = Answer(query, out length);
            Assert.AreEqual(query.Length + 16, length);
            Assert.AreEqual(0x85, (int)a[2]);
            Assert.AreEqual(1, (int)a[7]);
            Assert.AreEqual(1, (int)a[length - 1]);
        }

        [TestMethod]
        public void Answer_DigAaaaQuery_IsEmptyNoError()
        {
            byte[] query = Bytes.Hex(DigAaaa);
            int length;
            byte[] a = Answer(query, out length);
            Assert.AreEqual(12 + 19 + 4, length);
            Assert.AreEqual(0x80, (int)a[3] & 0x8F); // RCODE 0
            Assert.AreEqual(1, (int)a[5]);
            Assert.AreEqual(0, (int)a[7]); // no answer records
            Assert.AreEqual(28, (int)a[length - 3]); // question type AAAA echoed
        }

        [TestMethod]
        public void Answer_DigMxQuery_IsEmptyNoError()
        {
            byte[] query = Bytes.Hex(DigMx);
            int length;
            byte[] a = Answer(query, out length);
            Assert.AreEqual(query.Length, length);
            Assert.AreEqual(0, (int)a[3] & 0x0F);
            Assert.AreEqual(0, (int)a[7]);
        }

        [TestMethod]
        public void Answer_ChaosClass_IsRefused()
        {
            byte[] query = Bytes.Hex(DigMx);
            query[query.Length - 1] = 3; // CH
            int length;
            byte[] a = Answer(query, out length);
            Assert.AreEqual(query.Length, length);
            Assert.AreEqual(5, (int)a[3] & 0x0F);
        }

        [TestMethod]
        public void Answer_StatusOpcode_IsHeaderOnlyNotImp()
        {
            byte[] query = Bytes.Hex(DigMx);
            query[2] = (byte)(2 << 3); // opcode STATUS
            int length;
            byte[] a = Answer(query, out length);
            Assert.AreEqual(12, length);
            Assert.AreEqual(4, (int)a[3] & 0x0F);
            Assert.AreEqual(0, (int)a[5]);
        }

        [TestMethod]
        [DataRow("")]
        [DataRow("b342")]
        [DataRow("b34201000001000000000000")] // header only: no question
        [DataRow("b34201000001000000000000076578616d706c65")] // name not terminated
        [DataRow("b34201000001000000000000076578616d706c6500000100")] // QCLASS cut short
        [DataRow("b34281000001000000000000076578616d706c650000010001")] // QR set: a response
        [DataRow("b34201000002000000000000076578616d706c650000010001")] // QDCOUNT 2
        [DataRow("b34201000000000000000000076578616d706c650000010001")] // QDCOUNT 0
        [DataRow("b34201000001000100000000076578616d706c650000010001")] // ANCOUNT 1
        [DataRow("b34201000001000000010000076578616d706c650000010001")] // NSCOUNT 1
        [DataRow("b34201000001000000000002076578616d706c650000010001")] // ARCOUNT 2
        [DataRow("b3420100000100000000000040" + "6161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161" + "0000010001")] // label of 64
        [DataRow("b34201000001000000000000c00c0001000100")] // pointer to itself
        [DataRow("b34201000001000000000000c0100001000100")] // forward pointer
        [DataRow("b34201000001000000000000c0")] // pointer cut short
        [DataRow("b3420100000100000000000041610000010001")] // 0x40 label type
        [DataRow("000001000001000000000000c00000010001")] // pointer to offset 0: the header (ID 00 00 read as the root name)
        [DataRow("b34201000001000000000000c00500010001")] // pointer into the header's counts
        [DataRow("b34201000001000000000000c00b00010001")] // pointer to the header's last byte
        public void Answer_Malformed_IsDropped(string hex)
        {
            byte[] query = Bytes.Hex(hex);
            byte[] answer = new byte[CaptiveDns.MaxAnswerBytes];
            Assert.AreEqual(0, CaptiveDns.Answer(query, 0, query.Length, Ap, answer, 0));
        }

        [TestMethod]
        public void Answer_NameLongerThan255_IsDropped()
        {
            // five labels of 63: 5 * 64 + 1 = 321 octets on the wire
            byte[] query = LongNameQuery(5, 0);
            byte[] answer = new byte[CaptiveDns.MaxAnswerBytes];
            Assert.AreEqual(0, CaptiveDns.Answer(query, 0, query.Length, Ap, answer, 0));
        }

        [TestMethod]
        public void Answer_NameOf255_IsAnswered()
        {
            // 3 labels of 63 + one of 61 + root: 3*64 + 62 + 1 = 255 octets
            byte[] query = LongNameQuery(3, 61);
            byte[] answer = new byte[CaptiveDns.MaxAnswerBytes];
            Assert.AreEqual(12 + 255 + 4 + 16, CaptiveDns.Answer(query, 0, query.Length, Ap, answer, 0));
        }

        [TestMethod]
        public void Answer_PointerIntoHeader_IsNoAnswerForTheRootName()
        {
            // Issue 13, item 7: QNAME "\xc0\x00" points at offset 0; with ID 0x0000 the header's
            // first byte reads as the root name, and an A record for "." came back.
            byte[] query = Bytes.Hex("000001000001000000000000c00000010001");
            byte[] answer = new byte[CaptiveDns.MaxAnswerBytes];
            Assert.AreEqual(0, CaptiveDns.Answer(query, 0, query.Length, Ap, answer, 0));
        }

        [TestMethod]
        public void Answer_BackwardPointerLoopBetweenTwoLabels_IsDropped()
        {
            // name at 12: label "a", then pointer to 12 -> "a", pointer to 12 ... (a loop through a backward pointer)
            byte[] query = Bytes.Hex("b34201000001000000000000" + "0161" + "c00c" + "00010001");
            byte[] answer = new byte[CaptiveDns.MaxAnswerBytes];
            Assert.AreEqual(0, CaptiveDns.Answer(query, 0, query.Length, Ap, answer, 0));
        }

        [TestMethod]
        public void Answer_SmallAnswerBuffer_IsDroppedNotThrown()
        {
            byte[] query = Bytes.Hex(DigA);
            byte[] answer = new byte[100];
            Assert.AreEqual(0, CaptiveDns.Answer(query, 0, query.Length, Ap, answer, 0));
        }

        [TestMethod]
        public void Answer_QueryAtOffset_IsAnsweredLikeAtZero()
        {
            byte[] raw = Bytes.Hex(NslookupA);
            byte[] shifted = new byte[raw.Length + 7];
            System.Array.Copy(raw, 0, shifted, 7, raw.Length);
            byte[] answer = new byte[CaptiveDns.MaxAnswerBytes + 3];
            int length = CaptiveDns.Answer(shifted, 7, raw.Length, Ap, answer, 3);
            Assert.AreEqual(raw.Length + 16, length);
            Assert.AreEqual(0xC3, (int)answer[3]);
            Assert.AreEqual(1, (int)answer[3 + length - 1]);
        }

        // A query for an A record whose name is `labels` labels of 63 octets, then one of `last` (none when 0).
        private static byte[] LongNameQuery(int labels, int last)
        {
            int count = last > 0 ? labels + 1 : labels;
            byte[] query = new byte[12 + (labels * 64) + (last > 0 ? last + 1 : 0) + 1 + 4];
            query[5] = 1;
            int at = 12;
            for (int l = 0; l < count; l++)
            {
                int length = l < labels ? 63 : last;
                query[at++] = (byte)length;
                for (int i = 0; i < length; i++)
                {
                    query[at++] = (byte)'a';
                }
            }

            query[at++] = 0;
            query[at + 1] = 1;
            query[at + 3] = 1;
            return query;
        }
    }
}
