using System;
using Pigeon.Config;
using Pigeon.Upstream;

namespace Pigeon.Budget
{
    /// <summary>
    /// How many relay sessions a board can hold: the smaller of what its lwIP sockets and its
    /// managed heap allow, after the listeners, the portal and the reach work have taken theirs,
    /// and never more than the config asks for. The portal's share is fixed up front, so a busy
    /// page can never take a socket a session needs (docs/device.md, "Budget"). The board sizes
    /// its relay with <see cref="ForBoard"/>; `Pigeon.Host config check --board` and
    /// `flash.ps1 -DryRun` print the same plan from a board profile.
    /// </summary>
    /// <remarks>
    /// <code>
    ///   sockets for sessions = maxSockets - listeners - portal (listener + slots) - reach
    ///   sessions by sockets  = that / 2               (phone side + WhatsApp side)
    ///   sessions by heap     = (heap - reserved - reach heap) / (buffers + SessionOverheadBytes)
    ///   buffers              = max(2 x relay.bufferBytes, relay.maxHelloBytes)
    ///   sessions             = min(relay.maxSessions, by sockets, by heap), at least 0
    /// </code>
    /// </remarks>
    public sealed class SessionBudget
    {
        /// <summary>
        /// Heap a session holds besides its buffer: the Session object, two connection wrappers
        /// and two parked threads. An estimate for nanoCLR (a managed thread's object plus its
        /// interpreter frame stack is well under 1 KB); docs/device.md says how to measure it.
        /// </summary>
        public const int SessionOverheadBytes = 2048;

        /// <summary>Sockets each session holds: the accepted one and the upstream one.</summary>
        public const int SocketsPerSession = 2;

        /// <summary>
        /// Sockets the reachability work holds at once on the board: port mapping (an SSDP or
        /// NAT-PMP datagram socket, or one HTTP connection to the router) and the upstream health
        /// checks (one TCP connect) take turns on ONE background thread, and each closes its
        /// socket before the next step opens one (docs/device.md, "Budget").
        /// </summary>
        public const int ReachSockets = 1;

        /// <summary>
        /// Heap kept for everything but relay sessions and the reach work: the portal (its slots'
        /// request and answer buffers, a page being served, a status or /metrics text), the
        /// config and its JSON, the relay's listeners, reaper and DNS cache, the supervisor. An
        /// estimate until measured on a board (docs/device.md, "Heap").
        /// </summary>
        public const int ReservedHeapBytes = 40 * 1024;

        /// <summary>
        /// Heap the reach thread may hold at once (docs/device.md, "Heap"): a router answer read
        /// into a buffer that grows to its size (at most <see cref="RouterAnswerBytes"/>), the
        /// same answer as characters and as a string while it is parsed (3 bytes per byte), the
        /// request text and the thread. 16 KB covers a device description of up to ~3.9 KB whole;
        /// the descriptions of miniupnpd and of Broadcom's router IGD are ~3.1-3.3 KB, SOAP answers
        /// under 1 KB. A longer description (up to the cap) needs up to ~32 KB; the heap the
        /// sessions leave then has to hold it (an out-of-memory there is caught and retried).
        /// </summary>
        public const int ReachHeapBytes = 16 * 1024;

        /// <summary>Largest router answer the reach work reads (device description, SOAP answer).</summary>
        public const int RouterAnswerBytes = 8 * 1024;

        /// <summary>
        /// Portal client slots beside the relay on a board with 16 or more sockets (1 below). The
        /// portal accepts a connection only when a slot is free (no "busy" socket): a browser's
        /// further requests wait in the listen queue, which holds no socket.
        /// </summary>
        public const int PortalSlots = 2;

        /// <summary>The session count the budget allows.</summary>
        public int Sessions { get; private set; }

        /// <summary>Sessions the sockets alone would allow.</summary>
        public int SessionsBySockets { get; private set; }

        /// <summary>Sessions the heap alone would allow.</summary>
        public int SessionsByHeap { get; private set; }

        /// <summary>Heap one session takes (buffer plus overhead).</summary>
        public int HeapPerSession { get; private set; }

        /// <summary>What set <see cref="Sessions"/>: "config", "sockets" or "heap".</summary>
        public string LimitedBy { get; private set; }

        /// <summary>The routes the relay runs (<see cref="ForBoard"/>; all of them otherwise).</summary>
        public RouteConfig[] Routes { get; private set; }

        /// <summary>True when port mapping and the upstream checks run (they got their socket and heap).</summary>
        public bool Reach { get; private set; }

        /// <summary>relay.maxSessions, the ceiling.</summary>
        public int Configured { get; private set; }

        /// <summary>The board's sockets (lwIP CONFIG_LWIP_MAX_SOCKETS).</summary>
        public int MaxSockets { get; private set; }

        /// <summary>Listening sockets: one per route.</summary>
        public int Listeners { get; private set; }

        /// <summary>The portal's sockets: its listener and its slots.</summary>
        public int PortalSockets { get; private set; }

