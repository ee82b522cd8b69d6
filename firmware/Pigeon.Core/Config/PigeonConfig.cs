using Pigeon.Json;

namespace Pigeon.Config
{
    /// <summary>The whole config document (see docs/config.md). Keys are camelCase in JSON.</summary>
    public class PigeonConfig
    {
        /// <summary>The schema this document follows; migrated up on load.</summary>
        public int SchemaVersion { get; set; } = ConfigDefaults.SchemaVersion;

        /// <summary>The home Wi-Fi network (run mode).</summary>
        public WifiConfig Wifi { get; set; }

        /// <summary>The board's own network (setup mode).</summary>
        public SetupApConfig SetupAp { get; set; }

        /// <summary>The portal's admin password (hashed).</summary>
        public AdminConfig Admin { get; set; }

        /// <summary>The relay: sessions, buffers, timeouts and routes.</summary>
        public RelayConfig Relay { get; set; }

        /// <summary>NTP servers.</summary>
        public TimeConfig Time { get; set; }

        /// <summary>Where the portal listens.</summary>
        public PortalConfig Portal { get; set; }

        /// <summary>Reachability: public host, port mapping, dynamic DNS.</summary>
        public NetworkConfig Network { get; set; }

        /// <summary>
        /// Keys in this object that this firmware does not know, kept as they were read so that a
        /// save (e.g. after a downgrade) does not lose them; written back after the known keys.
        /// Null when there are none.
        /// </summary>
        public JsonNode UnknownKeys { get; set; }
    }
}
