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

        /// <summary>Sessions one client address may hold at once; 0 = no limit.</summary>
        public int MaxSessionsPerClient { get; set; }

        /// <summary>When every session is busy, a session idle this long gives its place to a new client; 0 = never.</summary>
        public int EvictIdleSeconds { get; set; }

        /// <summary>HTML a terminateTls route serves to an HTTP request inside its TLS (a prober); empty = a plain default page.</summary>
        public string DecoyPage { get; set; } = "";

        /// <summary>PEM certificate for terminateTls routes; empty = the one generated at first start.</summary>
        public string TlsCertificateFile { get; set; } = "";

        /// <summary>PEM private key of <see cref="TlsCertificateFile"/>.</summary>
        public string TlsKeyFile { get; set; } = "";

        /// <summary>Host only: plain HTTP on this port (the decoy site and ACME HTTP-01 challenges); 0 = off.</summary>
        public int HttpPort { get; set; }

        /// <summary>Host only: obtain and renew the terminateTls certificate for network.publicHost by ACME (RFC 8555).</summary>
        public bool Acme { get; set; }

        /// <summary>The ACME CA's directory URL; empty = Let's Encrypt.</summary>
        public string AcmeDirectoryUrl { get; set; } = "";

        /// <summary>Contact address given to the ACME CA (expiry notices); empty = none.</summary>
        public string AcmeEmail { get; set; } = "";

        /// <summary>"http-01", "tls-alpn-01", or empty: whichever the relay can answer (TLS-ALPN-01 first).</summary>
        public string AcmeChallenge { get; set; } = "";

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
