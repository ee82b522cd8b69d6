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
    /// Plain HTTP on relay.httpPort (80), as a small web server answers there: the decoy site
    /// (relay.decoyPage: "/" 200, other paths 404, other methods 405, anything that is not HTTP
    /// 400) and, while a CA validates the relay's name by HTTP-01, the key authorization at
    /// /.well-known/acme-challenge/TOKEN. One request per connection, then a FIN. Nothing here
    /// reaches an upstream. At most <see cref="MaxConnections"/> at once; a request head must
    /// arrive within <see cref="HeadTimeout"/> and fit in 8 KB.
    /// </summary>
    public sealed class HttpSite : IDisposable
    {
        /// <summary>Connections served at once; more are closed at once.</summary>
        public const int MaxConnections = 256;

        private const int MaxHead = 8192;
        private const int SolSocket = 1;
        private const int SoReuseAddr = 2;

        private static readonly byte[] s_badRequest = Encoding.ASCII.GetBytes("<!DOCTYPE html>\n<html><head><title>400 Bad Request</title></head>\n<body><h1>Bad Request</h1></body></html>\n");

        private readonly Socket _listener;
        private readonly DecoyPage _decoy;
        private readonly Func<string, string> _challenge;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private int _open;
        private int _served;

        private HttpSite(Socket listener, DecoyPage decoy, Func<string, string> challenge)
        {
            _listener = listener;
            _decoy = decoy;
            _challenge = challenge;
        }

        /// <summary>How long a client may take to send its request head (20 s).</summary>
        public TimeSpan HeadTimeout { get; set; } = TimeSpan.FromSeconds(20);

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

            HttpSite site = new HttpSite(listener, new DecoyPage(decoyHtml), challenge);
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
                using CancellationTokenSource deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                deadline.CancelAfter(HeadTimeout);
                byte[] request = new byte[MaxHead];
                int received = 0;
                while (received < request.Length && !HttpProbe.HeadComplete(request, 0, received))
                {
                    int n = await client.ReceiveAsync(request.AsMemory(received), SocketFlags.None, deadline.Token).ConfigureAwait(false);
                    if (n <= 0)
                    {
                        return;
                    }

                    received += n;
                    if (HttpProbe.Classify(request, 0, received) == HttpProbe.NotHttp)
                    {
                        break;
                    }
                }

                await client.SendAsync(Answer(request, received), SocketFlags.None, deadline.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _served);
                client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException || e is OperationCanceledException || e is ObjectDisposedException)
            {
                // gone, or too slow: closed below
            }
            finally
            {
                client.Dispose();
                Interlocked.Decrement(ref _open);
            }
        }

        private byte[] Answer(byte[] request, int received)
        {
            string token = ChallengeToken(request, received);
            string keyAuthorization = token == null || _challenge == null ? null : _challenge(token);
            if (keyAuthorization != null)
            {
                byte[] body = Encoding.ASCII.GetBytes(keyAuthorization);
                return Concat(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.Length + "\r\nConnection: close\r\n\r\n"), body, body.Length);
            }

            if (HttpProbe.Classify(request, 0, received) != HttpProbe.Http)
            {
                return Concat(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + s_badRequest.Length + "\r\nConnection: close\r\n\r\n"), s_badRequest, s_badRequest.Length);
            }

            byte[] head = new byte[DecoyPage.MaxHeadLength];
            int length;
            byte[] page;
            int pageLength;
            lock (_decoy)
            {
                length = _decoy.WriteHead(request, 0, received, head, 0, DateTime.UtcNow);
                page = _decoy.Body;
                pageLength = _decoy.BodyLength;
            }

            return Concat(head.AsSpan(0, length).ToArray(), page, pageLength);
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

        private static byte[] Concat(byte[] head, byte[] body, int bodyLength)
        {
            byte[] all = new byte[head.Length + bodyLength];
            Buffer.BlockCopy(head, 0, all, 0, head.Length);
            Buffer.BlockCopy(body, 0, all, head.Length, bodyLength);
            return all;
        }
    }
}
