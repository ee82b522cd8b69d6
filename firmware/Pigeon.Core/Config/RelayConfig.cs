using Pigeon.Json;

namespace Pigeon.Config
{
    /// <summary>The "relay" section of the config. Defaults come from <see cref="ConfigDefaults"/>.</summary>
    public class RelayConfig
    {
        /// <summary>Session slots: concurrent relayed connections (each holds two sockets).</summary>
        public int MaxSessions { get; set; }

        /// <summary>Bytes per direction buffer in each slot.</summary>
        public int BufferBytes { get; set; }

        /// <summary>Cap on the ClientHello bytes the relay waits for on SNI routes.</summary>
        public int MaxHelloBytes { get; set; }

        /// <summary>Time for a client's first bytes (plain routes) or whole ClientHello (SNI routes).</summary>
        public int HelloTimeoutSeconds { get; set; }

        /// <summary>Time to connect upstream before trying the fallback host.</summary>
        public int ConnectTimeoutSeconds { get; set; }

        /// <summary>A session with no byte either way for this long is closed.</summary>
        public int IdleTimeoutSeconds { get; set; }

        /// <summary>After one side finishes, how long the other may still send before both close.</summary>
        public int DrainMilliseconds { get; set; }

        /// <summary>How long an upstream DNS answer is reused.</summary>
        public int DnsCacheSeconds { get; set; }

        /// <summary>The routes (listening ports).</summary>
        public RouteConfig[] Routes { get; set; } = new RouteConfig[0];

        /// <summary>
        /// Keys in this object that this firmware does not know, kept as they were read so that a
        /// save (e.g. after a downgrade) does not lose them; written back after the known keys.
        /// Null when there are none.
        /// </summary>
        public JsonNode UnknownKeys { get; set; }
    }
}
