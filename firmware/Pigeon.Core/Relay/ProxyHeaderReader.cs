using Pigeon.Net;
using Pigeon.Tls;
using Pigeon.Text;
using Pigeon.Upstream;

namespace Pigeon.Relay
{
    /// <summary>
    /// Reads the PROXY protocol header a load balancer sends before the client's bytes, on a
    /// route with acceptProxy (proxy-protocol.txt; WhatsApp's official ports 8080/8443/8222 do
    /// the same). Called again with all bytes so far until it answers Done or Invalid; never
    /// throws, never allocates.
    /// <code>
    /// v1 (§2.1): "PROXY " ( "TCP4 " src " " dst " " sport " " dport | "TCP6 " ... | "UNKNOWN" ... ) "\r\n"
    ///            at most 107 bytes with the CRLF
    /// v2 (§2.2): signature(12) | ver_cmd(1): 0x20 LOCAL, 0x21 PROXY | fam(1): 0x11 TCP4, ... |
    ///            len(2) | TCP4: src(4) dst(4) sport(2) dport(2) | TLVs (skipped) ...  16 + len bytes
    ///                       0x21 TCP6: src(16) dst(16) sport(2) dport(2) | TLVs ...
    /// </code>
    /// TCP4 and TCP6 carry the client's address through (an IPv6 client behind a load balancer
    /// stays itself, and the caps count it by its /64); UNKNOWN, LOCAL and other families are
    /// accepted without addresses, and the relay then uses the connection's own.
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
        private static readonly byte[] s_unknown = new byte[] { (byte)'U', (byte)'N', (byte)'K', (byte)'N', (byte)'O', (byte)'W', (byte)'N' };
        private static readonly byte[] s_tcp4 = new byte[] { (byte)'T', (byte)'C', (byte)'P', (byte)'4' };
        private static readonly byte[] s_tcp6 = new byte[] { (byte)'T', (byte)'C', (byte)'P', (byte)'6' };

        /// <summary>After Done: the header's length in bytes (the client's own bytes follow it).</summary>
        public int Length { get; private set; }

        /// <summary>After Done: true when the header carried a TCP4 or TCP6 client address.</summary>
        public bool HasAddresses { get; private set; }

        /// <summary>After Done with addresses: the original client's address.</summary>
        public NetAddress SourceAddress { get; private set; }

        /// <summary>After Done with addresses: the original client's port.</summary>
        public int SourcePort { get; private set; }

        /// <summary>After Done with addresses: the address the client connected to.</summary>
        public NetAddress DestinationAddress { get; private set; }

        /// <summary>After Done with addresses: the port the client connected to.</summary>
        public int DestinationPort { get; private set; }

        /// <summary>Reads the first <paramref name="count"/> bytes of the stream.</summary>
        public int Read(byte[] buffer, int offset, int count)
        {
            Length = 0;
            HasAddresses = false;
            SourceAddress = new NetAddress();
            SourcePort = 0;
            DestinationAddress = new NetAddress();
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
            if (proxy && ((family == 0x11 && length < 12) || (family == 0x21 && length < 36)))
            {
                return Invalid; // TCP4 or TCP6 with no room for its addresses
            }

            if (count < 16 + length)
            {
                return NeedMore;
            }

            int p = offset + 16;
            if (proxy && family == 0x11)
            {
                SourceAddress = NetAddress.FromIPv4(BigEndian.ReadUInt32(b, p));
                DestinationAddress = NetAddress.FromIPv4(BigEndian.ReadUInt32(b, p + 4));
                SourcePort = BigEndian.ReadUInt16(b, p + 8);
                DestinationPort = BigEndian.ReadUInt16(b, p + 10);
                HasAddresses = true;
            }
            else if (proxy && family == 0x21)
            {
                SourceAddress = NetAddress.FromIPv6Bytes(b, p);
                DestinationAddress = NetAddress.FromIPv6Bytes(b, p + 16);
                SourcePort = BigEndian.ReadUInt16(b, p + 32);
                DestinationPort = BigEndian.ReadUInt16(b, p + 34);
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

            // Fields between "PROXY " and "\r\n", read in place: a family, then for TCP4 and
            // TCP6 two addresses and two ports, each separated by one space (§2.1).
            int at = offset + s_v1Start.Length;
            int stop = offset + end - 1;
            int field = FieldEnd(b, at, stop);
            int familyLength = field - at;
            if (familyLength == 7 && Same(b, at, s_unknown))
            {
                Length = end + 1;
                return Done; // UNKNOWN: the rest of the line is ignored (§2.1)
            }

            bool tcp4 = familyLength == 4 && Same(b, at, s_tcp4);
            if (!tcp4 && !(familyLength == 4 && Same(b, at, s_tcp6)))
            {
                return Invalid;
            }

            NetAddress source;
            NetAddress destination;
            int sourcePort;
            int destinationPort;
            int a = field + 1;
            int aEnd = FieldEnd(b, a, stop);
            int d = aEnd + 1;
            int dEnd = FieldEnd(b, d, stop);
            int sp = dEnd + 1;
            int spEnd = FieldEnd(b, sp, stop);
            int dp = spEnd + 1;
            int dpEnd = FieldEnd(b, dp, stop);
            if (dpEnd != stop || !NetAddress.TryParse(b, a, aEnd - a, out source) || !NetAddress.TryParse(b, d, dEnd - d, out destination)
                || HasColon(b, a, aEnd) == tcp4 || HasColon(b, d, dEnd) == tcp4
                || (sourcePort = Port(b, sp, spEnd)) < 0 || (destinationPort = Port(b, dp, dpEnd)) < 0)
            {
                return Invalid;
            }

            SourceAddress = source;
            DestinationAddress = destination;
            SourcePort = sourcePort;
            DestinationPort = destinationPort;
            HasAddresses = true;
            Length = end + 1;
            return Done;
        }

        // Where the field starting at from ends: the next space, or stop.
        private static int FieldEnd(byte[] b, int from, int stop)
        {
            int i = from;
            while (i < stop && b[i] != (byte)' ')
            {
                i++;
            }

            return i;
        }

        // TCP4 fields are dotted IPv4; TCP6 fields are IPv6 text (an IPv4 client of a dual-stack
        // balancer as ::ffff:a.b.c.d).
        private static bool HasColon(byte[] b, int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                if (b[i] == (byte)':')
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Same(byte[] b, int at, byte[] word)
        {
            for (int i = 0; i < word.Length; i++)
            {
                if (b[at + i] != word[i])
                {
                    return false;
                }
            }

            return true;
        }

        // A decimal port without leading zeros, 0-65535; -1 otherwise.
        private static int Port(byte[] b, int from, int to)
        {
            int length = to - from;
            if (length < 1 || length > 5 || (length > 1 && b[from] == (byte)'0'))
            {
                return -1;
            }

            int value = 0;
            for (int i = from; i < to; i++)
            {
                int c = b[i];
                if (c < '0' || c > '9')
                {
                    return -1;
                }

                value = (value * 10) + (c - '0');
            }

            return value > 65535 ? -1 : value;
        }
    }
}
