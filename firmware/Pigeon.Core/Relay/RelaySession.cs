using System.Threading;
using Pigeon.Routing;
using Pigeon.Tls;

namespace Pigeon.Relay
{
    /// <summary>
    /// Everything a session decides, whatever moves its bytes: admission of the first bytes,
    /// the upstream to dial and in what order, the PROXY header, every timeout, half-close,
    /// eviction and the counters. A pump (<see cref="ThreadedSession"/>: blocking threads, on the
    /// board; the host's event-driven one) derives from it, does the I/O, and asks it at each
    /// step; it closes the pump's sockets through <see cref="CloseClientIO"/> and
    /// <see cref="CloseUpstreamIO"/> when a deadline passes.
    /// </summary>
    /// <remarks>
    /// <code>
    ///   Begin ─► Hello: Admit(bytes) until Go ─┬─ StartTls ─► pump's TLS handshake ─► TlsStarted ─► Admit(inner bytes)
    ///                                          └─ Decoy ───► pump answers WriteDecoyHead, closes
    ///          ─► Connecting: NextTarget [Lookup] connect, per attempt (connect timeout)
    ///          ─► WriteProxyHeader, replay Payload ─► StartRelaying
    ///          ─► Relaying: Moved(...) per chunk (idle timeout)
    ///          ─► DirectionFinished(one side) ─► HalfClosed (the other runs until it ends or idles
    ///             for the drain time) ─► both finished or Failed ─► End
    /// </code>
    /// One object serves many clients in turn (a board slot, a pooled host session): nothing is
    /// allocated per session. Phase changes happen under the session's lock; the byte and
    /// activity counters are written by the pump threads alone (int reads are atomic).
    /// </remarks>
    public abstract class RelaySession
    {
        /// <summary>Answer of <see cref="NextTarget"/>: <see cref="TargetAddress"/> is ready to connect.</summary>
        public const int TargetReady = 0;

        /// <summary>Answer of <see cref="NextTarget"/>: the name is not cached; call <see cref="LookupTarget"/> (it may block).</summary>
        public const int TargetLookup = 1;

        /// <summary>Answer of <see cref="NextTarget"/>: no upstream is left to try.</summary>
        public const int TargetNone = 2;

        private const int StageHeader = 0; // acceptProxy: the load balancer's PROXY header
        private const int StageOuter = 1;  // the client's first bytes or ClientHello
        private const int StageInner = 2;  // the first bytes inside a terminated TLS

        private readonly RelayServer _relay;
        private readonly object _lock = new object();
        private ClientHelloReader _reader; // lent by the relay while an SNI route's hello is read and dialled
        private readonly ProxyHeaderReader _proxyReader = new ProxyHeaderReader();

        private Route _route;
        private int _phase;
        private int _deadline;
        private int _lastActivity;
        private bool _timedOut;
        private bool _evicted;
        private long _toUpstream;
        private long _toClient;
        private int _stage;
        private int _skip;
        private uint _clientAddress;
        private int _clientPort;
        private uint _localAddress;
        private int _localPort;
        private uint _countedAddress;
        private int _attempt;
        private string _targetName;
        private int _targetPort;
        private bool _forwardDone;
        private bool _backwardDone;
        private int _writing; // directions with a send under way (between Touched and Moved)

        /// <summary>A session of <paramref name="relay"/>.</summary>
        protected RelaySession(RelayServer relay)
        {
            _relay = relay;
            TableIndex = -1;
        }

        /// <summary>The session's current phase (<see cref="SessionPhase"/>).</summary>
        public int Phase
        {
            get { return _phase; }
        }

