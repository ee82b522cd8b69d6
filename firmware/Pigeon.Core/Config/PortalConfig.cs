using Pigeon.Json;

namespace Pigeon.Config
{
    /// <summary>The "portal" section: where the setup/status page listens in run mode.</summary>
    public class PortalConfig
    {
        /// <summary>IPv4 address to listen on (host default 127.0.0.1; board: its LAN address, "0.0.0.0").</summary>
        public string ListenAddress { get; set; } = "127.0.0.1";

        /// <summary>TCP port (host default 8080; board 80).</summary>
        public int Port { get; set; } = 8080;

        /// <summary>
        /// Keys in this object that this firmware does not know, kept as they were read so that a
        /// save (e.g. after a downgrade) does not lose them; written back after the known keys.
        /// Null when there are none.
        /// </summary>
        public JsonNode UnknownKeys { get; set; }
    }
}
