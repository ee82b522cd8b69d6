using Pigeon.Net;

namespace Pigeon.Relay
{
    /// <summary>
    /// Writes the PROXY protocol header sent upstream before the client's bytes (HAProxy's
    /// proxy-protocol.txt), byte by byte into a preallocated buffer. src is the client, dst the
    /// address and port the client connected to on the relay.
    /// <code>
    /// v1 (§2.1): "PROXY TCP4 " src-ip " " dst-ip " " src-port " " dst-port "\r\n"   at most 56 bytes
    /// v2 (§2.2): 0D 0A 0D 0A 00 0D 0A 51 55 49 54 0A    signature (12)
    ///            21                                     version 2, command PROXY
    ///            11                                     AF_INET, STREAM
    ///            00 0C                                  address block length: 12
    ///            src(4) dst(4) src-port(2) dst-port(2)  big-endian               28 bytes in all
    /// </code>
    /// WhatsApp's official proxy sends v1 (send-proxy) and, since its 2026 Helm chart, v2
    /// (send-proxy-v2); a route picks with proxyProtocol true/"v1" or "v2".
    /// </summary>
    public static class ProxyHeader
    {
        /// <summary>The longest header either version writes (v1 TCP4: "PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n").</summary>
        public const int MaxLength = 56;

        /// <summary>The length of a v2 TCP4 header.</summary>
        public const int V2Length = 28;

        /// <summary>The v2 signature, which no v1 line or TLS record can start with.</summary>
        internal static readonly byte[] V2Signature = new byte[] { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A };

        private static readonly byte[] s_v1Prefix = new byte[] { (byte)'P', (byte)'R', (byte)'O', (byte)'X', (byte)'Y', (byte)' ', (byte)'T', (byte)'C', (byte)'P', (byte)'4', (byte)' ' };

        /// <summary>Writes a v1 line at <paramref name="offset"/>; returns its length.</summary>
        public static int Write(uint sourceAddress, int sourcePort, uint destinationAddress, int destinationPort, byte[] buffer, int offset)
        {
            int p = offset;
            for (int i = 0; i < s_v1Prefix.Length; i++)
            {
                buffer[p++] = s_v1Prefix[i];
            }

            p += IPv4.Write(sourceAddress, buffer, p);
            buffer[p++] = (byte)' ';
            p += IPv4.Write(destinationAddress, buffer, p);
            buffer[p++] = (byte)' ';
            p += IPv4.WriteDecimal(sourcePort, buffer, p);
            buffer[p++] = (byte)' ';
            p += IPv4.WriteDecimal(destinationPort, buffer, p);
            buffer[p++] = (byte)'\r';
            buffer[p++] = (byte)'\n';
            return p - offset;
        }

        /// <summary>Writes a v2 TCP4 header at <paramref name="offset"/>; returns <see cref="V2Length"/>.</summary>
        public static int WriteV2(uint sourceAddress, int sourcePort, uint destinationAddress, int destinationPort, byte[] buffer, int offset)
        {
            int p = offset;
            for (int i = 0; i < V2Signature.Length; i++)
            {
                buffer[p++] = V2Signature[i];
            }

            buffer[p++] = 0x21;
            buffer[p++] = 0x11;
            BigEndian.WriteUInt16(buffer, p, 12);
            BigEndian.WriteUInt32(buffer, p + 2, sourceAddress);
            BigEndian.WriteUInt32(buffer, p + 6, destinationAddress);
            BigEndian.WriteUInt16(buffer, p + 10, sourcePort);
            BigEndian.WriteUInt16(buffer, p + 12, destinationPort);
            return p + 14 - offset;
        }

        /// <summary>Writes the header of <paramref name="version"/> (1 or 2); 0 writes nothing.</summary>
        public static int Write(int version, uint sourceAddress, int sourcePort, uint destinationAddress, int destinationPort, byte[] buffer, int offset)
        {
            if (version == 2)
            {
                return WriteV2(sourceAddress, sourcePort, destinationAddress, destinationPort, buffer, offset);
            }

            return version == 1 ? Write(sourceAddress, sourcePort, destinationAddress, destinationPort, buffer, offset) : 0;
        }
    }
}
