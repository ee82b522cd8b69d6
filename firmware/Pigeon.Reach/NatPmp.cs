using Pigeon.Net;

namespace Pigeon.Reach
{
    /// <summary>
    /// NAT-PMP (RFC 6886), the second way to open a port: UDP to the default gateway's port 5351.
    /// Answers are accepted only from the gateway's address and port (RFC 6886 3.1).
    /// <code>
    /// address request:  | 0 vers | 0 op |
    /// address answer:   | 0 vers | 128 op | result (2) | epoch (4) | external IPv4 (4) |          12 bytes
    /// map request:      | 0 vers | 2 op (TCP) | reserved (2) | internal port (2) | external port (2) | lifetime (4) |  12 bytes
    /// map answer:       | 0 vers | 130 op | result (2) | epoch (4) | internal port (2) | external port (2) | lifetime (4) |  16 bytes
    /// </code>
    /// </summary>
    public sealed class NatPmp
    {
        /// <summary>The NAT-PMP server port (RFC 6886 3.1).</summary>
        public const int ServerPort = 5351;

        /// <summary>Lifetime asked for (RFC 6886 3.3 recommends 7200 s); renewed at half.</summary>
        public const int RecommendedLifetime = 7200;

        /// <summary>Tries per request (<see cref="GatewayUdp.Tries"/>).</summary>
        public const int Tries = GatewayUdp.Tries;

        private readonly IDatagramTransport _udp;
        private readonly uint _gateway;
        private readonly int _port;

        /// <summary>Talks to <paramref name="gateway"/>:<paramref name="port"/> (tests pass 127.0.0.1 and their own port).</summary>
        public NatPmp(IDatagramTransport udp, uint gateway, int port)
        {
            _udp = udp;
            _gateway = gateway;
            _port = port;
        }

        /// <summary>The router's external address.</summary>
        public NatPmpResult GetExternalAddress()
        {
            byte[] request = new byte[] { 0, 0 };
            byte[] answer = new byte[16];
            int n;
            NatPmpResult failed = Exchange(request, answer, 128, out n);
            if (failed != null)
            {
                return failed;
            }

            return ParseAddressAnswer(answer, 0, n);
        }

        /// <summary>Maps a TCP port (lifetime 0 with external port 0 deletes the mapping, RFC 6886 3.4).</summary>
        public NatPmpResult MapTcp(int internalPort, int externalPort, int lifetimeSeconds)
        {
            byte[] request = new byte[12];
            BuildMapRequest(request, 0, internalPort, externalPort, lifetimeSeconds);
            byte[] answer = new byte[16];
            int n;
            NatPmpResult failed = Exchange(request, answer, 130, out n);
            if (failed != null)
            {
                return failed;
            }

            return ParseMapAnswer(answer, 0, n, internalPort);
        }

        /// <summary>Writes a TCP map request (12 bytes).</summary>
        public static void BuildMapRequest(byte[] buffer, int offset, int internalPort, int externalPort, int lifetimeSeconds)
        {
            buffer[offset] = 0;
            buffer[offset + 1] = 2;
            buffer[offset + 2] = 0;
            buffer[offset + 3] = 0;
            BigEndian.WriteUInt16(buffer, offset + 4, internalPort);
            BigEndian.WriteUInt16(buffer, offset + 6, externalPort);
            BigEndian.WriteUInt32(buffer, offset + 8, (uint)lifetimeSeconds);
        }

        /// <summary>Reads an address answer; never throws.</summary>
        public static NatPmpResult ParseAddressAnswer(byte[] buffer, int offset, int count)
        {
            NatPmpResult header = ParseHeader(buffer, offset, count, 128);
            if (header != null)
            {
                return header;
            }

            if (count < 12)
            {
                return NatPmpResult.Fail(-1, false, "the router's NAT-PMP answer was too short; ignored");
            }

            NatPmpResult result = new NatPmpResult();
            result.Ok = true;
            result.ExternalAddress = BigEndian.ReadUInt32(buffer, offset + 8);
            return result;
        }

        /// <summary>Reads a map answer for <paramref name="internalPort"/>; never throws.</summary>
        public static NatPmpResult ParseMapAnswer(byte[] buffer, int offset, int count, int internalPort)
        {
            NatPmpResult header = ParseHeader(buffer, offset, count, 130);
            if (header != null)
            {
                return header;
            }

            if (count < 16)
            {
                return NatPmpResult.Fail(-1, false, "the router's NAT-PMP answer was too short; ignored");
            }

            int inside = BigEndian.ReadUInt16(buffer, offset + 8);
            if (inside != internalPort)
            {
                return NatPmpResult.Fail(-1, false, "the router's NAT-PMP answer was for another port; ignored");
            }

            NatPmpResult result = new NatPmpResult();
            result.Ok = true;
            result.ExternalPort = BigEndian.ReadUInt16(buffer, offset + 10);
            uint lifetime = BigEndian.ReadUInt32(buffer, offset + 12);
            result.LifetimeSeconds = lifetime > 0x7FFFFFFF ? 0x7FFFFFFF : (int)lifetime;
            return result;
        }

        /// <summary>The sentence for a NAT-PMP result code (RFC 6886 3.5).</summary>
        public static string Explain(int code)
        {
            switch (code)
            {
                case 1:
                    return "the router does not speak this NAT-PMP version";
                case 2:
                    return "the router refused: port mapping (NAT-PMP) is off in its settings";
                case 3:
                    return "the router is not connected to the internet (NAT-PMP network failure)";
                case 4:
                    return "the router has no free port mapping slots left";
                case 5:
                    return "the router does not support this NAT-PMP request";
                default:
                    return "the router refused (NAT-PMP result " + code.ToString() + ")";
            }
        }

        private NatPmpResult Exchange(byte[] request, byte[] answer, int expectedOp, out int received)
        {
            // RFC 6886 3.1: only the gateway's answers count, and only to this opcode.
            return GatewayUdp.Exchange(_udp, _gateway, _port, request, answer,
                delegate(byte[] a, int n) { return n >= 2 && a[1] == (byte)expectedOp; },
                "NAT-PMP", "the router did not answer NAT-PMP (it may not support it, or it is off)", out received);
        }

        private static NatPmpResult ParseHeader(byte[] buffer, int offset, int count, int op)
        {
            if (buffer == null || offset < 0 || count < 4 || offset + count > buffer.Length)
            {
                return NatPmpResult.Fail(-1, false, "the router's NAT-PMP answer was too short; ignored");
            }

            if (buffer[offset + 1] != (byte)op)
            {
                return NatPmpResult.Fail(-1, false, "the router's NAT-PMP answer was of another kind; ignored");
            }

            if (buffer[offset] != 0)
            {
                // A PCP-only router answers a NAT-PMP request with its own version (2) and
                // UNSUPP_VERSION = 1 in the same byte (RFC 6887 9, RFC 6886 3.5): PCP comes next.
                return buffer[offset + 3] == 1
                    ? NatPmpResult.Fail(1, false, "the router speaks PCP, not NAT-PMP (it answered with version " + buffer[offset].ToString() + ")")
                    : NatPmpResult.Fail(-1, false, "the router's NAT-PMP answer was of another kind; ignored");
            }

            int code = BigEndian.ReadUInt16(buffer, offset + 2);
            if (code != 0)
            {
                return NatPmpResult.Fail(code, false, Explain(code));
            }

            return null;
        }
    }
}