        /// <summary>The route being served; null when the session is free.</summary>
        public Route Route
        {
            get { return _route; }
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

        /// <summary>The relay's clock (ms) at the last byte moved either way.</summary>
        public int LastActivity
        {
            get { return _lastActivity; }
        }

        /// <summary>After <see cref="Verdict.Go"/> or StartTls: where the client's own bytes start in the buffer (after a PROXY header).</summary>
        public int PayloadOffset
        {
            get { return _skip; }
        }

        /// <summary>After <see cref="NextTarget"/>: the address to connect to.</summary>
        public uint TargetAddress { get; private set; }

        /// <summary>After <see cref="NextTarget"/>: the port to connect to.</summary>
        public int TargetPort
        {
            get { return _targetPort; }
        }

        /// <summary>True once the reaper closed something of this session because a deadline passed.</summary>
        public bool TimedOut
        {
            get
            {
                lock (_lock)
                {
                    return _timedOut;
                }
            }
        }

        /// <summary>The relay this session belongs to.</summary>
        protected RelayServer Relay
        {
            get { return _relay; }
        }

        /// <summary>Position in the relay's table of live sessions (-1 when not in it).</summary>
        internal int TableIndex { get; set; }

        /// <summary>
        /// Starts serving a client admitted by <see cref="RelayServer.TryAdmit"/>: its endpoints as
        /// the socket sees them, and the address the relay counted for it (0 for none).
        /// </summary>
        protected void Begin(Route route, uint clientAddress, int clientPort, uint localAddress, int localPort, uint countedAddress)
        {
            _route = route;
            _clientAddress = clientAddress;
            _clientPort = clientPort;
            _localAddress = localAddress;
            _localPort = localPort;
            _countedAddress = countedAddress;
            _toUpstream = 0;
            _toClient = 0;
            _timedOut = false;
            _evicted = false;
            _stage = route.AcceptProxy ? StageHeader : StageOuter;
            _skip = 0;
            _attempt = 0;
            _forwardDone = false;
            _backwardDone = false;
            _writing = 0;
            route.Counters.OnAccepted();
            lock (_lock)
            {
                _phase = SessionPhase.Hello;
                _deadline = _relay.Now + _relay.HelloTimeoutMs;
            }

            _relay.Register(this);
        }

        /// <summary>
        /// Decides on the bytes read so far in this stage (<paramref name="offset"/> is where the
        /// stage's buffer starts; every call passes all of them). Returns a <see cref="Verdict"/>
        /// or a <see cref="RefusalReason"/>; a refusal is not counted until <see cref="Refuse"/>.
        /// </summary>
        public int Admit(byte[] buffer, int offset, int count)
        {
            Route route = _route;
            if (_stage == StageHeader)
            {
                int header = _proxyReader.Read(buffer, offset, count);
                if (header == ProxyHeaderReader.NeedMore)
                {
                    return Verdict.NeedMore;
                }

                if (header == ProxyHeaderReader.Invalid)
                {
                    return (int)RefusalReason.BadProxyHeader;
                }

                if (_proxyReader.HasAddresses)
                {
                    _clientAddress = _proxyReader.SourceAddress;
                    _clientPort = _proxyReader.SourcePort;
                    _localAddress = _proxyReader.DestinationAddress;
                    _localPort = _proxyReader.DestinationPort;
                }

                // The cap counts the original client, known only now.
                if (!_relay.TryCountClient(_clientAddress))
                {
                    return (int)RefusalReason.ClientLimit;
                }

                _countedAddress = _clientAddress;
                _skip = _proxyReader.Length;
                _stage = StageOuter;
            }

            int at = offset + _skip;
            int left = count - _skip;
            if (_stage == StageInner)
            {
                return Admission.Inner(route, buffer, at, left);
            }

            if (left < 1)
            {
                return Verdict.NeedMore;
            }

            if (route.InspectsSni)
            {
                if (_reader == null)
                {
                    _reader = _relay.RentReader();
                }

                return Admission.Sni(route, _reader, buffer, at, left);
            }

            return route.TerminateTls ? Admission.TlsRecord(buffer, at, left) : Admission.Plain(route, buffer, at, left);
        }

        /// <summary>The TLS handshake finished: what follows are the first bytes inside it, read into a fresh buffer.</summary>
        public void TlsStarted()
        {
            _stage = StageInner;
            _skip = 0;
        }

        /// <summary>Counts a refusal (the pump closes the client and ends the session).</summary>
        public void Refuse(int reason)
        {
            _route.Counters.OnRefused((RefusalReason)reason);
        }

        /// <summary>
        /// Counts why admission ended without a verdict: a hello timeout when the reaper closed
        /// the client, otherwise a client that closed or reset first.
        /// </summary>
        public void RefuseUnfinished()
        {
            Refuse(TimedOut ? (int)RefusalReason.HelloTimeout : (int)RefusalReason.ClosedEarly);
        }

        /// <summary>Writes the decoy's response head for the request in the buffer (see <see cref="RelayServer.Decoy"/>); counts the probe.</summary>
        public int WriteDecoyHead(byte[] request, int offset, int count, byte[] buffer, int at)
        {
            Refuse((int)RefusalReason.Probe);
            return _relay.Decoy.WriteHead(request, offset, count, buffer, at, System.DateTime.UtcNow);
        }

        /// <summary>
        /// Picks the next upstream to try and starts its connect deadline. The order: the
        /// configured upstream then the fallback, swapped while health checks see only the
        /// fallback up; on upstreamFromSni routes, the SNI host alone.
        /// </summary>
        public int NextTarget()
        {
            Route route = _route;
            lock (_lock)
            {
                if (_phase != SessionPhase.Hello && _phase != SessionPhase.Connecting)
                {
                    return TargetNone; // closed meanwhile (relay stopping)
                }

                _timedOut = false;
                _phase = SessionPhase.Connecting;
                _deadline = _relay.Now + _relay.ConnectTimeoutMs;
            }

            while (true)
            {
                int attempt = _attempt++;
                _targetPort = route.UpstreamPort;
                TargetAddress = 0;
                int cached;
                uint address;
                if (route.UpstreamFromSni)
                {
                    if (attempt > 0)
                    {
                        return TargetNone;
                    }

                    _targetName = null;
                    cached = _relay.Dns.TryCached(_reader.HostBuffer, _reader.HostOffset, _reader.HostLength, out address);
                }
                else
                {
                    UpstreamHealth health = _relay.Health;
                    bool swap = health != null && health.PreferFallback(route.Index);
                    string name = attempt == 0 ? (swap ? route.FallbackHost : route.UpstreamHost)
                        : attempt == 1 ? (swap ? route.UpstreamHost : route.FallbackHost)
                        : null;
                    if (name == null)
                    {
                        return TargetNone;
                    }

                    _targetName = name;
                    cached = _relay.Dns.TryCached(name, out address);
                }

                if (cached == DnsCache.Hit)
                {
                    TargetAddress = address;
                    return TargetReady;
                }

                if (cached == DnsCache.Miss)
                {
                    return TargetLookup;
                }

                // A recent failure of this name: go on to the next one without waiting.
            }
        }

        /// <summary>Resolves the target <see cref="NextTarget"/> named (blocks on the platform resolver); false when it does not resolve.</summary>
        public bool LookupTarget()
        {
            uint address;
            bool ok = _targetName != null
                ? _relay.Dns.TryResolve(_targetName, out address)
                : _relay.Dns.TryResolve(_reader.HostBuffer, _reader.HostOffset, _reader.HostLength, out address);
            TargetAddress = ok ? address : 0;
            return ok;
        }

        /// <summary>The connect succeeded: false when the reaper gave up on it meanwhile (then try the next target).</summary>
        public bool Connected()
        {
            lock (_lock)
            {
                return !_timedOut && _phase == SessionPhase.Connecting;
            }
        }

        /// <summary>Counts an upstream that could not be reached (every target tried) or failed before relaying began.</summary>
        public void UpstreamFailed()
        {
            _route.Counters.OnUpstreamFailure();
        }

        /// <summary>Writes the route's PROXY header for this client into <paramref name="buffer"/>; returns its length (0 for none).</summary>
        public int WriteProxyHeader(byte[] buffer, int offset)
        {
            return ProxyHeader.Write(_route.ProxyVersion, _clientAddress, _clientPort, _localAddress, _localPort, buffer, offset);
        }

        /// <summary>Both pumps may start: false when the session was closed meanwhile.</summary>
        public bool StartRelaying(int replayed)
        {
            ReturnReader(); // the hello is decided and dialled
            _toUpstream = replayed;
            lock (_lock)
            {
                if (_phase != SessionPhase.Connecting)
                {
                    return false;
                }

                _lastActivity = _relay.Now;
                _phase = SessionPhase.Relaying;
            }

            _route.Counters.OnRelaying();
            return true;
        }

        /// <summary>
        /// Bytes arrived from one side and are about to be sent on: renews the idle and drain
        /// timers, and marks a send under way until <see cref="Moved"/>.
        /// </summary>
        public void Touched()
        {
            _lastActivity = _relay.Now;
            Interlocked.Increment(ref _writing);
        }

        /// <summary><paramref name="count"/> bytes were relayed in one direction (the send begun at <see cref="Touched"/> is done).</summary>
        public void Moved(bool forward, int count)
        {
            Interlocked.Decrement(ref _writing);
            _lastActivity = _relay.Now;
            if (forward)
            {
                _toUpstream += count;
            }
            else
            {
                _toClient += count;
            }
        }

        /// <summary>
        /// One direction finished (its source sent FIN and the pump passed the FIN on where it can).
        /// Returns true when the other direction is still running and should go on (half-closed);
        /// false when both have finished and the session should close.
        /// </summary>
        public bool DirectionFinished(bool forward)
        {
            lock (_lock)
            {
                if (forward)
                {
                    _forwardDone = true;
                }
                else
                {
                    _backwardDone = true;
                }

                if ((_phase == SessionPhase.Relaying || _phase == SessionPhase.HalfClosed) && !(_forwardDone && _backwardDone))
                {
                    _phase = SessionPhase.HalfClosed;
                    _lastActivity = _relay.Now; // the drain time counts from here, then from each byte
                    return true;
                }

                return false;
            }
        }

        /// <summary>A direction failed (error, reset, closed by the reaper) or both finished: close both sides now.</summary>
        public void CloseAll()
        {
            lock (_lock)
            {
                if (_phase != SessionPhase.Free)
                {
                    _phase = SessionPhase.Closing;
                }

                CloseClientIO();
                CloseUpstreamIO();
            }
        }

        /// <summary>
        /// Ends the session once its pumps have stopped: closes both sides, folds its byte
        /// counters into the route's, and gives its place (and its client's count) back.
        /// </summary>
        protected void End()
        {
            Route route = _route;
            CloseAll();
            ReturnReader();
            route.Counters.AddBytes(_toUpstream, _toClient);
            route.Counters.OnSessionEnded();
            _relay.Unregister(this, _countedAddress);
            lock (_lock)
            {
                _toUpstream = 0;
                _toClient = 0;
                _countedAddress = 0;
                _route = null;
                _phase = SessionPhase.Free;
            }

            _relay.Release();
        }

        private void ReturnReader()
        {
            ClientHelloReader reader = _reader;
            _reader = null;
            if (reader != null)
            {
                _relay.ReturnReader(reader);
            }
        }

        /// <summary>The reaper's look at this session (every <see cref="RelayServer.ReaperIntervalMs"/>): enforces every timeout.</summary>
        internal void Reap(int now)
        {
            // Lock-free first look: most sessions are nowhere near a deadline.
            int phase = _phase;
            if (phase == SessionPhase.Relaying)
            {
                if (unchecked(now - _lastActivity) < _relay.IdleTimeoutMs)
                {
                    return;
                }
            }
            else if (phase == SessionPhase.HalfClosed)
            {
                if (unchecked(now - _lastActivity) < DrainLimit())
                {
                    return;
                }
            }
            else if (phase != SessionPhase.Hello && phase != SessionPhase.Connecting)
            {
                return;
            }
            else if (unchecked(now - _deadline) < 0)
            {
                return;
            }

            lock (_lock)
            {
                phase = _phase;
                if (phase == SessionPhase.Hello && unchecked(now - _deadline) >= 0)
                {
                    _timedOut = true;
                    CloseClientIO();
                }
                else if (phase == SessionPhase.Connecting && unchecked(now - _deadline) >= 0)
                {
                    _timedOut = true;
                    CloseUpstreamIO(); // the pump then tries the next target
                }
                else if (phase == SessionPhase.Relaying && unchecked(now - _lastActivity) >= _relay.IdleTimeoutMs)
                {
                    _timedOut = true;
                    _phase = SessionPhase.Closing;
                    CloseClientIO();
                    CloseUpstreamIO();
                }
                else if (phase == SessionPhase.HalfClosed && unchecked(now - _lastActivity) >= DrainLimit())
                {
                    _phase = SessionPhase.Closing;
                    CloseClientIO();
                    CloseUpstreamIO();
                }
            }
        }

        // The drain time bounds a silent direction. A send still under way is a direction still
        // moving, only slower than one relay write (a slow phone reading a big answer after its
        // FIN: the whole write waits on its socket buffer for longer than the drain time), so it
        // is bounded by the idle timeout instead.
        private int DrainLimit()
        {
            return _writing > 0 ? _relay.IdleTimeoutMs : _relay.DrainMs;
        }

        /// <summary>Idle time of a relaying session, or -1 when it may not be evicted (still being admitted, closing).</summary>
        internal int IdleFor(int now)
        {
            int phase = _phase;
            return phase == SessionPhase.Relaying || phase == SessionPhase.HalfClosed ? unchecked(now - _lastActivity) : -1;
        }

        /// <summary>Claims this free session for a new client (relay side; false when it is not free).</summary>
        internal bool TryClaim()
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

        /// <summary>Gives back a claim that never began (the client was refused before its session started).</summary>
        internal void Unclaim()
        {
            lock (_lock)
            {
                if (_phase == SessionPhase.Reserved)
                {
                    _phase = SessionPhase.Free;
                }
            }
        }

        /// <summary>Ends this idle session to give its place to a new client; false when it is no longer evictable.</summary>
        internal bool Evict()
        {
            lock (_lock)
            {
                if (_evicted || (_phase != SessionPhase.Relaying && _phase != SessionPhase.HalfClosed))
                {
                    return false;
                }

                _evicted = true;
                _phase = SessionPhase.Closing;
                _route.Counters.OnRefused(RefusalReason.Evicted);
                CloseClientIO();
                CloseUpstreamIO();
                return true;
            }
        }

        /// <summary>Closes both sides because the relay is stopping.</summary>
        internal void Abort()
        {
            CloseAll();
        }

        /// <summary>Closes the client side's socket (any thread; must make a blocked call on it return).</summary>
        protected abstract void CloseClientIO();

        /// <summary>Closes the upstream side's socket (any thread; must make a blocked call on it return).</summary>
        protected abstract void CloseUpstreamIO();
    }
}
