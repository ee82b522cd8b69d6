namespace Pigeon.Reach
{
    /// <summary>Where one port's mapping stands.</summary>
    public enum MappingState
    {
        /// <summary>Not tried yet.</summary>
        Pending = 0,

        /// <summary>The router forwards the port to the relay (until the lease ends).</summary>
        Mapped = 1,

        /// <summary>The router refused or did not answer; the message says why.</summary>
        Failed = 2,

        /// <summary>Port mapping is switched off in the config.</summary>
        Off = 3,

        /// <summary>The mapping was deleted (route removed or factory reset).</summary>
        Removed = 4,
    }
}
