namespace Pigeon.Relay
{
    /// <summary>
    /// A session's life cycle. Plain int constants rather than an enum: the phase is an int
    /// field that the reaper and the status read without taking the session's lock.
    /// </summary>
    public static class SessionPhase
    {
        /// <summary>Waiting for a client.</summary>
        public const int Free = 0;

        /// <summary>Claimed by a listener, client not yet handed over.</summary>
        public const int Reserved = 1;

        /// <summary>
        /// Admission: a PROXY header from a load balancer, the first bytes or the ClientHello, a
        /// TLS handshake on terminateTls routes, and the first bytes inside it (hello timeout,
        /// one deadline for all of it).
        /// </summary>
        public const int Hello = 2;

        /// <summary>Resolving and connecting upstream (connect timeout per attempt).</summary>
        public const int Connecting = 3;

        /// <summary>Pumping both ways (idle timeout, renewed by every byte either way).</summary>
        public const int Relaying = 4;

        /// <summary>
        /// One side finished (FIN); the other direction still runs until it finishes too or moves
        /// nothing for the drain time (HAProxy's client-fin/server-fin: inactivity, not a fixed end).
        /// </summary>
        public const int HalfClosed = 5;

        /// <summary>Closing both sides and returning the slot.</summary>
        public const int Closing = 6;
    }
}
