using Pigeon.Net;

namespace Pigeon.Relay
{
    /// <summary>
    /// Writes a PROXY protocol v1 line (HAProxy's proxy-protocol.txt §2.1), byte by byte into a
    /// preallocated buffer:
    /// <code>
    /// "PROXY TCP4 " src-ip " " dst-ip " " src-port " " dst-port "\r\n"   (at most 56 bytes)
    /// </code>
    /// src is the client, dst the address and port the client connected to on the relay.
    /// </summary>
    public static class ProxyHeader
    {
        /// <summary>The longest v1 TCP4 line: "PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n".</summary>
        public const int MaxLength = 56;

        private static readonly byte[] s_prefix = new byte[] { (byte)'P', (byte)'R', (byte)'O', (byte)'X', (byte)'Y', (byte)' ', (byte)'T', (byte)'C', (byte)'P', (byte)'4', (byte)' ' };

        /// <summary>Writes the line at <paramref name="offset"/>; returns its length.</summary>
        public static int Write(uint sourceAddress, int sourcePort, uint destinationAddress, int destinationPort, byte[] buffer, int offset)
        {
            int p = offset;
            for (int i = 0; i < s_prefix.Length; i++)
            {
                buffer[p++] = s_prefix[i];
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
    }
}
