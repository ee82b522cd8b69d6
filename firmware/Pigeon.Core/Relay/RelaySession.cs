using System.Threading;
using Pigeon.Net;
using Pigeon.Routing;
using Pigeon.Tls;
using Pigeon.Upstream;

namespace Pigeon.Relay
{
    /// <summary>
    /// A session: the one sequence of its steps and everything it decides, whatever moves its
    /// bytes. The sequence (admission of the first bytes, the TLS stage, the probe answer, the
    /// dial through the <see cref="UpstreamDialer"/>, the opening bytes and the replay) hands its
    /// pump one <see cref="SessionStep"/> at a time; the pump carries it out and reports with
    /// <see cref="Completed"/>. Then the pump relays both directions and reports each chunk
    /// (<see cref="Touched"/>, <see cref="Moved"/>, <see cref="DirectionFinished"/>); the session
    /// enforces every timeout, eviction and the counters. Three pumps carry the steps out: the
    /// board's blocking one (Pigeon.Pumps.Threaded), the host's event-driven one
    /// (Pigeon.Pumps.Events) and the tests' scripted one; none decides anything.
    /// </summary>
    /// <remarks>
    /// <code>
    ///   Begin ─► WaitClient ─► ReadClient ... Admit(bytes so far) ─┬─ NeedMore ─► ReadClient (a bigger buffer once full, if the pump has one)
    ///                                                              ├─ Refuse ──► Done (counted)
    ///                                                              ├─ StartTls ► Handshake ─► ReadClient (inside the TLS) ... Admit
    ///                                                              ├─ Decoy ───► ReadClient (rest of the head) ─► SendClient head, body ─► ShutdownClient ─► Done
    ///                                                              └─ Go ──────► dial
    ///   dial: UpstreamDialer.Next ─► [Resolve] ─► Connect (deadline per attempt; a failure tries the next) ─► SendUpstream opening (PROXY header)
    ///         ─► SendUpstream replay of the client's bytes ─► Relay: Touched/Moved per chunk (idle timeout)
    ///         ─► DirectionFinished(one side) ─► HalfClosed (the other runs until it ends or idles for the drain time) ─► End
    /// </code>
    /// One object serves many clients in turn (a board slot, a pooled host session): nothing is
    /// allocated per session. Phase changes happen under the session's lock; the byte and
    /// activity counters are written by the pump threads alone (int reads are atomic).
    /// </remarks>
    public abstract class RelaySession
    {
        private const int StageHeader = 0; // acceptProxy: the load balancer's PROXY header
        private const int StageOuter = 1;  // the client's first bytes or ClientHello
        private const int StageInner = 2;  // the first bytes inside a terminated TLS

        // Where the sequence stands: what the step handed out was for.
        private const int AtWait = 0;
        private const int AtAdmit = 1;
        private const int AtHandshake = 2;
        private const int AtWebRead = 3;   // a request head for the web site
        private const int AtWebHead = 4;   // its answer's head sent
        private const int AtWebBody = 5;   // its answer's body sent
        private const int AtWebEnd = 6;    // the FIN after the last answer
        private const int AtWebWait = 13;  // a kept-alive connection waits for its next request
        private const int AtResolve = 7;
        private const int AtConnect = 8;
        private const int AtOpening = 9;
        private const int AtReplay = 10;
        private const int AtRelay = 11;
        private const int AtDone = 12;

        private readonly RelayServer _relay;
        private readonly object _lock = new object();
        private readonly ProxyHeaderReader _proxyReader = new ProxyHeaderReader();
        private readonly UpstreamDialer _dialer;
        private readonly byte[] _small = new byte[ProxyHeader.MaxLength]; // the opening bytes (a PROXY header)
        private ClientHelloReader _reader; // lent by the relay while an SNI route's hello is read and dialled

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
        private NetAddress _clientAddress;
        private int _clientPort;
        private NetAddress _localAddress;
        private int _localPort;
        private ulong _countedKey;
        private bool _forwardDone;
        private bool _backwardDone;
        private int _writing; // directions with a send under way (between Touched and Moved)

