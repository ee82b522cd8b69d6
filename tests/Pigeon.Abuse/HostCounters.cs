using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>The relay's counters of a running <see cref="PigeonHost"/>, read from its portal.</summary>
    public static class HostCounters
    {
        /// <summary>The relay's counters now (GET /api/status).</summary>
        public static Counters Counters(this PigeonHost host)
        {
            return Abuse.Counters.FromStatus(host.Status());
        }

        /// <summary>Waits until no session is in use; the last reading either way.</summary>
        public static Counters WaitIdle(this PigeonHost host, int ms)
        {
            Counters last = host.Counters();
            Loopback.WaitUntil(() => (last = host.Counters()).Active == 0, ms);
            return last;
        }
    }
}
