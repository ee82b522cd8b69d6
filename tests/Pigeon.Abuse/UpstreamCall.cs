using System;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Pigeon.Abuse
{
    /// <summary>
    /// A legitimate client's call as the upstream sees it, after the header
    /// <c>"LEGIT:" seed(int64) downBytes(int64) script(int32)</c> (little-endian) that the client
    /// sends first. Every byte read through it is counted for the relay's byte accounting.
    /// </summary>
    public sealed class UpstreamCall
    {
        /// <summary>The header's first bytes; garbage starting with them is one chance in 2^48.</summary>
        public static readonly byte[] Magic = Encoding.ASCII.GetBytes("LEGIT:");

        /// <summary>Bytes of the whole header.</summary>
        public const int HeaderLength = 26;

        private UpstreamCall(Upstream upstream, Socket socket, long seed, long downBytes, int script)
        {
            Upstream = upstream;
            Socket = socket;
            Seed = seed;
            DownBytes = downBytes;
            Script = script;
        }

        /// <summary>The upstream that took the call.</summary>
        public Upstream Upstream { get; }

        /// <summary>The relay's connection.</summary>
        public Socket Socket { get; }

        /// <summary>The call's seed (names its record and seeds its byte streams).</summary>
        public long Seed { get; }

        /// <summary>Bytes the upstream is to send back (-1 = until the client finishes).</summary>
        public long DownBytes { get; }

        /// <summary>Which script the upstream runs.</summary>
        public int Script { get; }

        /// <summary>The header a client sends for a call.</summary>
        public static byte[] Header(long seed, long downBytes, int script)
        {
            byte[] header = new byte[HeaderLength];
            Magic.CopyTo(header, 0);
            BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(6), seed);
            BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(14), downBytes);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(22), script);
            return header;
        }

        /// <summary>Receives from the relay, counting; 0 at its FIN (a reset throws).</summary>
        public int Receive(byte[] buffer, int offset, int count)
        {
            int n = Socket.Receive(buffer, offset, count, SocketFlags.None);
            Upstream.AddReceived(n);
            return n;
        }

        /// <summary>
        /// Skips the route's opening, then reads the header: the call, or null after reading
        /// (and counting) everything a client that is not legitimate sent until the relay closed.
        /// </summary>
        internal static UpstreamCall Read(Upstream upstream, Socket socket)
        {
            byte[] buffer = new byte[65536];
            int opening = upstream.OpeningBytes;
            while (opening > 0)
            {
                int n = socket.Receive(buffer, 0, Math.Min(opening, buffer.Length), SocketFlags.None);
                upstream.AddReceived(n);
                if (n == 0)
                {
                    return null;
                }

                opening -= n;
            }

            int have = 0;
            while (have < HeaderLength)
            {
                int n = socket.Receive(buffer, have, HeaderLength - have, SocketFlags.None);
                upstream.AddReceived(n);
                if (n == 0)
                {
                    return null;
                }

                have += n;
                int compare = Math.Min(have, Magic.Length);
                if (!buffer.AsSpan(0, compare).SequenceEqual(Magic.AsSpan(0, compare)))
                {
                    Drain(upstream, socket, buffer);
                    return null;
                }
            }

            return new UpstreamCall(upstream, socket, BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(6)),
                BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(14)), BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(22)));
        }

        private static void Drain(Upstream upstream, Socket socket, byte[] buffer)
        {
            while (true)
            {
                int n = socket.Receive(buffer, 0, buffer.Length, SocketFlags.None);
                upstream.AddReceived(n);
                if (n == 0)
                {
                    return;
                }
            }
        }
    }
}
