using Pigeon.Net;

namespace Pigeon.Reach
{
    /// <summary>
    /// PCP (RFC 6887), tried after NAT-PMP when the router answers NAT-PMP with "unsupported
    /// version" (a PCP-only router, RFC 6887 9). Only the MAP opcode for TCP over IPv4 is used.
    /// Requests go to the gateway's UDP port 5351; answers count only from that address and port,
    /// with the R bit, opcode MAP and our nonce (RFC 6887 8.3, 11.2).
    /// <code>
    /// request header (24):  | 2 vers | R=0, op 1 | reserved (2) | lifetime (4) | client IP as ::ffff:a.b.c.d (16) |
    /// answer header (24):   | 2 vers | R=1, op 1 | reserved | result (1) | lifetime (4) | epoch (4) | reserved (12) |
    /// MAP body (36):        | nonce (12) | protocol 6 | reserved (3) | internal port (2) | external port (2) | external IP (16) |
    /// </code>
    /// In the request the body carries the suggested external port and address (all zero,
    /// ::ffff:0.0.0.0 = any); in the answer the assigned ones.
    /// </summary>
    public sealed class Pcp
    {
        /// <summary>The PCP server port (RFC 6887 19.1), the same as NAT-PMP's.</summary>
        public const int ServerPort = 5351;

        /// <summary>A MAP request or answer: 24-byte header + 36-byte MAP body.</summary>
        public const int MapLength = 60;

        /// <summary>Nonce length (RFC 6887 11.1).</summary>
        public const int NonceLength = 12;

        private const int Version = 2;
        private const int OpMap = 1;
        private const int TcpProtocol = 6;

        private readonly IDatagramTransport _udp;
        private readonly uint _gateway;
        private readonly int _port;
        private readonly uint _client;
        private readonly IRandomBytes _random;
        private int[] _noncePorts = new int[0];
        private byte[][] _nonces = new byte[0][];

        /// <summary>
        /// Talks to <paramref name="gateway"/>:<paramref name="port"/> as <paramref name="client"/>
        /// (our LAN address: a PCP server answers ADDRESS_MISMATCH when it differs from the
        /// packet's source). <paramref name="random"/> makes the per-mapping nonces.
        /// </summary>
        public Pcp(IDatagramTransport udp, uint gateway, int port, uint client, IRandomBytes random)
        {
            _udp = udp;
            _gateway = gateway;
            _port = port;
            _client = client;
            _random = random;
        }

        /// <summary>
        /// Maps a TCP port, asking for the same outside port. Lifetime 0 deletes the mapping
        /// (RFC 6887 15): the same nonce as when it was made is sent, then forgotten.
        /// </summary>
        public NatPmpResult MapTcp(int internalPort, int lifetimeSeconds)
        {
            byte[] nonce = NonceFor(internalPort);
            byte[] request = new byte[MapLength];
            BuildMapRequest(request, 0, _client, nonce, internalPort, lifetimeSeconds == 0 ? 0 : internalPort, lifetimeSeconds);
            NatPmpResult result = Exchange(request, nonce, internalPort);
            if (lifetimeSeconds == 0 && (result.Ok || !result.NoAnswer))
            {
                ForgetNonce(internalPort);
            }

            return result;
        }

        /// <summary>Writes a MAP request (60 bytes) for TCP with the suggested external address ::ffff:0.0.0.0.</summary>
        public static void BuildMapRequest(byte[] buffer, int offset, uint client, byte[] nonce, int internalPort, int externalPort, int lifetimeSeconds)
        {
            for (int i = 0; i < MapLength; i++)
            {
                buffer[offset + i] = 0;
            }

            buffer[offset] = Version;
            buffer[offset + 1] = OpMap;
            BigEndian.WriteUInt32(buffer, offset + 4, (uint)lifetimeSeconds);
            buffer[offset + 18] = 0xFF; // ::ffff:a.b.c.d, RFC 6887 5 (IPv4-mapped, RFC 4291 2.5.5.2)
            buffer[offset + 19] = 0xFF;
            BigEndian.WriteUInt32(buffer, offset + 20, client);
            System.Array.Copy(nonce, 0, buffer, offset + 24, NonceLength);
            buffer[offset + 36] = TcpProtocol;
            BigEndian.WriteUInt16(buffer, offset + 40, internalPort);
            BigEndian.WriteUInt16(buffer, offset + 42, externalPort);
            buffer[offset + 54] = 0xFF; // ::ffff:0.0.0.0 = no preferred external address
            buffer[offset + 55] = 0xFF;
        }

