using System;
using System.Threading;
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Routing;
using Pigeon.Tls;
using Pigeon.Counters;
using Pigeon.Upstream;

namespace Pigeon.Relay
{
    /// <summary>
    /// The relay, whatever pump moves its bytes: the routes and their counters, the DNS cache,
    /// the admission of each new client (capacity, the per-client cap, eviction of the longest
    /// idle session when full), the table of live sessions, and the reaper thread that enforces
    /// every timeout. Two pumps derive from it: <see cref="Pigeon.Pumps.Threaded.ThreadedRelay"/> (blocking threads per
    /// session; the board, where nanoFramework has no other way) and the host's event-driven one.
    /// </summary>
    public abstract class RelayServer
    {
        /// <summary>
        /// How often the reaper looks at the live sessions: the timeouts' resolution. A look is a
        /// few integer compares per session without a lock, so 100 ms costs nothing measurable on
        /// the host (docs/performance.md) and is 5 checks per wake-up on a board.
        /// </summary>
        public const int ReaperIntervalMs = 100;

        /// <summary>How long a new client may wait for the slot of a session evicted for it.</summary>
        public const int EvictionWaitMs = 1000;

        /// <summary>How often a client waiting for an evicted session's place asks again: such a session closes within milliseconds.</summary>
        public const int EvictionPollMs = 5;

        private readonly Route[] _routes;
        private readonly RouteListener[] _listeners;
        private readonly IClock _clock;
        private readonly long _epoch;
        private readonly object _lock = new object();
        private readonly ClientCounts _clients;
        private RelaySession[] _live;
        private int _liveCount;
        private ClientHelloReader[] _readers = new ClientHelloReader[4];
        private int _idleReaders;
        private int _reserved;
        private Thread _reaper;
        private bool _stopping; // read across blocking calls, never in a tight loop (no volatile on nanoFramework)

        /// <summary>
        /// Builds the relay's shared part from its config. Throws <see cref="ArgumentException"/>
        /// naming the route and field when a route cannot run (bad config is a bug of the caller's
        /// validation).
        /// </summary>
        protected RelayServer(RelayConfig config, IResolver resolver, IClock clock, ILog log)
        {
            if (config == null || resolver == null || clock == null || log == null)
            {
                throw new ArgumentNullException();
            }

            // The validator holds every rule of the relay section; a relay is never built from a
            // config it refuses (the callers validated it already: this is the backstop).
            ValidationReport report = new ValidationReport();
            ConfigValidator.ValidateRelay(config, false, report);
            if (!report.IsValid)
            {
                ValidationIssue first = report.GetError(0);
                throw new ArgumentException(first.Path + ": " + first.Message);
            }

            Log = log;
            _clock = clock;
            _epoch = clock.NowMilliseconds;
            MaxSessions = config.MaxSessions;
            MaxSessionsPerClient = config.MaxSessionsPerClient;
            EvictIdleMs = config.EvictIdleSeconds * 1000;
            HelloTimeoutMs = config.HelloTimeoutSeconds * 1000;
            ConnectTimeoutMs = config.ConnectTimeoutSeconds * 1000;
            IdleTimeoutMs = config.IdleTimeoutSeconds * 1000;
            DrainMs = config.DrainMilliseconds;
            Dns = new DnsCache(resolver, clock, config.DnsCacheSeconds, 8);
            BufferBytes = config.BufferBytes;
            MaxHelloBytes = config.MaxHelloBytes;

            RouteConfig[] routeConfigs = config.Routes ?? new RouteConfig[0];
            _routes = new Route[routeConfigs.Length];
            _listeners = new RouteListener[routeConfigs.Length];
            for (int i = 0; i < routeConfigs.Length; i++)
            {
                string error;
                _routes[i] = Route.Build(routeConfigs[i], i, out error);
                if (_routes[i] == null)
                {
                    throw new ArgumentException("relay.routes[" + i.ToString() + "]." + error);
                }

                NeedsHelloBuffer = NeedsHelloBuffer || _routes[i].InspectsSni;
                _listeners[i] = new RouteListener(_routes[i]);
            }

            int expected = MaxSessions < 64 ? MaxSessions : 64;
            _clients = new ClientCounts(expected);
            _live = new RelaySession[expected];
        }

