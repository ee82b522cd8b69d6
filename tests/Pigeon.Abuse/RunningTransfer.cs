using System;
using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading;
using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>
    /// A legitimate client's <see cref="Transfer"/> on its own thread over a plain TCP
    /// connection: sized, or timed (it sends until <see cref="Stop"/>). For "a transfer keeps
    /// running while strangers flood the relay".
    /// </summary>
    public sealed class RunningTransfer
    {
        private readonly Thread _thread;
        private readonly Socket _socket;
        private int _stop;

        private RunningTransfer(Socket socket, byte[] opening, long seed, long upBytes, long downBytes, bool tls)
        {
            _socket = socket;
            Seed = seed;
            _thread = Harness.Background("legit-" + seed, () =>
            {
                try
                {
                    using NetworkStream stream = new NetworkStream(_socket, false);
                    if (opening != null)
                    {
                        stream.Write(opening, 0, opening.Length);
                    }

                    if (!tls)
                    {
                        Result = Transfer.Run(stream, () => _socket.Shutdown(SocketShutdown.Send), seed, upBytes, downBytes, () => Volatile.Read(ref _stop) == 0);
                        return;
                    }

                    // Chat with TLS on: the relay's certificate is its own self-signed one, as WhatsApp accepts it.
                    using SslStream ssl = new SslStream(stream, true);
                    Stopwatch watch = Stopwatch.StartNew();
                    ssl.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = "chat.example", RemoteCertificateValidationCallback = (a, b, c, d) => true });
                    HandshakeMs = watch.Elapsed.TotalMilliseconds;
                    Result = Transfer.Run(ssl, () =>
                    {
                        CloseNotify(ssl);
                        _socket.Shutdown(SocketShutdown.Send);
                    }, seed, upBytes, downBytes, () => Volatile.Read(ref _stop) == 0);
                }
                catch (Exception e)
                {
                    // Whatever it was (reset, TLS alert, a bug of the harness), it is this transfer's
                    // failure, reported by Verify; it must not end the whole suite.
                    Error = e.GetType().Name + ": " + e.Message;
                }
                finally
                {
                    _socket.Dispose();
                }
            });
        }

        /// <summary>The call's seed (its record at the upstream).</summary>
        public long Seed { get; }

        /// <summary>The client's account once finished; null until then or after an error.</summary>
        public TransferRecord Result { get; private set; }

        /// <summary>Milliseconds the TLS handshake took (TLS transfers).</summary>
        public double HandshakeMs { get; private set; }

        /// <summary>Why the transfer failed before it could finish (null when it did not).</summary>
        public string Error { get; private set; }

        /// <summary>
        /// Connects from <paramref name="from"/> to <paramref name="port"/>, sends <paramref name="opening"/>
        /// (a media route's ClientHello; null for none) and starts the transfer: <paramref name="bytes"/>
        /// each way, or with -1 until <see cref="Stop"/>; inside TLS (a terminateTls route) with <paramref name="tls"/>.
        /// </summary>
        public static RunningTransfer Start(int port, string from, byte[] opening, long seed, long bytes, bool tls = false)
        {
            RunningTransfer transfer = new RunningTransfer(Loopback.Connect(port, from), opening, seed, bytes, bytes, tls);
            transfer._thread.Start();
            return transfer;
        }

        // close_notify. OpenSSL refuses it ("shutdown while in init") in the instant the client's
        // reader thread is taking in a post-handshake message (a TLS 1.3 session ticket): a race of
        // this client, not the relay's doing, so the shutdown is tried again.
        private static void CloseNotify(SslStream ssl)
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    ssl.ShutdownAsync().GetAwaiter().GetResult();
                    return;
                }
                catch (System.Security.Cryptography.CryptographicException) when (attempt < 5)
                {
                    Thread.Sleep(20);
                }
            }
        }

        /// <summary>A timed transfer: stop sending now (the upstream then stops too).</summary>
        public void Stop()
        {
            Volatile.Write(ref _stop, 1);
        }

        /// <summary>Waits for the end; false when it took longer than <paramref name="ms"/>.</summary>
        public bool Wait(int ms)
        {
            return _thread.Join(ms);
        }

        /// <summary>Verifies the client's account against the upstream's (<see cref="Transfer.Verify"/>).</summary>
        public bool Verify(Report report, string what, Upstream upstream, int ms = 30000)
        {
            if (!Wait(ms))
            {
                return report.Check(what + ": finished", false, "still running after " + ms + " ms");
            }

            if (Result == null)
            {
                return report.Check(what + ": finished", false, Error);
            }

            return Transfer.Verify(report, what, Result, upstream.WaitRecord(Seed, 10000));
        }
    }
}
