namespace Pigeon.Config
{
    /// <summary>The whole config document (see docs/config.md).</summary>
    public class PigeonConfig
    {
        /// <summary>The schema this document follows; migrated up on load.</summary>
        public int SchemaVersion { get; set; } = ConfigDefaults.SchemaVersion;

        /// <summary>The relay: sessions, buffers, timeouts and routes.</summary>
        public RelayConfig Relay { get; set; }
    }
}
