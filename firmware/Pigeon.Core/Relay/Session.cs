using System.Threading;
using Pigeon.Net;
using Pigeon.Routing;
using Pigeon.Tls;

namespace Pigeon.Relay
{
    /// <summary>
    /// One session slot: two buffers, two connection objects, a ClientHello reader and two
    /// parked threads, all made once at start and reused for every client the slot serves. This
    /// is what makes the data path allocation-free: a session only re-attaches sockets.
    /// </summary>
    /// <remarks>
    /// Threads: the forward thread runs the whole session (hello, upstream connect, PROXY line,
    /// client-to-upstream pump); the backward thread pumps upstream-to-client. Both use blocking
    /// Receive/Send (nanoFramework has no Select and no async API, and on .NET a blocking pump
    /// is the fastest), so timeouts are enforced from outside: the relay's reaper thread closes
    /// a connection whose deadline passed, which makes the blocked call return its failure value.
    /// </remarks>
    public sealed class Session
    {
        private readonly RelayServer _relay;
        private readonly object _lock = new object();
        private readonly byte[] _inbound;
        private readonly byte[] _outbound;
        private readonly ClientHelloReader _reader;
        private readonly AutoResetEvent _startForward = new AutoResetEvent(false);
        private readonly AutoResetEvent _startBackward = new AutoResetEvent(false);
        private readonly Thread _forward;
        private readonly Thread _backward;
        private IConnection _client;
        private readonly IConnection _upstream;

        private Route _route;
        private int _phase; // written under _lock; read without it (int reads are atomic; nanoFramework has no volatile)
        private int _deadline;
        private int _lastActivity;
        private bool _timedOut;
        private long _toUpstream;
        private long _toClient;
        private bool _backwardRunning; // forward thread only
        private int _pumps; // directions still pumping; the one that ends last frees the slot

        internal Session(RelayServer relay, int inboundBytes, int outboundBytes, int maxHelloBytes, IConnection client, IConnection upstream)
        {
            _relay = relay;
            _inbound = new byte[inboundBytes];
            _outbound = new byte[outboundBytes];
            _reader = new ClientHelloReader(maxHelloBytes < inboundBytes ? maxHelloBytes : inboundBytes);
            _client = client;
            _upstream = upstream;
            _forward = new Thread(ForwardLoop);
            _backward = new Thread(BackwardLoop);
        }

        /// <summary>The session's current phase (<see cref="SessionPhase"/>).</summary>
        public int Phase
        {
            get { return _phase; }
        }

        /// <summary>Bytes this session has relayed to the upstream so far.</summary>
        public long BytesToUpstream
        {
            get { return _toUpstream; }
        }

        /// <summary>Bytes this session has relayed to the client so far.</summary>
        public long BytesToClient
        {
            get { return _toClient; }
        }

        /// <summary>The route being served; null when the slot is free.</summary>
        public Route Route
        {
            get { return _route; }
        }

        internal void StartThreads()
        {
            _forward.Start();
            _backward.Start();
        }

        /// <summary>Claims a free slot for a new client (relay lock held by the caller).</summary>
        internal bool TryReserve()
        {
            lock (_lock)
            {
                if (_phase != SessionPhase.Free)
                {
                    return false;
                }

                _phase = SessionPhase.Reserved;
                return true;
            }
        }

        /// <summary>
        /// Hands the accepted client to this (reserved) slot. The listener's spare connection
        /// object becomes the slot's; the slot's idle one goes back to the listener as its spare.
        /// </summary>
        internal IConnection Begin(Route route, IConnection accepted)
        {
            IConnection idle = _client;
            _client = accepted;
            _route = route;
            _toUpstream = 0;
            _toClient = 0;
            _timedOut = false;
            route.Counters.OnAccepted();
            lock (_lock)
            {
                _phase = SessionPhase.Hello;
                _deadline = _relay.Now + (_relay.HelloTimeoutMs);
            }

            _startForward.Set();
            return idle;
        }

