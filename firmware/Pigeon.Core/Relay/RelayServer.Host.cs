using Pigeon.Routing;

namespace Pigeon.Relay
{
    /// <summary>
    /// The host's part of <see cref="RelayServer"/> (files named *.Host.cs are compiled into
    /// Pigeon.Core on the host only): what only the event-driven pump and Pigeon.Host use, the
    /// open-file limit, lent buffers, refusals before a session, closing every session.
    /// </summary>
    public abstract partial class RelayServer
    {
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

        /// <summary>
        /// True when a session borrows its buffers only while bytes move (the host's event pump):
        /// then <see cref="BufferBytesPerSession"/> is what a busy session holds, not every slot.
        /// </summary>
        public virtual bool LendsBuffers
        {
            get { return false; }
        }

        /// <summary>Counts a client the pump turned away before any session began (out of descriptors, say).</summary>
        protected void CountRefusal(Route route, RefusalReason reason)
        {
            route.Counters.OnRefused(reason);
        }

        /// <summary>Closes every live session (the event-driven pump calls it when stopping; the board's closes its slots itself).</summary>
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
    }
}
