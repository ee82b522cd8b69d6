using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Pigeon.Net;
using Pigeon.Relay;

namespace Pigeon.Host.Acme
{
    /// <summary>
    /// Plain HTTP on relay.httpPort (80), as a small web server answers there: the same decoy
    /// site as inside the TLS of port 443 (<see cref="Web.DecoySite"/>: nginx's answers, keep-alive
    /// and timeouts) and, while a CA validates the relay's name by HTTP-01, the key authorization
    /// at /.well-known/acme-challenge/TOKEN. Nothing here reaches an upstream. At most
    /// <see cref="MaxConnections"/> at once; a request head must arrive within
    /// <see cref="HeadTimeout"/> (kept-alive: <see cref="KeepAliveTimeout"/>) and fit in 8 KB.
    /// </summary>
    public sealed class HttpSite : IDisposable
    {
        /// <summary>Connections served at once; more are closed at once.</summary>
        public const int MaxConnections = 256;

        private const int MaxHead = 8192;
        private const int SolSocket = 1;
        private const int SoReuseAddr = 2;

        private readonly Socket _listener;
        private readonly Web.DecoySite _decoy;
        private readonly Func<string, string> _challenge;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private int _open;
        private int _served;

        private HttpSite(Socket listener, Web.DecoySite decoy, Func<string, string> challenge)
        {
            _listener = listener;
            _decoy = decoy;
            _challenge = challenge;
        }

        /// <summary>How long a client may take to send its first request head (nginx's 60 s).</summary>
        public TimeSpan HeadTimeout { get; set; } = TimeSpan.FromMilliseconds(Web.DecoySite.HeaderTimeout);

        /// <summary>How long a kept-alive connection may wait for its next request (nginx's 75 s).</summary>
        public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromMilliseconds(Web.DecoySite.KeepAlive);

        /// <summary>The port listened on.</summary>
        public int Port
        {
            get { return ((IPEndPoint)_listener.LocalEndPoint).Port; }
        }

        /// <summary>Requests answered so far.</summary>
        public int Served
        {
            get { return _served; }
        }

        /// <summary>
        /// Listens on <paramref name="address"/>:<paramref name="port"/>; null (with a warning in the
        /// log) when the port cannot be opened. <paramref name="challenge"/> gives the key
        /// authorization for an HTTP-01 token, or null.
        /// </summary>
        public static HttpSite Start(IPAddress address, int port, string decoyHtml, Func<string, string> challenge, ILog log)
        {
            Socket listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (OperatingSystem.IsLinux())
                {
                    // SO_REUSEADDR alone: a restart binds despite connections in TIME_WAIT, but a
                    // second instance still gets "in use" (ReuseAddress would add SO_REUSEPORT).
                    listener.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
                }

                listener.Bind(new IPEndPoint(address, port));
                listener.Listen();
            }
            catch (SocketException e)
            {
                listener.Dispose();
                string why = e.SocketErrorCode == SocketError.AccessDenied ? "permission denied (ports below 1024 need CAP_NET_BIND_SERVICE or root)"
                    : e.SocketErrorCode == SocketError.AddressAlreadyInUse ? "in use by another program" : e.Message;
                log.Warn("HTTP on port " + port + ": not listening: " + why + " (the decoy site and ACME's HTTP-01 are not served there)");
                return null;
            }

            HttpSite site = new HttpSite(listener, new Web.DecoySite(decoyHtml, DateTime.UtcNow), challenge);
            log.Info("HTTP on " + address + ":" + site.Port + ": the decoy site" + (challenge != null ? " and ACME HTTP-01 challenges" : string.Empty));
            _ = Task.Run(site.AcceptLoopAsync);
            return site;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _stop.Cancel();
            _listener.Dispose();
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is OperationCanceledException)
                {
                    if (_stop.IsCancellationRequested)
                    {
                        return;
                    }

                    await Task.Delay(100).ConfigureAwait(false); // out of descriptors, say: try again shortly
                    continue;
                }

                if (Interlocked.Increment(ref _open) > MaxConnections)
                {
                    Interlocked.Decrement(ref _open);
                    client.Dispose();
                    continue;
                }

                _ = ServeAsync(client);
            }
        }

        private async Task ServeAsync(Socket client)
        {
            try
            {
                byte[] request = new byte[MaxHead];
                byte[] head = new byte[_decoy.MaxHeadLength];
                int received = 0;
                TimeSpan wait = HeadTimeout;
                while (true)
                {
                    using (CancellationTokenSource deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
                    {
                        deadline.CancelAfter(wait);
                        while (received == 0 || (received < request.Length && !_decoy.CanAnswer(request, 0, received)))
                        {
                            int n = await client.ReceiveAsync(request.AsMemory(received), SocketFlags.None, deadline.Token).ConfigureAwait(false);
                            if (n <= 0)
                            {
                                return;
                            }

                            received += n;
                        }

                        string token = ChallengeToken(request, received);
                        string keyAuthorization = token == null || _challenge == null ? null : _challenge(token);
                        int consumed;
                        bool keepAlive;
                        if (keyAuthorization != null)
                        {
                            byte[] body = Encoding.ASCII.GetBytes(keyAuthorization);
                            byte[] answer = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: " + body.Length + "\r\nConnection: close\r\n\r\n");
                            await client.SendAsync(answer, SocketFlags.None, deadline.Token).ConfigureAwait(false);
                            await client.SendAsync(body, SocketFlags.None, deadline.Token).ConfigureAwait(false);
                            keepAlive = false;
                            consumed = received;
                        }
                        else
                        {
                            int length = _decoy.Answer(request, 0, received, head, 0, out byte[] page, out int pageLength, out consumed, out keepAlive);
                            await client.SendAsync(head.AsMemory(0, length), SocketFlags.None, deadline.Token).ConfigureAwait(false);
                            if (pageLength > 0)
                            {
                                await client.SendAsync(page.AsMemory(0, pageLength), SocketFlags.None, deadline.Token).ConfigureAwait(false);
                            }
                        }

                        Interlocked.Increment(ref _served);
                        if (!keepAlive)
                        {
                            break;
                        }

                        received -= consumed;
                        Buffer.BlockCopy(request, consumed, request, 0, received);
                        wait = KeepAliveTimeout;
                    }
                }

                client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException || e is OperationCanceledException || e is ObjectDisposedException)
            {
                // gone, or too slow: closed below
            }
            finally
            {
                try
                {
                    client.Shutdown(SocketShutdown.Both); // a FIN, not a reset, when a deadline passed
                }
                catch (Exception)
                {
                }

                client.Dispose();
                Interlocked.Decrement(ref _open);
            }
        }

        // TOKEN of "GET /.well-known/acme-challenge/TOKEN HTTP/1.1" (base64url characters only).
        private static string ChallengeToken(byte[] request, int received)
        {
            string line = Encoding.ASCII.GetString(request, 0, Math.Min(received, 512));
            string prefix = "GET " + AcmeChallenges.HttpPath;
            if (!line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return null;
            }

            int end = prefix.Length;
            while (end < line.Length && (char.IsAsciiLetterOrDigit(line[end]) || line[end] == '-' || line[end] == '_'))
            {
                end++;
            }

            return end > prefix.Length && end < line.Length && line[end] == ' ' ? line.Substring(prefix.Length, end - prefix.Length) : null;
        }
    }
}