        /// <summary>Where the relay reports listener events.</summary>
        public ILog Log { get; private set; }

        /// <summary>The upstream name cache.</summary>
        public DnsCache Dns { get; private set; }

        /// <summary>Upstream health checks the sessions consult to try a healthy fallback first; null = none.</summary>
        public UpstreamHealth Health { get; set; }

        /// <summary>The web site terminateTls routes show to what is not a client inside their TLS (the host's; null on a board, which terminates no TLS).</summary>
        public IWebSite Web { get; set; }

        /// <summary>True once the last quarter of the sessions is in use: then an address over its fair share waits, and a client still without its hello after the hello timeout gives its place up.</summary>
        public bool Scarce
        {
            get { return _reserved >= MaxSessions - (MaxSessions / 4); }
        }

        /// <summary>Sessions at once: relay.maxSessions, or fewer where the platform cannot hold that many (<see cref="LimitSessions"/>).</summary>
        public int MaxSessions { get; private set; }

        /// <summary>
        /// Lowers the sessions at once to what the platform can hold (the host's open-file limit:
        /// two descriptors a session, with room kept for the runtime's own), before Start. A relay
        /// that ran into the limit instead would fail wherever a descriptor was needed next: a
        /// new thread, a file, an assembly. Never raises it; false when nothing changed.
        /// </summary>
        public bool LimitSessions(int most)
        {
            if (Running || most >= MaxSessions)
            {
                return false;
            }

            MaxSessions = most < 1 ? 1 : most;
            return true;
        }

        /// <summary>Sessions one client address may hold at once; 0 = no limit.</summary>
        public int MaxSessionsPerClient { get; private set; }

        /// <summary>When full, a session idle this long gives its place to a new client; 0 = never.</summary>
        public int EvictIdleMs { get; private set; }

        /// <summary>Bytes of one relay buffer (relay.bufferBytes).</summary>
        public int BufferBytes { get; private set; }

        /// <summary>Most bytes admission waits for (relay.maxHelloBytes).</summary>
        public int MaxHelloBytes { get; private set; }

        /// <summary>True when a route reads whole ClientHellos (so admission needs room for one).</summary>
        public bool NeedsHelloBuffer { get; private set; }

        /// <summary>Buffer bytes one session holds while relaying (both directions), for the memory budget.</summary>
        public abstract int BufferBytesPerSession { get; }

        /// <summary>
        /// True when a session borrows its buffers only while bytes move (the host's event pump):
        /// then <see cref="BufferBytesPerSession"/> is what a busy session holds, not every slot.
        /// </summary>
        public virtual bool LendsBuffers
        {
            get { return false; }
        }

        /// <summary>Hello timeout in milliseconds.</summary>
        public int HelloTimeoutMs { get; private set; }

        /// <summary>Upstream connect timeout in milliseconds (per attempt).</summary>
        public int ConnectTimeoutMs { get; private set; }

        /// <summary>Idle timeout in milliseconds.</summary>
        public int IdleTimeoutMs { get; private set; }

        /// <summary>Half-close drain in milliseconds: how long the remaining direction may be silent.</summary>
        public int DrainMs { get; private set; }

        /// <summary>True once <see cref="Stop"/> was called.</summary>
        public bool Stopping
        {
            get { return _stopping; }
        }

        /// <summary>True between <see cref="Start"/> and <see cref="Stop"/>.</summary>
        public bool Running { get; private set; }

        /// <summary>Milliseconds since the relay was built, as a wrapping int (compare by subtraction).</summary>
        public int Now
        {
            get { return unchecked((int)(_clock.NowMilliseconds - _epoch)); }
        }

