using System.Threading;
using Pigeon.Net;

namespace Pigeon.Relay
{
    /// <summary>
    /// A session slot of the blocking pump: one buffer, two connection objects and two parked
    /// threads, made once at start and reused for every client the slot serves, so a session
    /// allocates nothing. nanoFramework has no Select and no async sockets, so this is the
    /// board's pump; every decision is <see cref="RelaySession"/>'s.
    /// </summary>
    /// <remarks>
    /// The buffer is max(2 x bufferBytes, maxHelloBytes on SNI routes): admission reads the
    /// ClientHello into all of it (before anything is relayed), then the two halves serve the
    /// two directions, so a hello-sized buffer costs no memory on top of the relay buffers.
    /// The forward thread runs admission, the dial, the PROXY header and the client-to-upstream
    /// pump; the backward thread pumps upstream-to-client. Both block in Receive/Send; the
    /// reaper enforces timeouts by closing a connection, which makes the blocked call fail.
    /// </remarks>
    public sealed class ThreadedSession : RelaySession
    {
        private readonly ThreadedRelay _owner;
        private readonly byte[] _buffer;
        private readonly int _half;
        private readonly byte[] _small = new byte[DecoyPage.MaxHeadLength]; // PROXY header, decoy head
        private readonly AutoResetEvent _startForward = new AutoResetEvent(false);
        private readonly AutoResetEvent _startBackward = new AutoResetEvent(false);
        private readonly Thread _forward;
        private readonly Thread _backward;
        private readonly IConnection _upstream;
        private IConnection _client; // the accepted socket: what the reaper closes
        private IConnection _clientIO; // what the pumps read and write: the socket, or the TLS inside it
        private bool _backwardRunning; // forward thread only
        private int _pumps; // directions still pumping; the one that ends last frees the slot

        internal ThreadedSession(ThreadedRelay owner, int bufferLength, IConnection client, IConnection upstream)
            : base(owner)
        {
            _owner = owner;
            _buffer = new byte[bufferLength];
            _half = bufferLength / 2;
            _client = client;
            _clientIO = client;
            _upstream = upstream;
            _forward = new Thread(ForwardLoop);
            _backward = new Thread(BackwardLoop);
        }

        /// <summary>Bytes of buffer this slot holds.</summary>
        public int BufferLength
        {
            get { return _buffer.Length; }
        }

        internal void StartThreads()
        {
            _forward.Start();
            _backward.Start();
        }

        /// <summary>
        /// Hands the accepted client to this (claimed) slot. The listener's spare connection
        /// object becomes the slot's; the slot's idle one goes back to the listener as its spare.
        /// </summary>
        internal IConnection Start(Pigeon.Routing.Route route, IConnection accepted, uint countedAddress)
        {
            IConnection idle = _client;
            _client = accepted;
            _clientIO = accepted;
            Begin(route, accepted.RemoteAddress, accepted.RemotePort, accepted.LocalAddress, accepted.LocalPort, countedAddress);
            _startForward.Set();
            return idle;
        }

        internal void Wake()
        {
            _startForward.Set();
            _startBackward.Set();
        }

        internal void Join(int milliseconds)
        {
            _forward.Join(milliseconds);
            _backward.Join(milliseconds);
        }

        /// <inheritdoc />
        protected override void CloseClientIO()
        {
            _client.Close();
            if (_clientIO != _client)
            {
                _clientIO.Close();
            }
        }

        /// <inheritdoc />
        protected override void CloseUpstreamIO()
        {
            _upstream.Close();
        }

        private void ForwardLoop()
        {
            while (true)
            {
                _startForward.WaitOne();
                if (_owner.Stopping)
                {
                    return;
                }

                if (Phase == SessionPhase.Free || Phase == SessionPhase.Reserved)
                {
                    continue; // stray wake-up
                }

                RunSession();
                if (!_backwardRunning)
                {
                    End(); // refused or failed before the backward pump started
                }
                else
                {
                    _backwardRunning = false;
                    PumpEnded();
                }
            }
        }

        private void BackwardLoop()
        {
            while (true)
            {
                _startBackward.WaitOne();
                if (_owner.Stopping)
                {
                    return;
                }

                Pump(_upstream, _clientIO, _half, _buffer.Length - _half, false);
                PumpEnded();
            }
        }

