using System;
using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading;
using Pigeon.Net;
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
        private readonly TransferRecord _live = new TransferRecord(); // its counts move while it runs
        private int _stop;
        private long _stoppedAt; // Stopwatch timestamp of Stop

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
                        Result = Transfer.Run(stream, () => _socket.Shutdown(SocketShutdown.Send), seed, upBytes, downBytes, () => Volatile.Read(ref _stop) == 0, _live);
                        return;
                    }

                    // Chat with TLS on: the relay's certificate is its own self-signed one, as WhatsApp accepts it.
                    // This client reads on one thread and sends close_notify on another: TlsCloseGate.
                    TlsCloseGate gate = new TlsCloseGate();
                    using SslStream ssl = new SslStream(gate.Under(stream), true);
                    Stopwatch watch = Stopwatch.StartNew();
                    ssl.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = "chat.example", RemoteCertificateValidationCallback = (a, b, c, d) => true });
                    HandshakeMs = watch.Elapsed.TotalMilliseconds;
                    Result = Transfer.Run(ssl, () =>
                    {
                        gate.Shutdown(ssl);
                        _socket.Shutdown(SocketShutdown.Send);
                    }, seed, upBytes, downBytes, () => Volatile.Read(ref _stop) == 0, _live, gate);
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

        /// <summary>Bytes the client has sent so far.</summary>
        public long SentSoFar
        {
            get { return _live.SentBytes; }
        }

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

        /// <summary>A timed transfer: stop sending now (the upstream then stops too).</summary>
        public void Stop()
        {
            _stoppedAt = Stopwatch.GetTimestamp();
            Volatile.Write(ref _stop, 1);
        }

        /// <summary>Waits for the end; false when it took longer than <paramref name="ms"/>.</summary>
        public bool Wait(int ms)
        {
            return _thread.Join(ms);
        }

        /// <summary>
        /// A timed transfer (the client sends until <see cref="Stop"/>) whose upstream sends
        /// <paramref name="downBytes"/> and finishes, perhaps long before the client does (-1: it
        /// sends until it sees the client's FIN).
        /// </summary>
        public static RunningTransfer StartTimed(int port, string from, long seed, long downBytes, bool tls)
        {
            RunningTransfer transfer = new RunningTransfer(Loopback.Connect(port, from), null, seed, -1, downBytes, tls);
            transfer._thread.Start();
            return transfer;
        }

        /// <summary>Null when the transfer finished whole within <paramref name="ms"/> (see <see cref="Verify"/>), else what went wrong.</summary>
        public string Failure(Upstream upstream, int ms)
        {
            if (!Wait(ms))
            {
                return "still running after " + ms + " ms; " + Standing(upstream);
            }

            if (Result == null)
            {
                return Error;
            }

            TransferRecord theirs = upstream.WaitRecord(Seed, 10000);
            if (theirs == null)
            {
                return "the upstream did not finish its side";
            }

            return Transfer.IsWhole(Result, theirs) ? null : Transfer.Describe(Result, theirs);
        }

        // Where a transfer that never ended stands: which side stopped, and whether bytes still move.
        private string Standing(Upstream upstream)
        {
            return "the client: " + _live.Stage + ", " + _live.SentBytes + " bytes sent, " + _live.ReceivedBytes + " received"
                + (_live.LastReceivedAt == 0 ? string.Empty : ", the last of them " + MsAgo(_live.LastReceivedAt) + " ms ago")
                + (_stoppedAt == 0 ? string.Empty : ", told to stop " + MsAgo(_stoppedAt) + " ms ago")
                + "; the upstream " + (upstream.WaitRecord(Seed, 0) == null ? "has not finished its side" : "has finished its side");
        }

        private static long MsAgo(long timestamp)
        {
            return (long)Stopwatch.GetElapsedTime(timestamp).TotalMilliseconds;
        }

        /// <summary>Verifies the client's account against the upstream's (<see cref="Transfer.Verify"/>).</summary>
        public bool Verify(Report report, string what, Upstream upstream, int ms = 30000)
        {
            if (!Wait(ms))
            {
                return report.Check(what + ": finished", false, "still running after " + ms + " ms; " + Standing(upstream));
            }

            if (Result == null)
            {
                return report.Check(what + ": finished", false, Error);
            }

            return Transfer.Verify(report, what, Result, upstream.WaitRecord(Seed, 10000));
        }
    }
}
