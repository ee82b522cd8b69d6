namespace Pigeon.Relay
{
    /// <summary>
    /// A session slot's life cycle. Plain int constants rather than an enum: the phase is an int
    /// field that the reaper and the status read without taking the slot's lock.
    /// </summary>
    public static class SessionPhase
    {
        /// <summary>Waiting for a client.</summary>
        public const int Free = 0;

        /// <summary>Claimed by a listener, client not yet handed over.</summary>
        public const int Reserved = 1;

        /// <summary>Reading the first bytes or the ClientHello (hello timeout).</summary>
        public const int Hello = 2;

        /// <summary>Resolving and connecting upstream (connect timeout).</summary>
        public const int Connecting = 3;

        /// <summary>Pumping both ways (idle timeout).</summary>
        public const int Relaying = 4;

        /// <summary>One side finished; the other may still send briefly (drain timeout).</summary>
        public const int Draining = 5;

        /// <summary>Closing both sides and returning the slot.</summary>
        public const int Closing = 6;
    }
}