        private int _at;
        private byte[] _admission; // the first bytes, lent by the pump from Begin to the relay
        private int _received;
        private int _helloStart; // when the current wait for a hello or a request began (the slot defence counts from it)
        private bool _signal; // the bytes inside the TLS are a Signal ClientHello, passed through
        private byte[] _webBody;
        private int _webBodyLength;
        private int _webConsumed;
        private bool _webKeepAlive;

        /// <summary>A session of <paramref name="relay"/>.</summary>
        protected RelaySession(RelayServer relay)
        {
            _relay = relay;
            _dialer = new UpstreamDialer(relay);
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

        /// <summary>The client as the relay knows it (from the socket, or from a load balancer's PROXY header).</summary>
        public NetAddress ClientAddress
        {
            get { return _clientAddress; }
        }

        /// <summary>The buffer of the current step (a read's target, a send's bytes, a handshake's first bytes).</summary>
        public byte[] StepBuffer { get; private set; }

        /// <summary>Where the current step's bytes start in <see cref="StepBuffer"/>.</summary>
        public int StepOffset { get; private set; }

        /// <summary>How many bytes the current step reads at most, or sends.</summary>
        public int StepCount { get; private set; }

        /// <summary>The address a Connect step connects to.</summary>
        public NetAddress TargetAddress
        {
            get { return _dialer.Address; }
        }

        /// <summary>The port a Connect step connects to.</summary>
        public int TargetPort
        {
            get { return _dialer.Port; }
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

        /// <summary>The key the relay counts this session's client under (0: none).</summary>
        internal ulong CountedKey
        {
            get { return _countedKey; }
        }

        /// <summary>
        /// Starts serving a client admitted by <see cref="RelayServer.TryAdmit"/>: its endpoints as
        /// the socket sees them, and the key the relay counted it under (0 for none). Returns the
        /// first step.
        /// </summary>
        protected SessionStep Begin(Route route, NetAddress clientAddress, int clientPort, NetAddress localAddress, int localPort, ulong countedKey)
        {
            _route = route;
            _clientAddress = clientAddress;
            _clientPort = clientPort;
            _localAddress = localAddress;
            _localPort = localPort;
            _countedKey = countedKey;
            _toUpstream = 0;
            _toClient = 0;
            _timedOut = false;
            _evicted = false;
            _stage = route.AcceptProxy ? StageHeader : StageOuter;
            _skip = 0;
            _received = 0;
            _forwardDone = false;
            _backwardDone = false;
            _writing = 0;
            _signal = false;
            route.Counters.OnAccepted();
            IWebSite site = _relay.Web;
            lock (_lock)
            {
                // A TLS route waits as long as a web server would (a prober times it); the slot
                // defence (Reap) still ends the wait at the hello timeout when places are scarce.
                _phase = SessionPhase.Hello;
                _helloStart = _relay.Now;
                _deadline = _helloStart + (route.TerminateTls && site != null ? site.HeaderTimeoutMs : _relay.HelloTimeoutMs);
            }

            _relay.Register(this);
            _at = AtWait;
            return SessionStep.WaitClient;
        }

        /// <summary>
        /// The pump carried out the step it was handed, with <paramref name="result"/> as
        /// <see cref="SessionStep"/> describes; returns the next step.
        /// </summary>
        public SessionStep Completed(int result)
        {
            switch (_at)
            {
                case AtWait:
                    return result < 0 ? Unfinished() : Read();

                case AtAdmit:
                    if (result <= 0)
                    {
                        return Unfinished();
                    }

                    _received += result;
                    return Decide();

                case AtHandshake:
                    if (result <= 0)
                    {
                        return HandshakeFailed(RefusalReason.TlsFailed);
                    }

                    _stage = StageInner;
                    _skip = 0;
                    _received = 0; // the bytes inside the TLS start over at the buffer's start
                    return Read();

                case AtWebRead:
                    if (result <= 0)
                    {
                        return Finish(); // the prober went away (counted when its first bytes came)
                    }

                    _received += result;
                    return WebAnswerOrRead();

                case AtWebWait:
                    return result < 0 ? Finish() : WebAnswerOrRead();

                case AtWebHead:
                    if (result > 0 && _webBodyLength > 0)
                    {
                        _at = AtWebBody;
                        return Step(SessionStep.SendClient, _webBody, 0, _webBodyLength);
                    }

                    return result > 0 ? WebAnswered() : Finish();

                case AtWebBody:
                    return result > 0 ? WebAnswered() : Finish();

                case AtResolve:
                    return result > 0 ? Connect() : Dial();

                case AtConnect:
                    if (result > 0 && Connected())
                    {
                        return Opening();
                    }

                    if (result < 0)
                    {
                        Refuse(RefusalReason.OutOfFiles); // no socket to dial with: the host's limit, not the upstream
                        return Finish();
                    }

                    CloseUpstreamIO(); // refused, unreachable, or given up on by the reaper
                    return Dial();

                case AtOpening:
                    return result > 0 ? Replay() : DialFailed();

                case AtReplay:
                    return result > 0 ? StartRelay() : DialFailed();

                default:
                    return Finish();
            }
        }

        /// <summary>The TLS handshake of a Handshake step failed: counts why (a hello timeout when the reaper cut it); returns the next step.</summary>
        public SessionStep HandshakeFailed(RefusalReason reason)
        {
            Refuse(TimedOut ? RefusalReason.HelloTimeout : reason);
            return Finish();
        }

        /// <summary>Resolves the upstream of a Resolve step (blocks on the platform's resolver); false when it does not resolve.</summary>
        public bool Resolve()
        {
            return _dialer.Resolve();
        }

        /// <summary>Counts a refusal (the pump closes the client and ends the session).</summary>
        public void Refuse(RefusalReason reason)
        {
            _route.Counters.OnRefused(reason);
        }

        /// <summary>
        /// Counts why admission ended without a verdict: a hello timeout when the reaper closed
        /// the client, otherwise a client that closed or reset first.
        /// </summary>
        public void RefuseUnfinished()
        {
            Refuse(TimedOut ? RefusalReason.HelloTimeout : RefusalReason.ClosedEarly);
        }

        /// <summary>Lends the pump's buffer for the first bytes: at least <paramref name="atLeast"/> bytes, or null when it has none that large.</summary>
        protected abstract byte[] RentBuffer(int atLeast);

        /// <summary>Takes back a buffer <see cref="RentBuffer"/> lent.</summary>
        protected abstract void ReturnBuffer(byte[] buffer);

        private SessionStep Step(SessionStep step, byte[] buffer, int offset, int count)
        {
            StepBuffer = buffer;
            StepOffset = offset;
            StepCount = count;
            return step;
        }

        private SessionStep Read()
        {
            if (_admission == null)
            {
                _admission = RentBuffer(1);
            }

            _at = AtAdmit;
            return Step(SessionStep.ReadClient, _admission, _received, _admission.Length - _received);
        }

        private SessionStep Unfinished()
        {
            RefuseUnfinished();
            return Finish();
        }

        private SessionStep Finish()
        {
            _at = AtDone;
            StepBuffer = null;
            return SessionStep.Done;
        }

        // Admission has the bytes read so far in this stage: act on its verdict.
        private SessionStep Decide()
        {
            RefusalReason reason;
            Verdict verdict = Admit(_admission, 0, _received, out reason);
            if (verdict == Verdict.Go)
            {
                _dialer.Begin(_route, _route.UpstreamFromSni || _signal ? _reader : null, _signal);
                return Dial();
            }

            if (verdict == Verdict.NeedMore)
            {
                if (_received == _admission.Length && !Grow())
                {
                    Refuse(RefusalReason.Malformed); // larger than admission may hold
                    return Finish();
                }

                return Read();
            }

            if (verdict == Verdict.StartTls)
            {
                _at = AtHandshake;
                return Step(SessionStep.Handshake, _admission, _skip, _received - _skip);
            }

            if (verdict == Verdict.Decoy)
            {
                // An HTTP request is a prober's; anything else that no client sends is answered
                // the same way (a web server's 400) and counted as what it is.
                Refuse(HttpProbe.Classify(_admission, 0, _received) == HttpProbe.Http ? RefusalReason.Probe : RefusalReason.NotChatClient);
                return WebAnswerOrRead();
            }

            Refuse(reason);
            if (_stage == StageInner && _relay.Web != null)
            {
                ReturnReader();
                return WebAnswerOrRead(); // inside the TLS even a refusal looks like a web server's answer
            }

            return Finish();
        }

        // The first bytes outgrew the buffer (a ClientHello larger than the host's small one):
        // carry on in a larger one, if the pump has one.
        private bool Grow()
        {
            byte[] bigger = RentBuffer(_admission.Length + 1);
            if (bigger == null || bigger.Length <= _admission.Length)
            {
                if (bigger != null && bigger != _admission)
                {
                    ReturnBuffer(bigger);
                }

                return false;
            }

            System.Array.Copy(_admission, 0, bigger, 0, _received);
            ReturnBuffer(_admission);
            _admission = bigger;
            return true;
        }

        /// <summary>
        /// Decides on the bytes read so far in this stage (every call passes all of them from
        /// <paramref name="offset"/>): the stages of an acceptProxy header, the outer bytes and
        /// the bytes inside a terminated TLS, each through <see cref="Admission"/>.
        /// </summary>
        private Verdict Admit(byte[] buffer, int offset, int count, out RefusalReason reason)
        {
            Route route = _route;
            reason = RefusalReason.Malformed;
            if (_stage == StageHeader)
            {
                int header = _proxyReader.Read(buffer, offset, count);
                if (header == ProxyHeaderReader.NeedMore)
                {
                    return Verdict.NeedMore;
                }

                if (header == ProxyHeaderReader.Invalid)
                {
                    reason = RefusalReason.BadProxyHeader;
                    return Verdict.Refuse;
                }

                if (_proxyReader.HasAddresses)
                {
                    _clientAddress = _proxyReader.SourceAddress;
                    _clientPort = _proxyReader.SourcePort;
                    _localAddress = _proxyReader.DestinationAddress;
                    _localPort = _proxyReader.DestinationPort;
                }

                // The cap counts the original client, known only now.
                ulong key;
                if (!_relay.TryCountClient(_clientAddress, out key))
                {
                    reason = RefusalReason.ClientLimit;
                    return Verdict.Refuse;
                }

                _countedKey = key;
                _skip = _proxyReader.Length;
                _stage = StageOuter;
            }

            int at = offset + _skip;
            int left = count - _skip;
            if (_stage == StageInner)
            {
                _signal = route.SignalAllowList != null && Admission.TlsRecord(buffer, at, left, out reason) != Verdict.Refuse;
                if (_signal)
                {
                    // A TLS ClientHello inside the TLS: Signal's app speaking to one of its hosts.
                    if (_reader == null)
                    {
                        _reader = _relay.RentReader();
                    }

                    return Admission.Sni(route.SignalAllowList, _reader, buffer, at, left, out reason);
                }

                ReturnReader();
                return Admission.Inner(route, buffer, at, left, out reason);
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

                return Admission.Sni(route, _reader, buffer, at, left, out reason);
            }

            return route.TerminateTls ? Admission.TlsRecord(buffer, at, left, out reason) : Admission.Plain(route, buffer, at, left, out reason);
        }

        // The web site's part (terminateTls routes, for what is not a client): read a request
        // head, answer it, then keep the connection for the next one or finish with a FIN.
        // The answer's head is written at the admission buffer's end, past the request.
        private SessionStep WebAnswerOrRead()
        {
            IWebSite site = _relay.Web;
            if (_admission == null)
            {
                _admission = RentBuffer(1);
            }

            int room = _admission.Length - site.MaxHeadLength;
            if (_received >= room && !Grow())
            {
                _received = room; // a head longer than the buffer is answered as far as it came (400)
            }

            room = _admission.Length - site.MaxHeadLength;
            if (_received > 0 && (_received >= room || site.CanAnswer(_admission, 0, _received)))
            {
                int at = room;
                int head = site.Answer(_admission, 0, _received, _admission, at, out _webBody, out _webBodyLength, out _webConsumed, out _webKeepAlive);
                _at = AtWebHead;
                return Step(SessionStep.SendClient, _admission, at, head);
            }

            _at = AtWebRead;
            return Step(SessionStep.ReadClient, _admission, _received, room - _received);
        }

        private SessionStep WebAnswered()
        {
            _webBody = null;
            if (!_webKeepAlive)
            {
                _at = AtWebEnd;
                return SessionStep.ShutdownClient;
            }

            // Keep what came after the request (a pipelined one) and wait for the next.
            int left = _received - _webConsumed;
            if (left > 0)
            {
                System.Array.Copy(_admission, _webConsumed, _admission, 0, left);
            }

            _received = left;
            lock (_lock)
            {
                _helloStart = _relay.Now;
                _deadline = _helloStart + _relay.Web.KeepAliveMs;
                _timedOut = false;
            }

            if (left > 0)
            {
                return WebAnswerOrRead();
            }

            ReturnAdmission(); // an idle kept-alive connection holds no buffer
            _at = AtWebWait;
            return SessionStep.WaitClient;
        }

        // The next upstream in the dialer's order, with its own connect deadline.
        private SessionStep Dial()
        {
            lock (_lock)
            {
                if (_phase != SessionPhase.Hello && _phase != SessionPhase.Connecting)
                {
                    return Finish(); // closed meanwhile (relay stopping)
                }

                _timedOut = false;
                _phase = SessionPhase.Connecting;
                _deadline = _relay.Now + _relay.ConnectTimeoutMs;
            }

            int target = _dialer.Next();
            if (target == UpstreamDialer.None)
            {
                return DialFailed();
            }

            if (target == UpstreamDialer.Lookup)
            {
                _at = AtResolve;
                return SessionStep.Resolve;
            }

            return Connect();
        }

        private SessionStep Connect()
        {
            _at = AtConnect;
            return SessionStep.Connect;
        }

        private SessionStep DialFailed()
        {
            _route.Counters.OnUpstreamFailure(); // every upstream tried, or one failed before relaying began
            return Finish();
        }

        // True when the connect that just succeeded is still wanted (the reaper did not give up on it).
        private bool Connected()
        {
            lock (_lock)
            {
                return !_timedOut && _phase == SessionPhase.Connecting;
            }
        }

        private SessionStep Opening()
        {
            int length = _dialer.WriteOpening(_clientAddress, _clientPort, _localAddress, _localPort, _small, 0);
            if (length == 0)
            {
                return Replay();
            }

            _at = AtOpening;
            return Step(SessionStep.SendUpstream, _small, 0, length);
        }

        // What was read while deciding goes upstream first.
        private SessionStep Replay()
        {
            if (_received <= _skip)
            {
                return StartRelay();
            }

            _at = AtReplay;
            return Step(SessionStep.SendUpstream, _admission, _skip, _received - _skip);
        }

        // Both pumps may start, unless the session was closed meanwhile.
        private SessionStep StartRelay()
        {
            ReturnReader(); // the hello is decided and dialled
            int replayed = _received - _skip;
            ReturnAdmission();
            _toUpstream = replayed;
            lock (_lock)
            {
                if (_phase != SessionPhase.Connecting)
                {
                    return Finish();
                }

                _lastActivity = _relay.Now;
                _phase = SessionPhase.Relaying;
            }

            _route.Counters.OnRelaying(_signal);
            _at = AtRelay;
            StepBuffer = null;
            return SessionStep.Relay;
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
            ReturnAdmission();
            _dialer.Clear();
            _at = AtDone;
            StepBuffer = null;
            route.Counters.AddBytes(_toUpstream, _toClient);
            route.Counters.OnSessionEnded();
            _relay.Unregister(this, _countedKey);
            lock (_lock)
            {
                _toUpstream = 0;
                _toClient = 0;
                _countedKey = 0;
                _route = null;
                _phase = SessionPhase.Free;
            }

            _relay.Release();
        }

        private void ReturnAdmission()
        {
            byte[] buffer = _admission;
            _admission = null;
            if (buffer != null)
            {
                ReturnBuffer(buffer);
            }
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
            else if (unchecked(now - _deadline) < 0 && !(phase == SessionPhase.Hello && SlotDefence(now)))
            {
                return;
            }

            lock (_lock)
            {
                phase = _phase;
                if (phase == SessionPhase.Hello && (unchecked(now - _deadline) >= 0 || SlotDefence(now)))
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

        // When places are scarce, a client still without its hello (or a prober between
        // requests) after the hello timeout gives its place up, however long its own wait may be.
        private bool SlotDefence(int now)
        {
            return unchecked(now - _helloStart) >= _relay.HelloTimeoutMs && _relay.Scarce;
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
