using Pigeon.Net;

namespace Pigeon.Reach
{
    /// <summary>
    /// One request/answer with the router over UDP, as NAT-PMP (RFC 6886 3.1) and PCP
    /// (RFC 6887 8.1.1) both want it: resend starting at 250 ms and doubling, and count only
    /// datagrams from the gateway's own address and port.
    /// </summary>
    public static class GatewayUdp
    {
        /// <summary>
        /// Tries per request, starting at 250 ms and doubling (RFC 6886 3.1 allows 9 tries, 64 s);
        /// 4 tries = 3.75 s keeps a start-up on a router without NAT-PMP or PCP short.
        /// </summary>
        public const int Tries = 4;

        /// <summary>
        /// Sends <paramref name="request"/> to the gateway until <paramref name="accept"/> takes an
        /// answer (its length in <paramref name="received"/>, result null) or the tries run out
        /// (a failed result naming <paramref name="protocol"/>, or <paramref name="noAnswer"/>).
        /// </summary>
        public static NatPmpResult Exchange(IDatagramTransport udp, uint gateway, int port, byte[] request, byte[] answer,
            GatewayAnswer accept, string protocol, string noAnswer, out int received)
        {
            received = 0;
            if (gateway == 0)
            {
                return NatPmpResult.Fail(-1, true, "the router's address is unknown");
            }

            string error;
            IDatagramSocket socket = udp.Bind(IPv4.Any, 0, out error);
            if (socket == null)
            {
                return NatPmpResult.Fail(-1, true, "cannot ask the router: " + error);
            }

            try
            {
                int wait = 250;
                for (int attempt = 0; attempt < Tries; attempt++)
                {
                    if (!socket.SendTo(request, 0, request.Length, gateway, port))
                    {
                        return NatPmpResult.Fail(-1, true, "cannot send to the router");
                    }

                    int waited = 0;
                    while (waited < wait)
                    {
                        uint from;
                        int fromPort;
                        int n = socket.ReceiveFrom(answer, 0, answer.Length, wait - waited, out from, out fromPort);
                        if (n < 0)
                        {
                            return NatPmpResult.Fail(-1, true, "the " + protocol + " socket failed");
                        }

                        if (n == 0)
                        {
                            break;
                        }

                        waited += 10; // each stray datagram costs at least a little of the window
                        if (from == gateway && fromPort == port && accept(answer, n))
                        {
                            received = n;
                            return null;
                        }
                    }

                    wait *= 2;
                }

                return NatPmpResult.Fail(-1, true, noAnswer);
            }
            finally
            {
                socket.Close();
            }
        }
    }
}