        /// <summary>Seconds since the relay was built.</summary>
        public long UptimeSeconds
        {
            get { return (_clock.NowMilliseconds - _epoch) / 1000; }
        }

        /// <summary>How many routes the relay has.</summary>
        public int RouteCount
        {
            get { return _routes.Length; }
        }

        /// <summary>Sessions in use now (being admitted, connecting, relaying or closing).</summary>
        public int ActiveSessions
        {
            get { return _reserved; }
        }

        /// <summary>Client addresses holding a session now (never which ones).</summary>
        public int ActiveClients
        {
            get
            {
                lock (_lock)
                {
                    return _clients.Addresses;
                }
            }
        }

        /// <summary>Route <paramref name="index"/>.</summary>
        public Route GetRoute(int index)
        {
            return _routes[index];
        }

        /// <summary>The listener status of route <paramref name="index"/> (listening, error, restarts).</summary>
        public RouteListener GetListener(int index)
        {
            return _listeners[index];
        }

        /// <summary>
        /// Opens every route's port and starts the pump and the reaper. A port that cannot be
        /// opened is skipped (its listener's Error says why) and the others run. Returns how many opened.
        /// </summary>
        public int Start()
        {
            if (Running)
            {
                throw new InvalidOperationException("the relay is already running");
            }

            int opened = StartPump();
            for (int i = 0; i < _listeners.Length; i++)
            {
                if (!_listeners[i].IsListening)
                {
                    Log.Warn("route " + _routes[i].Name + ": port " + _routes[i].ListenPort.ToString() + " skipped: " + _listeners[i].Error);
                }
            }

            _reaper = new Thread(ReapLoop);
            _reaper.Start();
            Running = true;
            return opened;
        }

        /// <summary>Closes every port and session and waits for the threads to end.</summary>
        public void Stop()
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            StopPump();
            if (_reaper != null)
            {
                _reaper.Join(2000);
            }

            Running = false;
        }

        /// <summary>
        /// The accept loop of route <paramref name="index"/>, as both pumps run it: Accept while
        /// the listener is open, Reopen after <paramref name="waitMs"/> (1 s doubling to 30 s)
        /// when it is closed or failed, Stop when the relay stops or the route can never listen.
        /// </summary>
        public AcceptStep NextAcceptStep(int index, out int waitMs)
        {
            waitMs = 0;
            RouteListener listener = _listeners[index];
            if (_stopping || listener.Impossible)
            {
                return AcceptStep.Stop;
            }

            if (listener.IsListening)
            {
                return AcceptStep.Accept;
            }

            waitMs = listener.NextRetryMs();
            return AcceptStep.Reopen;
        }

        /// <summary>The pump opened route <paramref name="index"/>'s listener (<paramref name="again"/>: after a failure).</summary>
        protected void ListenerOpened(int index, bool again)
        {
            _listeners[index].Opened(again);
            if (again)
            {
                Log.Info("route " + _routes[index].Name + ": listening again on port " + _routes[index].ListenPort.ToString());
            }
        }

        /// <summary>Counts a client the pump turned away before any session began (out of descriptors, say).</summary>
        protected void CountRefusal(Route route, RefusalReason reason)
        {
            route.Counters.OnRefused(reason);
        }

        /// <summary>Route <paramref name="index"/>'s listening socket failed (the network went away, say): the pump closes it and the loop reopens it.</summary>
        protected void ListenerBroke(int index, string detail)
        {
            RouteListener listener = _listeners[index];
            listener.Failed("the listening socket failed; reopening");
            Log.Warn("route " + _routes[index].Name + ": " + listener.Error + (detail == null ? string.Empty : " (" + detail + ")"));
        }

        /// <summary>
        /// Counters of one route at this moment, including the bytes of its live sessions.
        /// Allocates (one object): for the status page, not the data path.
        /// </summary>
        public RouteCounters SnapshotRoute(int index)
        {
            RouteCounters copy = new RouteCounters();
            _routes[index].Counters.AddTo(copy);
            AddLiveBytes(_routes[index], copy);
            return copy;
        }

