namespace Pigeon.Reach
{
    /// <summary>
    /// Keeps a host name pointing at the router's public address through a dyndns2-style update
    /// URL: GET https://service/nic/update?hostname=NAME&amp;myip=A.B.C.D with basic auth. The
    /// protocol's rules are followed: update only when the address changed, stop after an answer
    /// that needs the volunteer (badauth, nohost, abuse, ...), wait 30 min after a server error.
    /// </summary>
    /// <remarks>
    /// The updater itself (its constructor, <c>Update</c> and the reading of the answers) is the
    /// host's, DynDns.Host.cs (files named *.Host.cs are left out of the board's assembly): a board
    /// has no HTTPS client (nanoFramework.System.Net.Http is not pinned), so dynamic DNS is off
    /// there (<see cref="ReachService"/> logs why) and this type is only what the status page reads.
    /// </remarks>
    public sealed partial class DynDns
    {
        /// <summary>Why the config cannot be used; null when it can.</summary>
        public string ConfigError { get; private set; }

        /// <summary>The last answer.</summary>
        public DynDnsResult LastResult { get; private set; }

        /// <summary>The last answer in plain words.</summary>
        public string LastMessage { get; private set; }

        /// <summary>When the last update was sent (the clock's ms); 0 = never.</summary>
        public long LastUpdateMs { get; private set; }
    }
}