        /// <summary>Sockets of the reach work (0 or <see cref="ReachSockets"/>).</summary>
        public int ReachSocketCount { get; private set; }

        /// <summary>The heap the budget was given.</summary>
        public int HeapBytes { get; private set; }

        /// <summary>Heap kept aside: <see cref="ReservedHeapBytes"/>, plus <see cref="ReachHeapBytes"/> when reach runs.</summary>
        public int ReservedBytes { get; private set; }

        /// <summary>A session's buffer (both directions and the hello share it).</summary>
        public int BufferBytes { get; private set; }

        /// <summary>
        /// The buffer one session slot holds: ONE array of 2 x bufferBytes whose halves serve the
        /// two directions, into which the whole ClientHello is read before relaying starts, so it
        /// is at least maxHelloBytes long. A half is never shorter than a PROXY line
        /// (<see cref="ProxyHeader.MaxLength"/>) nor a hello than 64 bytes. The relay allocates
        /// exactly this; the budget counts exactly this.
        /// </summary>
        public static int BufferBytesPerSession(int bufferBytes, int maxHelloBytes)
        {
            int half = bufferBytes < ProxyHeader.MaxLength ? ProxyHeader.MaxLength : bufferBytes;
            int hello = maxHelloBytes < 64 ? 64 : maxHelloBytes;
            return 2 * half > hello ? 2 * half : hello;
        }

        /// <summary>Portal slots beside the relay on a board with <paramref name="maxSockets"/> sockets.</summary>
        public static int PortalSlotsFor(int maxSockets)
        {
            return maxSockets >= 16 ? PortalSlots : 1;
        }

        /// <summary>Sockets a portal with <paramref name="slots"/> slots holds: its listener and one per slot.</summary>
        public static int PortalSocketsFor(int slots)
        {
            return 1 + Positive(slots);
        }

        /// <summary>
        /// The board's plan for <paramref name="relay"/>: sessions, routes and whether the reach
        /// work runs. Reach is planned first; if that leaves no session and several routes share
        /// an upstream, only the first route of each upstream is kept; if still none fits, the
        /// reach work is left out (a relay session comes first). Nothing throws.
        /// </summary>
        /// <param name="relay">the config's relay section (null: no routes, no sessions).</param>
        /// <param name="maxSockets">the firmware's CONFIG_LWIP_MAX_SOCKETS.</param>
        /// <param name="heapBytes">managed heap free for the application (measured on the board, the profile's figure elsewhere).</param>
        public static SessionBudget ForBoard(RelayConfig relay, int maxSockets, int heapBytes)
        {
            RouteConfig[] routes = relay == null || relay.Routes == null ? new RouteConfig[0] : relay.Routes;
            int configured = relay == null ? 0 : relay.MaxSessions;
            int buffer = relay == null ? 0 : BufferBytesPerSession(relay.BufferBytes, relay.MaxHelloBytes);
            int portal = PortalSocketsFor(PortalSlotsFor(maxSockets));
            SessionBudget budget = Plan(configured, maxSockets, routes, portal, true, heapBytes, buffer);
            if (budget.Sessions < 1)
            {
                RouteConfig[] fewer = FirstRoutePerUpstream(routes);
                if (fewer.Length < routes.Length)
                {
                    routes = fewer;
                    budget = Plan(configured, maxSockets, routes, portal, true, heapBytes, buffer);
                }
            }

            if (budget.Sessions < 1)
            {
                budget = Plan(configured, maxSockets, routes, portal, false, heapBytes, buffer);
            }

            return budget;
        }

        /// <summary>
        /// Works out the budget from its parts. Negative or zero inputs are treated as zero;
        /// nothing throws.
        /// </summary>
        /// <param name="configured">relay.maxSessions from the config (the ceiling).</param>
        /// <param name="maxSockets">the firmware's CONFIG_LWIP_MAX_SOCKETS.</param>
        /// <param name="listeners">one per relay route.</param>
        /// <param name="portalSockets">the portal's listener plus its slots.</param>
        /// <param name="reachSockets">port mapping and health checks (<see cref="ReachSockets"/>; 0 when they do not run).</param>
        /// <param name="heapBytes">managed heap free for the application after start-up.</param>
        /// <param name="reservedHeapBytes">heap kept for everything but sessions.</param>
        /// <param name="bufferBytes">a session's buffer (<see cref="BufferBytesPerSession"/>).</param>
        public static SessionBudget Compute(
            int configured,
            int maxSockets,
            int listeners,
            int portalSockets,
            int reachSockets,
            int heapBytes,
            int reservedHeapBytes,
            int bufferBytes)
        {
            SessionBudget budget = new SessionBudget();
            budget.Configured = Positive(configured);
            budget.MaxSockets = Positive(maxSockets);
            budget.Listeners = Positive(listeners);
            budget.PortalSockets = Positive(portalSockets);
            budget.ReachSocketCount = Positive(reachSockets);
            budget.HeapBytes = Positive(heapBytes);
            budget.ReservedBytes = Positive(reservedHeapBytes);
            budget.BufferBytes = Positive(bufferBytes);
            budget.Routes = new RouteConfig[0];

            int freeSockets = budget.MaxSockets - budget.Listeners - budget.PortalSockets - budget.ReachSocketCount;
            budget.SessionsBySockets = freeSockets <= 0 ? 0 : freeSockets / SocketsPerSession;

            budget.HeapPerSession = budget.BufferBytes + SessionOverheadBytes;
            int freeHeap = budget.HeapBytes - budget.ReservedBytes;
            budget.SessionsByHeap = freeHeap <= 0 ? 0 : freeHeap / budget.HeapPerSession;

            int sessions = budget.Configured;
            budget.LimitedBy = "config";
            if (budget.SessionsBySockets < sessions)
            {
                sessions = budget.SessionsBySockets;
                budget.LimitedBy = "sockets";
            }

            if (budget.SessionsByHeap < sessions)
            {
                sessions = budget.SessionsByHeap;
                budget.LimitedBy = "heap";
            }

            budget.Sessions = sessions;
            return budget;
        }

