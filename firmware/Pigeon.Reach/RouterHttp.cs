using Pigeon.Net;
using Pigeon.Text;

namespace Pigeon.Reach
{
    /// <summary>
    /// A deliberately tiny HTTP/1.1 client for the router's UPnP web server: one request per
    /// connection ("Connection: close"), a hard cap on the response size and a deadline enforced
    /// by closing the socket. It only ever connects to the address of the URL it is given; the
    /// callers make sure that is the router (see <see cref="UpnpClient"/>).
    /// </summary>
    public sealed class RouterHttp
    {
        /// <summary>The answer buffer's first size; it doubles up to the cap as the answer needs.</summary>
        public const int InitialBufferBytes = 2048;

        private readonly ITransport _transport;
        private readonly int _maxResponseBytes;
        private readonly int _timeoutMs;

        /// <summary>
        /// <paramref name="maxResponseBytes"/>: the most an answer may be. A router's device
        /// description is ~3 KB (miniupnpd's 3,060 bytes, Broadcom's IGD ~3.3 KB) and a SOAP answer
        /// under 1 KB; the board reads up to 8 KB (Relay.SessionBudget.RouterAnswerBytes). The
        /// buffer starts at 2 KB and doubles only as the answer needs, so a usual answer costs
        /// 2-4 KB, not the cap (the board's heap budget counts on that).
        /// </summary>
        public RouterHttp(ITransport transport, int maxResponseBytes, int timeoutMs)
        {
            _transport = transport;
            _maxResponseBytes = maxResponseBytes < 512 ? 512 : maxResponseBytes;
            _timeoutMs = timeoutMs < 100 ? 100 : timeoutMs;
        }

        /// <summary>GET a URL.</summary>
        public RouterResponse Get(HttpUrl url)
        {
            return Send(url, "GET", null, null);
        }

        /// <summary>POST a SOAP action (UPnP Device Architecture 2.0, 3.2.1).</summary>
        public RouterResponse PostSoap(HttpUrl url, string soapAction, string body)
        {
            return Send(url, "POST", soapAction, body);
        }

        private RouterResponse Send(HttpUrl url, string method, string soapAction, string body)
        {
            TextBuffer request = new TextBuffer(256 + (body == null ? 0 : body.Length), 8192);
            request.Append(method).Append(" ").Append(url.Path).Append(" HTTP/1.1\r\n")
                .Append("Host: ").Append(url.HostHeader).Append("\r\n")
                .Append("User-Agent: Pigeon/1 UPnP/1.1\r\n")
                .Append("Connection: close\r\n");
            if (body != null)
            {
                request.Append("Content-Type: text/xml; charset=\"utf-8\"\r\n")
                    .Append("SOAPAction: \"").Append(soapAction).Append("\"\r\n")
                    .Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n")
                    .Append(body);
            }
            else
            {
                request.Append("\r\n");
            }

            if (request.Overflowed)
            {
                return RouterResponse.Failed(HttpOutcome.SendFailed);
            }

            IConnection connection = _transport.CreateConnection();
            Deadline deadline = Deadline.Start(connection, _timeoutMs);
            try
            {
                if (!connection.Connect(url.Address, url.Port))
                {
                    return RouterResponse.Failed(deadline.Expired ? HttpOutcome.Timeout : HttpOutcome.ConnectFailed);
                }

                uint local = connection.LocalAddress;
                if (!connection.Send(request.Bytes, 0, request.Length))
                {
                    return RouterResponse.Failed(deadline.Expired ? HttpOutcome.Timeout : HttpOutcome.SendFailed);
                }

                byte[] buffer = new byte[_maxResponseBytes < InitialBufferBytes ? _maxResponseBytes : InitialBufferBytes];
                int length = 0;
                while (true)
                {
                    if (length == buffer.Length && buffer.Length < _maxResponseBytes)
                    {
                        int size = buffer.Length * 2 > _maxResponseBytes ? _maxResponseBytes : buffer.Length * 2;
                        byte[] bigger = new byte[size];
                        System.Array.Copy(buffer, bigger, length);
                        buffer = bigger;
                    }

                    if (length == buffer.Length)
                    {
                        // Full: a complete response that exactly fills the cap still parses.
                        RouterResponse full = HttpParse.Parse(buffer, length, true);
                        if (full.Outcome == HttpOutcome.Ok)
                        {
                            full.LocalAddress = local;
                            return full;
                        }

                        return RouterResponse.Failed(HttpOutcome.TooLarge);
                    }

                    int n = connection.Receive(buffer, length, buffer.Length - length);
                    if (n < 0)
                    {
                        if (deadline.Expired)
                        {
                            return RouterResponse.Failed(HttpOutcome.Timeout);
                        }

                        n = 0; // a reset after the response: judge what arrived
                    }

                    if (n == 0)
                    {
                        RouterResponse done = HttpParse.Parse(buffer, length, true);
                        done.LocalAddress = local;
                        return done;
                    }

                    length += n;
                    RouterResponse early = HttpParse.Parse(buffer, length, false);
                    if (early != null && early.Outcome == HttpOutcome.Ok)
                    {
                        early.LocalAddress = local;
                        return early;
                    }

                    if (early != null && early.Outcome == HttpOutcome.Malformed)
                    {
                        return early;
                    }
                }
            }
            finally
            {
                deadline.Cancel();
                connection.Close();
            }
        }
    }
}
