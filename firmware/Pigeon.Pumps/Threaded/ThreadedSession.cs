using System.Threading;
using Pigeon.Net;
using Pigeon.Routing;
using Pigeon.Relay;

namespace Pigeon.Pumps.Threaded
{
    /// <summary>
    /// A session slot of the blocking pump: one buffer, two connection objects and two parked
    /// threads, made once at start and reused for every client the slot serves, so a session
    /// allocates nothing. nanoFramework has no Select and no async sockets, so this is the
    /// board's pump. It only carries out the steps <see cref="RelaySession"/> hands it, with
    /// plain blocking calls; every decision is the session's.
    /// </summary>
    /// <remarks>
    /// The buffer is max(2 x bufferBytes, maxHelloBytes on SNI routes): admission reads the
    /// ClientHello into all of it (before anything is relayed), then the two halves serve the
    /// two directions, so a hello-sized buffer costs no memory on top of the relay buffers.
    /// The forward thread runs the session's steps and then the client-to-upstream pump; the
    /// backward thread pumps upstream-to-client. Both block in Receive/Send; the reaper enforces
    /// timeouts by closing a connection, which makes the blocked call fail.
    /// </remarks>
    public sealed partial class ThreadedSession : RelaySession
    {
        private readonly ThreadedRelay _owner;
        private readonly byte[] _buffer;
        private readonly int _half;
        private readonly AutoResetEvent _startForward = new AutoResetEvent(false);
        private readonly AutoResetEvent _startBackward = new AutoResetEvent(false);
        private readonly Thread _forward;
        private readonly Thread _backward;
        private readonly IConnection _upstream;
        private IConnection _client; // the accepted socket: what the reaper closes
        private IConnection _clientIO; // what the pumps read and write: the socket, or the TLS inside it
        private SessionStep _first;
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
        internal IConnection Start(Route route, IConnection accepted, ulong countedKey)
        {
            IConnection idle = _client;
            _client = accepted;
            _clientIO = accepted;
            _first = Begin(route, NetAddress.FromIPv4(accepted.RemoteAddress), accepted.RemotePort, NetAddress.FromIPv4(accepted.LocalAddress), accepted.LocalPort, countedKey);
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

        /// <inheritdoc />
        protected override byte[] RentBuffer(int atLeast)
        {
            return atLeast <= _buffer.Length ? _buffer : null; // the slot's one buffer is all there is
        }

        /// <inheritdoc />
        protected override void ReturnBuffer(byte[] buffer)
        {
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

                Run(_first);
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

        // Carries out the session's steps with blocking calls until it relays or is done.
        private void Run(SessionStep step)
        {
            while (true)
            {
                int result;
                switch (step)
                {
                    case SessionStep.WaitClient:
                        result = 0; // a blocking pump holds its slot's buffer anyway: read at once
                        break;
                    case SessionStep.ReadClient:
                        result = _clientIO.Receive(StepBuffer, StepOffset, StepCount);
                        break;
                    case SessionStep.Handshake:
                        RefusalReason refusal = RefusalReason.TlsFailed;
                        result = 0;
                        Handshake(ref result, ref refusal);
                        if (result <= 0)
                        {
                            step = HandshakeFailed(refusal);
                            continue;
                        }

                        break;
                    case SessionStep.Resolve:
                        result = Resolve() ? 1 : 0;
                        break;
                    case SessionStep.Connect:
                        result = TargetAddress.IsIPv4 && _upstream.Connect(TargetAddress.IPv4, TargetPort) ? 1 : 0;
                        break;
                    case SessionStep.SendUpstream:
                        result = _upstream.Send(StepBuffer, StepOffset, StepCount) ? 1 : 0;
                        break;
                    case SessionStep.SendClient:
                        result = _clientIO.Send(StepBuffer, StepOffset, StepCount) ? 1 : 0;
                        break;
                    case SessionStep.ShutdownClient:
                        _clientIO.ShutdownSend();
                        result = 1;
                        break;
                    case SessionStep.Relay:
                        _backwardRunning = true;
                        _pumps = 2; // read by the backward thread only after the Set below
                        _startBackward.Set();
                        Pump(_clientIO, _upstream, 0, _half, true);
                        return;
                    default:
                        return;
                }

                step = Completed(result);
            }
        }

        // The TLS handshake of a terminateTls route (ThreadedSession.Host.cs): result 1 when done,
        // else the refusal. Without that file (the board, which terminates no TLS) the call is
        // dropped and the handshake fails.
        partial void Handshake(ref int result, ref RefusalReason refusal);

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