        /// <summary>All routes' counters summed, live bytes included.</summary>
        public RouteCounters SnapshotTotal()
        {
            RouteCounters total = new RouteCounters();
            for (int i = 0; i < _routes.Length; i++)
            {
                _routes[i].Counters.AddTo(total);
            }

            AddLiveBytes(null, total);
            return total;
        }

        /// <summary>
        /// Admits a newly accepted client of <paramref name="route"/> from <paramref name="client"/>
        /// by the fair-share rule (docs/architecture.md, "Sharing the sessions"): Go when a place
        /// was reserved (the pump then begins a session counted under <see cref="CountedKey"/>),
        /// Refuse when it was turned away (counted here: the reason), or NeedMore when a session
        /// was evicted for it: call <see cref="TryReserveAfterEviction"/> until its place is free.
        /// </summary>
        /// <remarks>
        /// <code>
        ///   acceptProxy route, peer not in acceptProxyFrom ──────────────────► Refuse ProxyNotTrusted
        ///   fewer than 3/4 of the sessions taken ───────────────────────────► Go (no count refuses anyone)
        ///   the last quarter: the address holds its fair share, N / addresses ► Refuse ClientLimit
        ///   full: the address furthest over its share ──► its idlest session evicted ► NeedMore
        ///         nobody over share: a session idle ≥ evictIdleSeconds ──► evicted ► NeedMore
        ///         else ───────────────────────────────────────────────────────► Refuse Full
        ///   relay.maxSessionsPerClient (0 = none) caps an address whatever the room
        /// </code>
        /// Carrier-grade NAT puts many phones behind one address: while the relay has room, the
        /// count of one address refuses nobody; only when places are scarce does an address over
        /// its share give way to addresses under theirs.
        /// </remarks>
        public Verdict TryAdmit(Route route, NetAddress client)
        {
            _listeners[route.Index].Accepted();
            if (route.AcceptProxy && !route.TrustsProxy(client))
            {
                route.Counters.OnRefused(RefusalReason.ProxyNotTrusted);
                return Verdict.Refuse;
            }

            ulong key = CountedKey(route, client);
            ulong hog;
            lock (_lock)
            {
                bool room = _reserved < MaxSessions;
                if (OverShare(key))
                {
                    // With room left it is the address's count; when full, the relay's.
                    route.Counters.OnRefused(room || AtFixedCap(key) ? RefusalReason.ClientLimit : RefusalReason.Full);
                    return Verdict.Refuse;
                }

                if (room)
                {
                    Reserve(key);
                    return Verdict.Go;
                }

                hog = key == 0 ? 0 : FurthestOverShare(key);
            }

            if (hog != 0 ? EvictIdlest(hog, 0) : EvictIdleMs > 0 && EvictIdlest(0, EvictIdleMs))
            {
                return Verdict.NeedMore;
            }

            route.Counters.OnRefused(RefusalReason.Full); // counted before the client can see the close
            return Verdict.Refuse;
        }

        /// <summary>
        /// After <see cref="TryAdmit"/> answered NeedMore: reserves the evicted session's place
        /// once it is free. Go, NeedMore (wait a few ms and call again), or Refuse (Full, counted)
        /// after <see cref="EvictionWaitMs"/> since <paramref name="since"/>.
        /// </summary>
        public Verdict TryReserveAfterEviction(Route route, NetAddress client, int since)
        {
            ulong key = CountedKey(route, client);
            lock (_lock)
            {
                if (_reserved < MaxSessions && !OverShare(key))
                {
                    Reserve(key);
                    return Verdict.Go;
                }
            }

            if (unchecked(Now - since) < EvictionWaitMs)
            {
                return Verdict.NeedMore;
            }

            route.Counters.OnRefused(RefusalReason.Full);
            return Verdict.Refuse;
        }

