using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Pigeon.Portal;
using Pigeon.Text;

namespace Pigeon.Host
{
    /// <summary>
    /// Serves GET /metrics on the portal's listen address until the portal itself is built into
    /// the host (then the portal routes /metrics through <see cref="MetricsWriter"/> and
    /// <see cref="MetricsAccess"/> and this class goes). Never listens on a relay port. Requests
    /// are served one at a time: a scraper asks every 15-60 s.
    /// </summary>
    public sealed class MetricsServer
    {
        /// <summary>A request head larger than this is refused.</summary>
        public const int MaxRequestBytes = 8192;

        private readonly Func<TextBuffer> _write;
        private readonly string _token;
        private TcpListener _listener;
        private Thread _thread;

        /// <summary><paramref name="write"/> makes the page; <paramref name="token"/> is network.metricsToken.</summary>
        public MetricsServer(Func<TextBuffer> write, string token)
        {
            _write = write;
            _token = token ?? "";
        }

        /// <summary>The port bound (useful after binding port 0).</summary>
        public int Port { get; private set; }

        /// <summary>Binds and starts; false with <paramref name="error"/> when the address cannot be used.</summary>
        public bool Start(IPAddress address, int port, out string error)
        {
            error = null;
            try
            {
                _listener = new TcpListener(address, port);
                _listener.Start(8);
                Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            }
            catch (SocketException e)
            {
                error = "cannot listen on " + address + ":" + port + ": " + e.Message;
                return false;
            }

            _thread = new Thread(AcceptLoop) { IsBackground = true, Name = "pigeon-metrics" };
            _thread.Start();
            return true;
        }

        /// <summary>Stops listening.</summary>
        public void Stop()
        {
            if (_listener != null)
            {
                _listener.Stop();
            }

            if (_thread != null)
            {
                _thread.Join(2000);
            }
        }

        /// <summary>The whole HTTP response to a request head (separate from the socket, so tests can call it).</summary>
        public byte[] Respond(byte[] request, int length)
        {
            string head = Encoding.ASCII.GetString(request, 0, length);
            int lineEnd = head.IndexOf("\r\n", StringComparison.Ordinal);
            string[] parts = (lineEnd < 0 ? head : head.Substring(0, lineEnd)).Split(' ');
            if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
            {
                return Plain(400, "Bad Request", "bad request\n", null);
            }

            string path = parts[1];
            int query = path.IndexOf('?');
            if (query >= 0)
            {
                path = path.Substring(0, query);
            }

            if (path != "/metrics")
            {
                return Plain(404, "Not Found", "not found: this address serves /metrics only\n", null);
            }

            if (parts[0] != "GET" && parts[0] != "HEAD")
            {
                return Plain(405, "Method Not Allowed", "use GET\n", "Allow: GET, HEAD\r\n");
            }

            if (_token.Length < MetricsAccess.MinTokenLength)
            {
                return Plain(403, "Forbidden", "metrics are off: set network.metricsToken (at least " + MetricsAccess.MinTokenLength + " characters) in the config\n", null);
            }

            if (!MetricsAccess.IsAuthorized(Header(head, "authorization"), _token))
            {
                return Plain(401, "Unauthorized", "send the metrics token: Authorization: Bearer TOKEN\n", "WWW-Authenticate: Bearer realm=\"pigeon\", Basic realm=\"pigeon\"\r\n");
            }

            TextBuffer body = _write();
            string headers = "HTTP/1.1 200 OK\r\nContent-Type: " + MetricsWriter.ContentType + "\r\nContent-Length: " + body.Length
                + "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
            byte[] headBytes = Encoding.ASCII.GetBytes(headers);
            int bodyLength = parts[0] == "HEAD" ? 0 : body.Length;
            byte[] response = new byte[headBytes.Length + bodyLength];
            Buffer.BlockCopy(headBytes, 0, response, 0, headBytes.Length);
            Buffer.BlockCopy(body.Bytes, 0, response, headBytes.Length, bodyLength);
            return response;
        }

        private static string Header(string head, string lowerName)
        {
            foreach (string line in head.Split("\r\n"))
            {
                int colon = line.IndexOf(':');
                if (colon > 0 && line.Substring(0, colon).Trim().ToLowerInvariant() == lowerName)
                {
                    return line.Substring(colon + 1).Trim();
                }
            }

            return null;
        }

        private static byte[] Plain(int status, string reason, string text, string extraHeaders)
        {
            return Encoding.ASCII.GetBytes("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + text.Length
                + "\r\n" + (extraHeaders ?? string.Empty) + "Connection: close\r\n\r\n" + text);
        }

        private void AcceptLoop()
        {
            while (true)
            {
                Socket client;
                try
                {
                    client = _listener.AcceptSocket();
                }
                catch (Exception)
                {
                    return; // stopped
                }

                try
                {
                    client.ReceiveTimeout = 5000;
                    client.SendTimeout = 5000;
                    byte[] buffer = new byte[MaxRequestBytes];
                    int length = 0;
                    while (length < buffer.Length)
                    {
                        int n = client.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
                        if (n <= 0)
                        {
                            break;
                        }

                        length += n;
                        if (Encoding.ASCII.GetString(buffer, 0, length).Contains("\r\n\r\n", StringComparison.Ordinal))
                        {
                            break;
                        }
                    }

                    byte[] response = length >= buffer.Length
                        ? Plain(431, "Request Header Fields Too Large", "request too large\n", null)
                        : Respond(buffer, length);
                    client.Send(response);
                }
                catch (Exception)
                {
                    // A client that vanished or timed out: nothing to tell it.
                }
                finally
                {
                    client.Close();
                }
            }
        }
    }
}
