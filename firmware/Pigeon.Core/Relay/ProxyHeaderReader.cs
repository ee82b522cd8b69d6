using Pigeon.Net;
using Pigeon.Tls;
using Pigeon.Text;

namespace Pigeon.Relay
{
    /// <summary>
    /// Reads the PROXY protocol header a load balancer sends before the client's bytes, on a
    /// route with acceptProxy (proxy-protocol.txt; WhatsApp's official ports 8080/8443/8222 do
    /// the same). Called again with all bytes so far until it answers Done or Invalid; never
    /// throws, allocates only to parse a v1 address.
    /// <code>
    /// v1 (§2.1): "PROXY " ( "TCP4 " src " " dst " " sport " " dport | "TCP6 " ... | "UNKNOWN" ... ) "\r\n"
    ///            at most 107 bytes with the CRLF
    /// v2 (§2.2): signature(12) | ver_cmd(1): 0x20 LOCAL, 0x21 PROXY | fam(1): 0x11 TCP4, ... |
    ///            len(2) | TCP4: src(4) dst(4) sport(2) dport(2) | TLVs (skipped) ...  16 + len bytes
    /// </code>
    /// TCP6, UNKNOWN, LOCAL and other families are accepted without addresses: the relay then
    /// uses the connection's own (Pigeon is IPv4 only).
    /// </summary>
    public sealed class ProxyHeaderReader
    {
        /// <summary>Not complete yet.</summary>
        public const int NeedMore = 0;

        /// <summary>A whole valid header: see <see cref="Length"/> and the addresses.</summary>
        public const int Done = 1;

        /// <summary>Missing or malformed.</summary>
        public const int Invalid = 2;

        /// <summary>The longest v1 line (§2.1).</summary>
        public const int MaxV1Length = 107;

        /// <summary>
        /// The longest v2 header accepted: 16 bytes plus addresses and TLVs. Load balancers add
        /// a few TLVs (ALPN, authority, unique id, SSL details); 512 bytes holds them and keeps the
        /// board's admission buffer small.
        /// </summary>
        public const int MaxV2Length = 512;

        private static readonly byte[] s_v1Start = new byte[] { (byte)'P', (byte)'R', (byte)'O', (byte)'X', (byte)'Y', (byte)' ' };

        /// <summary>After Done: the header's length in bytes (the client's own bytes follow it).</summary>
        public int Length { get; private set; }

        /// <summary>After Done: true when the header carried a TCP4 client address.</summary>
        public bool HasAddresses { get; private set; }

        /// <summary>After Done with addresses: the original client's address.</summary>
        public uint SourceAddress { get; private set; }

        /// <summary>After Done with addresses: the original client's port.</summary>
        public int SourcePort { get; private set; }

        /// <summary>After Done with addresses: the address the client connected to.</summary>
        public uint DestinationAddress { get; private set; }

        /// <summary>After Done with addresses: the port the client connected to.</summary>
        public int DestinationPort { get; private set; }

        /// <summary>Reads the first <paramref name="count"/> bytes of the stream.</summary>
        public int Read(byte[] buffer, int offset, int count)
        {
            Length = 0;
            HasAddresses = false;
            SourceAddress = 0;
            SourcePort = 0;
            DestinationAddress = 0;
            DestinationPort = 0;
            if (count < 1)
            {
                return NeedMore;
            }

            return buffer[offset] == ProxyHeader.V2Signature[0] ? ReadV2(buffer, offset, count) : ReadV1(buffer, offset, count);
        }

        private int ReadV2(byte[] b, int offset, int count)
        {
            byte[] signature = ProxyHeader.V2Signature;
            for (int i = 0; i < signature.Length; i++)
            {
                if (i >= count)
                {
                    return NeedMore;
                }

                if (b[offset + i] != signature[i])
                {
                    return Invalid;
                }
            }

            if (count < 16)
            {
                return NeedMore;
            }

            int versionCommand = b[offset + 12];
            int family = b[offset + 13];
            int length = BigEndian.ReadUInt16(b, offset + 14);
            if ((versionCommand >> 4) != 2 || (versionCommand & 0x0F) > 1 || 16 + length > MaxV2Length)
            {
                return Invalid;
            }

            bool proxy = (versionCommand & 0x0F) == 1;
            if (proxy && family == 0x11 && length < 12)
            {
                return Invalid; // TCP4 with no room for its addresses
            }

            if (count < 16 + length)
            {
                return NeedMore;
            }

            if (proxy && family == 0x11)
            {
                int p = offset + 16;
                SourceAddress = BigEndian.ReadUInt32(b, p);
                DestinationAddress = BigEndian.ReadUInt32(b, p + 4);
                SourcePort = BigEndian.ReadUInt16(b, p + 8);
                DestinationPort = BigEndian.ReadUInt16(b, p + 10);
                HasAddresses = true;
            }

            Length = 16 + length;
            return Done;
        }

        private int ReadV1(byte[] b, int offset, int count)
        {
            for (int i = 0; i < s_v1Start.Length; i++)
            {
                if (i >= count)
                {
                    return NeedMore;
                }

                if (b[offset + i] != s_v1Start[i])
                {
                    return Invalid;
                }
            }

            int end = -1; // index of the '\n'
            int limit = count < MaxV1Length ? count : MaxV1Length;
            for (int i = s_v1Start.Length; i < limit; i++)
            {
                byte c = b[offset + i];
                if (c == (byte)'\n')
                {
                    end = i;
                    break;
                }

                if (c == (byte)'\r' ? (i + 1 < limit && b[offset + i + 1] != (byte)'\n') : (c < 0x20 || c > 0x7E))
                {
                    return Invalid; // a lone CR or a byte outside printable ASCII
                }
            }

            if (end < 0)
            {
                return count >= MaxV1Length ? Invalid : NeedMore;
            }

            if (end < 1 || b[offset + end - 1] != (byte)'\r')
            {
                return Invalid;
            }

            // Fields between "PROXY " and "\r\n".
            string line = Ascii.GetString(b, offset + s_v1Start.Length, end - 1 - s_v1Start.Length);
            string[] fields = line.Split(' ');
            if (fields.Length >= 1 && fields[0] == "UNKNOWN")
            {
                Length = end + 1;
                return Done;
            }

            if (fields.Length != 5 || (fields[0] != "TCP4" && fields[0] != "TCP6"))
            {
                return Invalid;
            }

            int sourcePort = Port(fields[3]);
            int destinationPort = Port(fields[4]);
            if (sourcePort < 0 || destinationPort < 0)
            {
                return Invalid;
            }

            if (fields[0] == "TCP4")
            {
                uint source;
                uint destination;
                if (!IPv4.TryParse(fields[1], out source) || !IPv4.TryParse(fields[2], out destination))
                {
                    return Invalid;
                }

                SourceAddress = source;
                DestinationAddress = destination;
                SourcePort = sourcePort;
                DestinationPort = destinationPort;
                HasAddresses = true;
            }
            else if (!LooksLikeIPv6(fields[1]) || !LooksLikeIPv6(fields[2]))
            {
                return Invalid;
            }

            Length = end + 1;
            return Done;
        }

        private static int Port(string text)
        {
            if (text.Length < 1 || text.Length > 5 || (text.Length > 1 && text[0] == '0'))
            {
                return -1;
            }

            int value = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    return -1;
                }

                value = (value * 10) + (c - '0');
            }

            return value > 65535 ? -1 : value;
        }

        private static bool LooksLikeIPv6(string text)
        {
            if (text.Length < 2 || text.Length > 45)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bool ok = c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

    }
}