        /// <summary>
        /// The key a client admitted on <paramref name="route"/> is counted under
        /// (<see cref="NetAddress.ClientKey"/>: its address, or its IPv6 /64), or 0 for none:
        /// acceptProxy routes count the client their PROXY header names, known only later.
        /// </summary>
        public static ulong CountedKey(Route route, NetAddress client)
        {
            return route.AcceptProxy || client.IsNone ? 0 : client.ClientKey;
        }

        /// <summary>Gives back a place reserved by <see cref="TryAdmit"/> for a client that never began a session.</summary>
        public void Unreserve(ulong countedKey)
        {
            lock (_lock)
            {
                _reserved--;
                if (countedKey != 0)
                {
                    _clients.Remove(countedKey);
                }
            }
        }

        /// <summary>
        /// Counts a client known only from its PROXY header, by the same fair share (its session
        /// already holds a place): false when over it; otherwise true with the key it was counted
        /// under (0: unknown, not counted).
        /// </summary>
        internal bool TryCountClient(NetAddress address, out ulong key)
        {
            key = 0;
            if (address.IsNone)
            {
                return true; // unknown (a LOCAL or UNKNOWN header): not counted
            }

            lock (_lock)
            {
                if (OverShare(address.ClientKey))
                {
                    return false;
                }

                _clients.Add(address.ClientKey);
            }

            key = address.ClientKey;
            return true;
        }

        // Under the lock. The sessions from which an address's count matters: the last quarter.
        private bool OverShare(ulong key)
        {
            if (key == 0)
            {
                return false;
            }

            int held = _clients.CountOf(key);
            return AtFixedCap(key) || (Scarce && held >= FairShare(held == 0));
        }

        // Under the lock: the operator's own cap (relay.maxSessionsPerClient), when set.
        private bool AtFixedCap(ulong key)
        {
            return MaxSessionsPerClient > 0 && key != 0 && _clients.CountOf(key) >= MaxSessionsPerClient;
        }

        // Under the lock: the sessions each address may hold when they are scarce, the newcomer's
        // address counted among the addresses.
        private int FairShare(bool newcomer)
        {
            int addresses = _clients.Addresses + (newcomer ? 1 : 0);
            int share = addresses == 0 ? MaxSessions : MaxSessions / addresses;
            return share < 1 ? 1 : share;
        }

        // Under the lock: the address holding the most sessions, when that is more than its share
        // with the newcomer counted; 0 when nobody is over.
        private ulong FurthestOverShare(ulong newcomer)
        {
            int count;
            ulong largest = _clients.Largest(out count);
            return largest != newcomer && count > FairShare(_clients.CountOf(newcomer) == 0) ? largest : 0;
        }

        private void Reserve(ulong key)
        {
            _reserved++;
            if (key != 0)
            {
                _clients.Add(key);
            }
        }

        /// <summary>
        /// A ClientHello reader for an SNI admission (each holds a 253-byte scratch buffer, so a
        /// chat session or an idle one holds none); made on first need, then reused.
        /// </summary>
        internal ClientHelloReader RentReader()
        {
            lock (_lock)
            {
                if (_idleReaders > 0)
                {
                    ClientHelloReader reader = _readers[--_idleReaders];
                    _readers[_idleReaders] = null;
                    return reader;
                }
            }

            return new ClientHelloReader(MaxHelloBytes);
        }

        internal void ReturnReader(ClientHelloReader reader)
        {
            lock (_lock)
            {
                if (_idleReaders == _readers.Length)
                {
                    ClientHelloReader[] bigger = new ClientHelloReader[_readers.Length * 2];
                    Array.Copy(_readers, bigger, _idleReaders);
                    _readers = bigger;
                }

                _readers[_idleReaders++] = reader;
            }
        }

