namespace Pigeon.Reach
{
    /// <summary>
    /// One relay port's mapping as shown on the status page and in the metrics. Immutable: the
    /// mapper replaces the whole object, so a reader on another thread never sees half an update.
    /// </summary>
    public sealed class MappingStatus
    {
        /// <summary>Creates a status record.</summary>
        public MappingStatus(int port, MappingState state, MappingMethod method, int externalPort, int leaseSeconds, long expiresAtMs, string message)
        {
            Port = port;
            State = state;
            Method = method;
            ExternalPort = externalPort;
            LeaseSeconds = leaseSeconds;
            ExpiresAtMs = expiresAtMs;
            Message = message;
        }

        /// <summary>The relay's port (the mapping's internal port).</summary>
        public int Port { get; private set; }

        /// <summary>Where the mapping stands.</summary>
        public MappingState State { get; private set; }

        /// <summary>Which protocol mapped it (or last tried).</summary>
        public MappingMethod Method { get; private set; }

        /// <summary>The port outside users connect to (NAT-PMP may grant another than asked).</summary>
        public int ExternalPort { get; private set; }

        /// <summary>The lease granted in seconds; 0 = permanent.</summary>
        public int LeaseSeconds { get; private set; }

        /// <summary>When the lease ends on the mapper's clock (ms); 0 when permanent or not mapped.</summary>
        public long ExpiresAtMs { get; private set; }

        /// <summary>A plain sentence: what happened, or why it failed.</summary>
        public string Message { get; private set; }

        /// <summary>"upnp", "nat-pmp", "pcp" or "none" (for the metrics' labels and the status JSON).</summary>
        public static string MethodName(MappingMethod method)
        {
            return method == MappingMethod.Upnp ? "upnp" : method == MappingMethod.NatPmp ? "nat-pmp" : method == MappingMethod.Pcp ? "pcp" : "none";
        }

        /// <summary>"pending", "mapped", "failed", "off", "removed".</summary>
        public static string StateName(MappingState state)
        {
            switch (state)
            {
                case MappingState.Mapped:
                    return "mapped";
                case MappingState.Failed:
                    return "failed";
                case MappingState.Off:
                    return "off";
                case MappingState.Removed:
                    return "removed";
                default:
                    return "pending";
            }
        }
    }
}
