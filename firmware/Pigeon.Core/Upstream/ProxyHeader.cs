using Pigeon.Net;

namespace Pigeon.Upstream
{
    /// <summary>
    /// Writes the PROXY protocol header sent upstream before the client's bytes (HAProxy's
    /// proxy-protocol.txt), byte by byte into a preallocated buffer. src is the client, dst the
    /// address and port the client connected to on the relay. Two IPv4 addresses make a TCP4 /
    /// AF_INET header; anything else a TCP6 / AF_INET6 one, an IPv4 address then in its
    /// IPv4-mapped form (as HAProxy writes a mixed pair).
    /// <code>
    /// v1 (§2.1): "PROXY TCP4 " src-ip " " dst-ip " " src-port " " dst-port "\r\n"   at most 56 bytes
    ///            "PROXY TCP6 " ...  (RFC 5952 text)                                 at most 104 bytes
    /// v2 (§2.2): 0D 0A 0D 0A 00 0D 0A 51 55 49 54 0A    signature (12)
    ///            21                                     version 2, command PROXY
    ///            11 | 21                                AF_INET | AF_INET6, STREAM
    ///            00 0C | 00 24                          address block length: 12 | 36
    ///            src dst (4 | 16 each) src-port(2) dst-port(2), big-endian      28 | 52 bytes
    /// </code>
    /// WhatsApp's official proxy sends v1 (send-proxy) and, since its 2026 Helm chart, v2
    /// (send-proxy-v2); a route picks with proxyProtocol true/"v1" or "v2".
    /// </summary>
    public static class ProxyHeader
    {
        /// <summary>The longest header either version writes (v1 TCP6 with two full IPv6 addresses).</summary>
        public const int MaxLength = 104;

        /// <summary>The length of a v2 header for two IPv4 addresses.</summary>
        public const int V2Length = 28;

        /// <summary>The length of a v2 header for IPv6 addresses.</summary>
        public const int V2Length6 = 52;

        /// <summary>The v2 signature, which no v1 line or TLS record can start with.</summary>
        internal static readonly byte[] V2Signature = new byte[] { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A };

        private static readonly byte[] s_v1Prefix = new byte[] { (byte)'P', (byte)'R', (byte)'O', (byte)'X', (byte)'Y', (byte)' ', (byte)'T', (byte)'C', (byte)'P' };
        private static readonly byte[] s_mapped = new byte[] { (byte)':', (byte)':', (byte)'f', (byte)'f', (byte)'f', (byte)'f', (byte)':' };

        /// <summary>Writes the header of <paramref name="version"/> (1, 2; 0 writes nothing); returns its length.</summary>
        public static int Write(int version, NetAddress source, int sourcePort, NetAddress destination, int destinationPort, byte[] buffer, int offset)
        {
            if (version == 2)
            {
                return WriteV2(source, sourcePort, destination, destinationPort, buffer, offset);
            }

            return version == 1 ? WriteV1(source, sourcePort, destination, destinationPort, buffer, offset) : 0;
        }

        /// <summary>Writes a v1 line at <paramref name="offset"/>; returns its length.</summary>
        public static int WriteV1(NetAddress source, int sourcePort, NetAddress destination, int destinationPort, byte[] buffer, int offset)
        {
            bool v4 = source.IsIPv4 && destination.IsIPv4;
            int p = offset;
            for (int i = 0; i < s_v1Prefix.Length; i++)
            {
                buffer[p++] = s_v1Prefix[i];
            }

            buffer[p++] = v4 ? (byte)'4' : (byte)'6';
            buffer[p++] = (byte)' ';
            p += WriteAddress(source, v4, buffer, p);
            buffer[p++] = (byte)' ';
            p += WriteAddress(destination, v4, buffer, p);
            buffer[p++] = (byte)' ';
            p += IPv4.WriteDecimal(sourcePort, buffer, p);
            buffer[p++] = (byte)' ';
            p += IPv4.WriteDecimal(destinationPort, buffer, p);
            buffer[p++] = (byte)'\r';
            buffer[p++] = (byte)'\n';
            return p - offset;
        }

        /// <summary>Writes a v2 header (command PROXY, STREAM) at <paramref name="offset"/>; returns its length.</summary>
        public static int WriteV2(NetAddress source, int sourcePort, NetAddress destination, int destinationPort, byte[] buffer, int offset)
        {
            bool v4 = source.IsIPv4 && destination.IsIPv4;
            int p = offset;
            for (int i = 0; i < V2Signature.Length; i++)
            {
                buffer[p++] = V2Signature[i];
            }

            buffer[p++] = 0x21; // version 2, PROXY
            buffer[p++] = v4 ? (byte)0x11 : (byte)0x21; // AF_INET or AF_INET6, STREAM
            if (v4)
            {
                BigEndian.WriteUInt16(buffer, p, 12);
                BigEndian.WriteUInt32(buffer, p + 2, source.IPv4);
                BigEndian.WriteUInt32(buffer, p + 6, destination.IPv4);
                p += 10;
            }
            else
            {
                BigEndian.WriteUInt16(buffer, p, 36);
                source.WriteIPv6Bytes(buffer, p + 2);
                destination.WriteIPv6Bytes(buffer, p + 18);
                p += 34;
            }

            BigEndian.WriteUInt16(buffer, p, sourcePort);
            BigEndian.WriteUInt16(buffer, p + 2, destinationPort);
            return p + 4 - offset;
        }

        // TCP6 lines need IPv6 text for both: an IPv4 address of a mixed pair as ::ffff:a.b.c.d.
        private static int WriteAddress(NetAddress address, bool v4Line, byte[] buffer, int offset)
        {
            if (v4Line || !address.IsIPv4)
            {
                return address.WriteText(buffer, offset);
            }

            for (int i = 0; i < s_mapped.Length; i++)
            {
                buffer[offset + i] = s_mapped[i];
            }

            return s_mapped.Length + address.WriteText(buffer, offset + s_mapped.Length);
        }
    }
}
