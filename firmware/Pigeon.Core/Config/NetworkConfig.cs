using Pigeon.Json;

namespace Pigeon.Config
{
    /// <summary>
    /// The "network" section: how the relay is reached from outside (router port mapping,
    /// public address or name for the share link, optional dynamic DNS).
    /// </summary>
    public class NetworkConfig
    {
        /// <summary>Host name or IPv4 address to put in the share link; empty = the best address known.</summary>
        public string PublicHost { get; set; } = "";

        /// <summary>Map the relay ports on the router (UPnP IGD, then NAT-PMP/PCP).</summary>
        public bool PortMapping { get; set; } = true;

        /// <summary>dyndns2-style update URL (e.g. "https://dyn.example/nic/update"); empty = off.</summary>
        public string DynDnsUrl { get; set; } = "";

        /// <summary>dyndns2 user name.</summary>
        public string DynDnsUser { get; set; } = "";

        /// <summary>dyndns2 password. A secret: never sent back or logged.</summary>
        public string DynDnsPassword { get; set; } = "";

        /// <summary>
        /// Token a Prometheus scraper sends to read /metrics ("Authorization: Bearer TOKEN", or as
        /// the basic-auth password); at least 16 characters. Empty = /metrics only with the
        /// portal's admin session. A secret: never sent back or logged.
        /// </summary>
        public string MetricsToken { get; set; } = "";

        /// <summary>
        /// Keys in this object that this firmware does not know, kept as they were read so that a
        /// save (e.g. after a downgrade) does not lose them; written back after the known keys.
        /// Null when there are none.
        /// </summary>
        public JsonNode UnknownKeys { get; set; }
    }
}