        /// <summary>Called by the reaper a few times a second: enforces every timeout.</summary>
        internal void Reap(int now)
        {
            lock (_lock)
            {
                int phase = _phase;
                if (phase == SessionPhase.Hello)
                {
                    if (Expired(now, _deadline))
                    {
                        _timedOut = true;
                        _client.Close();
                    }
                }
                else if (phase == SessionPhase.Connecting)
                {
                    if (Expired(now, _deadline))
                    {
                        _timedOut = true;
                        _upstream.Close();
                    }
                }
                else if (phase == SessionPhase.Relaying)
                {
                    if (unchecked(now - _lastActivity) >= _relay.IdleTimeoutMs)
                    {
                        _timedOut = true;
                        CloseBothLocked();
                    }
                }
                else if (phase == SessionPhase.Draining)
                {
                    if (Expired(now, _deadline))
                    {
                        CloseBothLocked();
                    }
                }
            }
        }

        /// <summary>Closes both sides (relay stopping).</summary>
        internal void Abort()
        {
            lock (_lock)
            {
                CloseBothLocked();
            }

            _startForward.Set();
            _startBackward.Set();
        }

        internal void Join(int milliseconds)
        {
            _forward.Join(milliseconds);
            _backward.Join(milliseconds);
        }

        private static bool Expired(int now, int deadline)
        {
            return unchecked(now - deadline) >= 0;
        }

        private void CloseBothLocked()
        {
            _client.Close();
            _upstream.Close();
        }