        /// <summary>
        /// Reads a MAP answer for <paramref name="nonce"/> and <paramref name="internalPort"/>;
        /// never throws. ResultCode -1 with NoAnswer false means "not our answer; ignored".
        /// </summary>
        public static NatPmpResult ParseMapAnswer(byte[] buffer, int offset, int count, byte[] nonce, int internalPort)
        {
            if (buffer == null || offset < 0 || count < 24 || offset + count > buffer.Length)
            {
                return NatPmpResult.Fail(-1, false, "the router's PCP answer was too short; ignored");
            }

            if (buffer[offset + 1] != (byte)(0x80 | OpMap))
            {
                return NatPmpResult.Fail(-1, false, "the router's PCP answer was of another kind; ignored");
            }

            int code = buffer[offset + 3];
            if (buffer[offset] != Version)
            {
                // RFC 6887 9: a server without version 2 answers UNSUPP_VERSION with its own version.
                return code == 1 ? NatPmpResult.Fail(1, false, Explain(1)) : NatPmpResult.Fail(-1, false, "the router's PCP answer was of another version; ignored");
            }

            if (count < MapLength)
            {
                return NatPmpResult.Fail(-1, false, "the router's PCP answer was too short; ignored");
            }

            for (int i = 0; i < NonceLength; i++)
            {
                if (buffer[offset + 24 + i] != nonce[i])
                {
                    return NatPmpResult.Fail(-1, false, "the router's PCP answer was for another request; ignored");
                }
            }

            if (code != 0)
            {
                return NatPmpResult.Fail(code, false, Explain(code));
            }

            int inside = BigEndian.ReadUInt16(buffer, offset + 40);
            if (buffer[offset + 36] != TcpProtocol || inside != internalPort)
            {
                return NatPmpResult.Fail(-1, false, "the router's PCP answer was for another port; ignored");
            }

            for (int i = 44; i < 54; i++)
            {
                if (buffer[offset + i] != 0)
                {
                    return NatPmpResult.Fail(-1, false, "the router's PCP answer gave an external address that is not IPv4; ignored");
                }
            }

            if (buffer[offset + 54] != 0xFF || buffer[offset + 55] != 0xFF)
            {
                return NatPmpResult.Fail(-1, false, "the router's PCP answer gave an external address that is not IPv4; ignored");
            }

            NatPmpResult result = new NatPmpResult();
            result.Ok = true;
            uint lifetime = BigEndian.ReadUInt32(buffer, offset + 4);
            result.LifetimeSeconds = lifetime > 0x7FFFFFFF ? 0x7FFFFFFF : (int)lifetime;
            result.ExternalPort = BigEndian.ReadUInt16(buffer, offset + 42);
            result.ExternalAddress = BigEndian.ReadUInt32(buffer, offset + 56);
            return result;
        }

        /// <summary>The sentence for a PCP result code (RFC 6887 7.4).</summary>
        public static string Explain(int code)
        {
            switch (code)
            {
                case 1:
                    return "the router does not speak this PCP version";
                case 2:
                    return "the router refused: port mapping (PCP) is not allowed in its settings";
                case 3:
                    return "the router found our PCP request malformed";
                case 4:
                    return "the router does not support PCP port mapping (MAP)";
                case 5:
                    return "the router does not support a PCP option we sent";
                case 6:
                    return "the router found a PCP option malformed";
                case 7:
                    return "the router is not connected to the internet (PCP network failure)";
                case 8:
                    return "the router has no free port mapping slots left";
                case 9:
                    return "the router cannot map TCP ports over PCP";
                case 10:
                    return "the router's port mapping quota for this device is used up";
                case 11:
                    return "the router cannot give the outside port or address asked for";
                case 12:
                    return "the router sees another address for this device (PCP address mismatch; a second NAT in between?)";
                case 13:
                    return "the router refused: too many remote peers";
                default:
                    return "the router refused (PCP result " + code.ToString() + ")";
            }
        }

        private NatPmpResult Exchange(byte[] request, byte[] nonce, int internalPort)
        {
            // A resend keeps the nonce, so a late answer to an earlier send still matches
            // (RFC 6887 8.1.1); an answer that is not ours (nonce, opcode, port) is skipped.
            NatPmpResult result = null;
            byte[] answer = new byte[1100]; // the largest PCP message (RFC 6887 7)
            int received;
            NatPmpResult failed = GatewayUdp.Exchange(_udp, _gateway, _port, request, answer,
                delegate(byte[] a, int n)
                {
                    result = ParseMapAnswer(a, 0, n, nonce, internalPort);
                    return result.Ok || result.ResultCode >= 0;
                },
                "PCP", "the router did not answer PCP", out received);
            return failed ?? result;
        }

        private byte[] NonceFor(int port)
        {
            for (int i = 0; i < _noncePorts.Length; i++)
            {
                if (_noncePorts[i] == port)
                {
                    return _nonces[i];
                }
            }

            byte[] nonce = new byte[NonceLength];
            _random.Fill(nonce, 0, NonceLength);
            int[] ports = new int[_noncePorts.Length + 1];
            byte[][] nonces = new byte[_nonces.Length + 1][];
            System.Array.Copy(_noncePorts, ports, _noncePorts.Length);
            System.Array.Copy(_nonces, nonces, _nonces.Length);
            ports[_noncePorts.Length] = port;
            nonces[_nonces.Length] = nonce;
            _noncePorts = ports;
            _nonces = nonces;
            return nonce;
        }

        private void ForgetNonce(int port)
        {
            int at = -1;
            for (int i = 0; i < _noncePorts.Length; i++)
            {
                if (_noncePorts[i] == port)
                {
                    at = i;
                }
            }

            if (at < 0)
            {
                return;
            }

            int[] ports = new int[_noncePorts.Length - 1];
            byte[][] nonces = new byte[_nonces.Length - 1][];
            for (int i = 0, j = 0; i < _noncePorts.Length; i++)
            {
                if (i != at)
                {
                    ports[j] = _noncePorts[i];
                    nonces[j] = _nonces[i];
                    j++;
                }
            }

            _noncePorts = ports;
            _nonces = nonces;
        }
    }
}