        private void RunSession()
        {
            int received = ReadUntilAdmitted();
            if (received < 0)
            {
                return;
            }

            if (!Dial())
            {
                UpstreamFailed();
                return;
            }

            int header = WriteProxyHeader(_small, 0);
            if (header > 0 && !_upstream.Send(_small, 0, header))
            {
                UpstreamFailed();
                return;
            }

            // Replay what was read while deciding, then pump.
            int payload = PayloadOffset;
            if (received > payload && !_upstream.Send(_buffer, payload, received - payload))
            {
                UpstreamFailed();
                return;
            }

            if (!StartRelaying(received - payload))
            {
                return; // closed meanwhile (relay stopping)
            }

            _backwardRunning = true;
            _pumps = 2; // read by the backward thread only after the Set below
            _startBackward.Set();
            Pump(_clientIO, _upstream, 0, _half, true);
        }

        // Reads and decides until admitted; returns the bytes held in the buffer, or -1 when the
        // client was refused (counted), answered as a probe, or gone.
        private int ReadUntilAdmitted()
        {
            int received = 0;
            while (true)
            {
                int count = _clientIO.Receive(_buffer, received, _buffer.Length - received);
                if (count <= 0)
                {
                    RefuseUnfinished();
                    return -1;
                }

                received += count;
                int verdict = Admit(_buffer, 0, received);
                if (verdict == Verdict.Go)
                {
                    return received;
                }

                if (verdict == Verdict.NeedMore)
                {
                    if (received == _buffer.Length)
                    {
                        Refuse((int)RefusalReason.Malformed); // larger than the slot can hold
                        return -1;
                    }

                    continue;
                }

                if (verdict == Verdict.StartTls)
                {
                    if (!StartTls(received))
                    {
                        return -1;
                    }

                    received = 0;
                    continue;
                }

                if (verdict == Verdict.Decoy)
                {
                    AnswerProbe(received);
                    return -1;
                }

                Refuse(verdict);
                return -1;
            }
        }

        private bool StartTls(int received)
        {
            ITlsServer tls = _owner.Tls;
            if (tls == null)
            {
                Refuse((int)RefusalReason.TlsFailed);
                return false;
            }

            int refusal;
            int payload = PayloadOffset;
            IConnection inner = tls.Handshake(_client, _buffer, payload, received - payload, out refusal);
            if (inner == null)
            {
                Refuse(TimedOut ? (int)RefusalReason.HelloTimeout : refusal);
                return false;
            }

            _clientIO = inner;
            TlsStarted();
            return true;
        }

        // A request inside the TLS: read its head (bounded by the buffer and the hello timeout),
        // answer as a small web server, close. Nothing is dialled.
        private void AnswerProbe(int received)
        {
            while (!HttpProbe.HeadComplete(_buffer, 0, received) && received < _buffer.Length)
            {
                int count = _clientIO.Receive(_buffer, received, _buffer.Length - received);
                if (count <= 0)
                {
                    break;
                }

                received += count;
            }

            int head = WriteDecoyHead(_buffer, 0, received, _small, 0);
            DecoyPage decoy = Relay.Decoy;
            if (_clientIO.Send(_small, 0, head) && decoy.BodyLength > 0)
            {
                _clientIO.Send(decoy.Body, 0, decoy.BodyLength);
            }

            _clientIO.ShutdownSend();
        }

        private bool Dial()
        {
            while (true)
            {
                int target = NextTarget();
                if (target == TargetNone)
                {
                    return false;
                }

                if (target == TargetLookup && !LookupTarget())
                {
                    continue;
                }

                if (_upstream.Connect(TargetAddress, TargetPort) && Connected())
                {
                    return true;
                }

                _upstream.Close();
            }
        }

        private void Pump(IConnection from, IConnection to, int offset, int length, bool forward)
        {
            while (true)
            {
                int count = from.Receive(_buffer, offset, length);
                if (count > 0)
                {
                    Touched();
                    if (!to.Send(_buffer, offset, count))
                    {
                        break;
                    }

                    Moved(forward, count);
                    continue;
                }

                if (count == 0)
                {
                    // This side finished. Pass the FIN on where the platform can (the board
                    // cannot) and let the other direction run until it ends or goes quiet.
                    to.ShutdownSend();
                    if (DirectionFinished(forward))
                    {
                        return;
                    }
                }

                break; // error, reset, closed by the reaper, or both directions finished
            }

            CloseAll(); // unblocks the other direction at once
        }

        // Whichever direction ends last frees the slot, so neither thread waits for the other
        // (docs/performance.md, connection rate).
        private void PumpEnded()
        {
            if (Interlocked.Decrement(ref _pumps) == 0)
            {
                End();
            }
        }
    }
}