        private void ForwardLoop()
        {
            while (true)
            {
                _startForward.WaitOne();
                if (_relay.Stopping)
                {
                    return;
                }

                if (_phase == SessionPhase.Free)
                {
                    continue; // stray wake-up
                }

                RunSession();
                if (!_backwardRunning)
                {
                    Finish(); // refused or failed before the backward pump started
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
                if (_relay.Stopping)
                {
                    return;
                }

                Pump(_upstream, _client, _outbound, false);
                PumpEnded();
            }
        }

        private void RunSession()
        {
            Route route = _route;
            int received = 0;
            while (true)
            {
                int count = _client.Receive(_inbound, received, _inbound.Length - received);
                if (count <= 0)
                {
                    Refuse(route, TimedOut() ? RefusalReason.HelloTimeout : RefusalReason.ClosedEarly);
                    return;
                }

                received += count;
                int verdict = Inspect(route, received);
                if (verdict == Verdict.Go)
                {
                    break;
                }

                if (verdict != Verdict.NeedMore)
                {
                    Refuse(route, (RefusalReason)verdict);
                    return;
                }

                if (received == _inbound.Length)
                {
                    Refuse(route, RefusalReason.Malformed); // larger than the slot can hold
                    return;
                }
            }

            if (!ConnectUpstream(route))
            {
                route.Counters.OnUpstreamFailure();
                return;
            }

            if (route.ProxyProtocol)
            {
                int length = ProxyHeader.Write(_client.RemoteAddress, _client.RemotePort, _client.LocalAddress, _client.LocalPort, _outbound, 0);
                if (!_upstream.Send(_outbound, 0, length))
                {
                    route.Counters.OnUpstreamFailure();
                    return;
                }
            }

            // Replay what was read while deciding, then pump.
            if (!_upstream.Send(_inbound, 0, received))
            {
                route.Counters.OnUpstreamFailure();
                return;
            }

            _toUpstream = received;
            lock (_lock)
            {
                if (_phase != SessionPhase.Connecting)
                {
                    return; // closed meanwhile (relay stopping)
                }

                _lastActivity = _relay.Now;
                _phase = SessionPhase.Relaying;
            }

            _backwardRunning = true;
            _pumps = 2; // read by the backward thread only after the Set below
            _startBackward.Set();
            Pump(_client, _upstream, _inbound, true);
        }

        private int Inspect(Route route, int received)
        {
            if (!route.InspectsSni)
            {
                if (route.AllowTls || _inbound[0] != 0x16)
                {
                    return Verdict.Go;
                }

                // 0x16 0x03 0x00-0x04: a TLS handshake record; anything else is plain data.
                if (received < 3)
                {
                    return received == 2 && _inbound[1] != 0x03 ? Verdict.Go : Verdict.NeedMore;
                }

                return _inbound[1] == 0x03 && _inbound[2] <= 0x04 ? (int)RefusalReason.TlsOnChatPort : Verdict.Go;
            }

            HelloResult result = _reader.Read(_inbound, 0, received);
            if (result == HelloResult.NeedMore)
            {
                return Verdict.NeedMore;
            }

            if (result == HelloResult.NotTls)
            {
                return (int)RefusalReason.NotTls;
            }

            if (result == HelloResult.Malformed)
            {
                return (int)RefusalReason.Malformed;
            }

            if (result == HelloResult.NoServerName)
            {
                return (int)RefusalReason.SniNotAllowed;
            }

            return route.AllowList.Allows(_reader.HostBuffer, _reader.HostOffset, _reader.HostLength)
                ? Verdict.Go
                : (int)RefusalReason.SniNotAllowed;
        }

        private bool ConnectUpstream(Route route)
        {
            DnsCache dns = _relay.Dns;
            uint address;
            if (route.UpstreamFromSni)
            {
                return BeginConnect()
                    && dns.TryResolve(_reader.HostBuffer, _reader.HostOffset, _reader.HostLength, out address)
                    && ConnectTo(address, route.UpstreamPort);
            }

            if (BeginConnect() && dns.TryResolve(route.UpstreamHost, out address) && ConnectTo(address, route.UpstreamPort))
            {
                return true;
            }

            return route.FallbackHost != null
                && BeginConnect()
                && dns.TryResolve(route.FallbackHost, out address)
                && ConnectTo(address, route.UpstreamPort);
        }

        private bool BeginConnect()
        {
            lock (_lock)
            {
                if (_phase != SessionPhase.Hello && _phase != SessionPhase.Connecting)
                {
                    return false;
                }

                _timedOut = false;
                _phase = SessionPhase.Connecting;
                _deadline = _relay.Now + _relay.ConnectTimeoutMs;
                return true;
            }
        }

        private bool ConnectTo(uint address, int port)
        {
            if (!_upstream.Connect(address, port))
            {
                _upstream.Close();
                return false;
            }

            lock (_lock)
            {
                if (_timedOut)
                {
                    _upstream.Close(); // the reaper gave up on it while it was connecting
                    return false;
                }
            }

            return true;
        }

        private void Pump(IConnection from, IConnection to, byte[] buffer, bool forward)
        {
            while (true)
            {
                int count = from.Receive(buffer, 0, buffer.Length);
                if (count > 0)
                {
                    _lastActivity = _relay.Now;
                    if (!to.Send(buffer, 0, count))
                    {
                        break;
                    }

                    _lastActivity = _relay.Now;
                    if (forward)
                    {
                        _toUpstream += count;
                    }
                    else
                    {
                        _toClient += count;
                    }

                    continue;
                }

                if (count == 0)
                {
                    // One side finished sending. Pass the FIN on where the platform can, and give
                    // the other direction a short drain before the reaper closes both.
                    to.ShutdownSend();
                    lock (_lock)
                    {
                        if (_phase == SessionPhase.Relaying)
                        {
                            _phase = SessionPhase.Draining;
                            _deadline = _relay.Now + _relay.DrainMs;
                            return;
                        }
                    }

                    break; // the other direction already finished: close now
                }

                break; // error, reset or closed by the reaper
            }

            lock (_lock)
            {
                _phase = SessionPhase.Closing;
                CloseBothLocked(); // unblocks the other direction at once
            }
        }

        private void Refuse(Route route, RefusalReason reason)
        {
            route.Counters.OnRefused(reason);
        }

        private bool TimedOut()
        {
            lock (_lock)
            {
                return _timedOut;
            }
        }

        // Whichever direction ends last frees the slot, so neither thread waits for the other:
        // before, the forward thread slept until the backward one signalled it, one more thread
        // hand-off per session (docs/performance.md, connection rate).
        private void PumpEnded()
        {
            if (Interlocked.Decrement(ref _pumps) == 0)
            {
                Finish();
            }
        }

        private void Finish()
        {
            Route route = _route;
            lock (_lock)
            {
                CloseBothLocked();
                _phase = SessionPhase.Closing;
            }

            route.Counters.AddBytes(_toUpstream, _toClient);
            route.Counters.OnSessionEnded();
            lock (_lock)
            {
                _toUpstream = 0;
                _toClient = 0;
                _route = null;
                _phase = SessionPhase.Free;
            }
        }

        private static class Verdict
        {
            public const int Go = -1;
            public const int NeedMore = -2;
        }
    }
}