        /// <summary>
        /// The arithmetic behind <see cref="Sessions"/>, one line each (the first is
        /// "sessions: N"), for a volunteer: `Pigeon.Host config check --board`, flash.ps1 -DryRun
        /// and the board's log print it. <paramref name="heapSource"/> says where the heap figure
        /// came from ("measured" on the board, "estimate" from a profile).
        /// </summary>
        public string[] Describe(string heapSource)
        {
            string[] lines = new string[5];
            lines[0] = $"sessions: {Sessions} (sockets allow {SessionsBySockets}, heap {SessionsByHeap}, the config asks for {Configured})";
            lines[1] = $"sockets: {MaxSockets} - {Listeners} listeners ({Ports()}) - {PortalSockets} portal (listener + {PortalSockets - 1} {(PortalSockets == 2 ? "slot" : "slots")}) - "
                + $"{ReachSocketCount} port mapping and upstream checks{(Reach ? "" : " (off: with them no session fits)")}"
                + $" = {MaxSockets - Listeners - PortalSockets - ReachSocketCount} for sessions, 2 each: {SessionsBySockets}";
            lines[2] = $"heap: {Kb(HeapBytes)} free ({heapSource}) - {Kb(ReservedBytes)} kept (portal, config, threads{(Reach ? ", port mapping" : "")}; estimate)"
                + $" = {Kb(HeapBytes - ReservedBytes)} for sessions, {Kb(HeapPerSession)} each ({Kb(BufferBytes)} buffer + {Kb(SessionOverheadBytes)} overhead, estimate): {SessionsByHeap}";
            lines[3] = $"config: relay.maxSessions {Configured}";
            lines[4] = $"routes: {Routes.Length} ({Ports()}), port mapping and upstream checks {(Reach ? "on" : "off")}";
            return lines;
        }

        private string Ports()
        {
            string text = "";
            for (int i = 0; i < Routes.Length; i++)
            {
                text += (i > 0 ? ", " : "") + (Routes[i] == null ? "?" : Routes[i].ListenPort.ToString());
            }

            return text.Length == 0 ? "none" : text;
        }

        private static string Kb(int bytes)
        {
            if (bytes < 0)
            {
                return "-" + Kb(-bytes);
            }

            int tenths = ((bytes * 10) + 512) / 1024;
            return (tenths / 10).ToString() + (tenths % 10 == 0 ? "" : "." + (tenths % 10).ToString()) + " KB";
        }

        private static SessionBudget Plan(int configured, int maxSockets, RouteConfig[] routes, int portalSockets, bool reach, int heapBytes, int bufferBytes)
        {
            SessionBudget budget = Compute(
                configured,
                maxSockets,
                routes.Length,
                portalSockets,
                reach ? ReachSockets : 0,
                heapBytes,
                ReservedHeapBytes + (reach ? ReachHeapBytes : 0),
                bufferBytes);
            budget.Routes = routes;
            budget.Reach = reach;
            return budget;
        }

        private static RouteConfig[] FirstRoutePerUpstream(RouteConfig[] routes)
        {
            RouteConfig[] kept = new RouteConfig[routes.Length];
            int count = 0;
            for (int i = 0; i < routes.Length; i++)
            {
                bool seen = false;
                for (int j = 0; j < count; j++)
                {
                    if (routes[i] != null && kept[j].UpstreamHost == routes[i].UpstreamHost)
                    {
                        seen = true;
                    }
                }

                if (!seen && routes[i] != null)
                {
                    kept[count++] = routes[i];
                }
            }

            RouteConfig[] result = new RouteConfig[count];
            Array.Copy(kept, result, count);
            return result;
        }

        private static int Positive(int value)
        {
            return value < 0 ? 0 : value;
        }
    }
}