        internal void Register(RelaySession session)
        {
            lock (_lock)
            {
                if (_liveCount == _live.Length)
                {
                    RelaySession[] bigger = new RelaySession[_live.Length * 2];
                    Array.Copy(_live, bigger, _liveCount);
                    _live = bigger;
                }

                session.TableIndex = _liveCount;
                _live[_liveCount++] = session;
            }
        }

        internal void Unregister(RelaySession session, ulong countedKey)
        {
            lock (_lock)
            {
                int i = session.TableIndex;
                if (i >= 0 && i < _liveCount && _live[i] == session)
                {
                    RelaySession last = _live[--_liveCount];
                    _live[i] = last;
                    last.TableIndex = i;
                    _live[_liveCount] = null;
                }

                session.TableIndex = -1;
                if (countedKey != 0)
                {
                    _clients.Remove(countedKey);
                }
            }
        }

        internal void Release()
        {
            lock (_lock)
            {
                _reserved--;
            }

            OnReleased();
        }

        /// <summary>Opens the listeners and starts the pump's threads; returns how many routes listen.</summary>
        protected abstract int StartPump();

        /// <summary>Closes the listeners and every session and waits for the pump to end.</summary>
        protected abstract void StopPump();

        /// <summary>A session ended and gave its place back (the threaded pump wakes a waiting listener).</summary>
        protected virtual void OnReleased()
        {
        }

        /// <summary>Closes every live session (the pumps call it when stopping).</summary>
        protected void AbortAll()
        {
            RelaySession[] live = _live;
            int count = _liveCount;
            for (int i = 0; i < count && i < live.Length; i++)
            {
                RelaySession session = live[i];
                if (session != null)
                {
                    session.Abort();
                }
            }
        }

        // Ends the session silent longest, of the address <paramref name="key"/> (0: of any), if
        // it has been silent at least <paramref name="atLeastMs"/>: the address furthest over its
        // share gives up its idlest session however short its silence; otherwise only a session
        // idle for evictIdleSeconds gives way. Scans without the relay lock (the reaper does the
        // same): a session that ends meanwhile refuses Evict, and the caller then counts the
        // client as refused.
        private bool EvictIdlest(ulong key, int atLeastMs)
        {
            int now = Now;
            RelaySession[] live = _live;
            int count = _liveCount;
            RelaySession victim = null;
            int longest = atLeastMs - 1;
            for (int i = 0; i < count && i < live.Length; i++)
            {
                RelaySession session = live[i];
                int idle = session == null || (key != 0 && session.CountedKey != key) ? -1 : session.IdleFor(now);
                if (idle > longest)
                {
                    longest = idle;
                    victim = session;
                }
            }

            return victim != null && victim.Evict();
        }

        private void AddLiveBytes(Route route, RouteCounters target)
        {
            RelaySession[] live = _live;
            int count = _liveCount;
            for (int i = 0; i < count && i < live.Length; i++)
            {
                RelaySession session = live[i];
                if (session == null)
                {
                    continue;
                }

                int phase = session.Phase;
                Route current = session.Route;
                if ((phase == SessionPhase.Relaying || phase == SessionPhase.HalfClosed) && current != null && (route == null || current == route))
                {
                    target.AddBytes(session.BytesToUpstream, session.BytesToClient);
                }
            }
        }

        /// <summary>
        /// One pass of the reaper over the live sessions at the clock's current time (the reaper
        /// thread calls it every <see cref="ReaperIntervalMs"/>; tests call it with a fake clock).
        /// Reads the table without the lock: a session that ends meanwhile ignores the look.
        /// </summary>
        public void Reap()
        {
            int now = Now;
            RelaySession[] live = _live;
            int count = _liveCount;
            for (int i = 0; i < count && i < live.Length; i++)
            {
                RelaySession session = live[i];
                if (session != null)
                {
                    session.Reap(now);
                }
            }
        }

        private void ReapLoop()
        {
            while (!_stopping)
            {
                Thread.Sleep(ReaperIntervalMs);
                Reap();
            }
        }
    }
}
