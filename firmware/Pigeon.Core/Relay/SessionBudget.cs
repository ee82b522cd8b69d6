namespace Pigeon.Relay
{
    /// <summary>
    /// How many relay sessions a board can hold: the smaller of what its lwIP sockets and its
    /// managed heap allow, after the listeners, the portal and the UDP services have taken theirs,
    /// and never more than the config asks for. The portal's share is fixed up front, so a busy
    /// setup page can never take a socket a session needs (docs/device.md, "Budget").
    /// </summary>
    /// <remarks>
    /// <code>
    ///   sockets for sessions = maxSockets - listeners - portalSockets - udpSockets - reachSockets
    ///   sessions by sockets  = that / 2               (phone side + WhatsApp side)
    ///   sessions by heap     = (heap - reservedHeap) / (inbound + outbound + SessionOverheadBytes)
    ///   sessions             = min(configured, by sockets, by heap), at least 0
    /// </code>
    /// </remarks>
    public sealed class SessionBudget
    {
        /// <summary>
        /// Heap a session holds besides its two buffers: the Session object, two connection
        /// wrappers and two parked threads. An estimate for nanoCLR (a managed thread's object plus
        /// its interpreter frame stack is well under 1 KB); docs/device.md says how to measure it.
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

        /// <summary>The session count the budget allows.</summary>
        public int Sessions { get; private set; }

        /// <summary>Sessions the sockets alone would allow.</summary>
        public int SessionsBySockets { get; private set; }

        /// <summary>Sessions the heap alone would allow.</summary>
        public int SessionsByHeap { get; private set; }

        /// <summary>Heap one session takes (buffers plus overhead).</summary>
        public int HeapPerSession { get; private set; }

        /// <summary>What set <see cref="Sessions"/>: "config", "sockets" or "heap".</summary>
        public string LimitedBy { get; private set; }

        /// <summary>
        /// Works out the budget. Negative or zero inputs are treated as zero; nothing throws.
        /// </summary>
        /// <param name="configured">relay.maxSessions from the config (the ceiling).</param>
        /// <param name="maxSockets">the firmware's CONFIG_LWIP_MAX_SOCKETS.</param>
        /// <param name="listeners">one per relay route.</param>
        /// <param name="portalSockets">the portal's listener plus the clients it may hold at once.</param>
        /// <param name="udpSockets">SNTP, captive DNS, DHCP server: whatever runs beside the relay.</param>
        /// <param name="reachSockets">port mapping and health checks (<see cref="ReachSockets"/>; 0 when they do not run).</param>
        /// <param name="heapBytes">managed heap free for the application after start-up.</param>
        /// <param name="reservedHeapBytes">heap kept for everything but sessions (portal, config, JSON).</param>
        /// <param name="inboundBytes">a session's inbound buffer (the larger of buffer and hello).</param>
        /// <param name="outboundBytes">a session's outbound buffer.</param>
        public static SessionBudget Compute(
            int configured,
            int maxSockets,
            int listeners,
            int portalSockets,
            int udpSockets,
            int reachSockets,
            int heapBytes,
            int reservedHeapBytes,
            int inboundBytes,
            int outboundBytes)
        {
            SessionBudget budget = new SessionBudget();
            int freeSockets = Positive(maxSockets) - Positive(listeners) - Positive(portalSockets) - Positive(udpSockets) - Positive(reachSockets);
            budget.SessionsBySockets = freeSockets <= 0 ? 0 : freeSockets / SocketsPerSession;

            budget.HeapPerSession = Positive(inboundBytes) + Positive(outboundBytes) + SessionOverheadBytes;
            int freeHeap = Positive(heapBytes) - Positive(reservedHeapBytes);
            budget.SessionsByHeap = freeHeap <= 0 ? 0 : freeHeap / budget.HeapPerSession;

            int sessions = Positive(configured);
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

        private static int Positive(int value)
        {
            return value < 0 ? 0 : value;
        }
    }
}
