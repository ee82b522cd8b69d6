
namespace Pigeon.Config
{
    /// <summary>
    /// Every default in one place. Two platforms differ only where the hardware does: a board has
    /// ~100 KB of heap and 16 sockets, a host has gigabytes and thousands.
    /// </summary>
    public static class ConfigDefaults
    {
        /// <summary>The schema version this firmware writes.</summary>
        public const int SchemaVersion = 2;

        /// <summary>
        /// Largest config document accepted (bytes). A full config with four routes is ~1.6 KB; 8 KB
        /// leaves room for more routes and unknown keys while one parse stays a small slice of the
        /// board's ~100 KB heap (the text, its UTF-16 copy and the tree together ~6x the bytes).
        /// </summary>
        public const int MaxDocumentBytes = 8192;

        /// <summary>Deepest nesting of {} and [] accepted (the config itself needs 4: root, relay, routes, a route, allowedSni = 5).</summary>
        public const int MaxDocumentDepth = 10;

        /// <summary>
        /// Device: 5 sessions = 10 sockets of the ESP32's 16 (lwIP CONFIG_LWIP_MAX_SOCKETS), leaving
        /// the two default routes' listeners, the portal (listener + 2 slots) and port mapping
        /// (Relay.SessionBudget, docs/device.md "Budget"). 2 KB buffers: over Wi-Fi the board relays
        /// ~10 Mbit/s at most (every byte crosses the radio twice), and a 2 KB read already keeps
        /// that pipe full; a session's buffer is max(2 x 2 KB, the 4 KB hello) = 4 KB, 20 KB for 5
        /// of the ~100 KB heap. (docs/performance.md, device-sized rows.)
        /// </summary>
        public const int DeviceMaxSessions = 5;

        /// <summary>See <see cref="DeviceMaxSessions"/>.</summary>
        public const int DeviceBufferBytes = 2048;

        /// <summary>
        /// Device: a ClientHello up to 4 KB (Chrome with post-quantum key shares sends ~1.8 KB,
        /// the WhatsApp app far less); the slot's inbound buffer grows to this size.
        /// </summary>
        public const int DeviceMaxHelloBytes = 4096;

        /// <summary>
        /// Host: 4096 sessions, about 2,000 phones (a chat and a media connection each). An unused
        /// session costs nothing on the host's event-driven pump; the number is a ceiling that
        /// keeps a default install within common open-file limits (8,192 descriptors). WhatsApp's
        /// own proxy allows 27,500; raise it with the limit (docs/config.md).
        /// </summary>
        public const int HostMaxSessions = 4096;

        /// <summary>
        /// Host: 64 KB per direction. Measured single-stream on loopback (docs/performance.md,
        /// buffer sweep): relay CPU per GB 1.9 s at 2 KB, 0.59 at 16 KB, 0.46 at 64 KB, 0.39 at
        /// 256 KB (3.3, 8.8, 10.9, 12.2 Gbit/s): the cost falls steeply up to 32-64 KB and
        /// flattens after, where 4x the memory buys 5-15 %. 256 slots x 128 KB = 32 MB.
        /// </summary>
        public const int HostBufferBytes = 65536;

        /// <summary>
        /// Host: 64 KB, the whole host buffer. RFC 8446 lets one ClientHello span several 16 KB
        /// records; a hello over 16 KB is rare (very large post-quantum key shares, padding) but
        /// valid, and the host has the room, so it is not refused.
        /// </summary>
        public const int HostMaxHelloBytes = 65536;

        /// <summary>
        /// No fixed cap per client address, on a board as on a server: the fair share decides
        /// (RelayServer.TryAdmit). Mobile carriers put many phones behind one address (CGNAT), so
        /// while the relay has room no address is refused for its count; once the last quarter of
        /// the sessions is in use, an address holding its share (sessions / addresses) waits, and
        /// when full, the address furthest over its share gives up its idlest session. An operator
        /// may still set a fixed cap (relay.maxSessionsPerClient).
        /// </summary>
        public const int MaxSessionsPerClient = 0;

        /// <summary>
        /// Device: when full, a session silent for 30 s gives its slot to a new client. On a board
        /// with a handful of slots a silent connection (a stranger's one-byte opener, a phone gone
        /// away) costs someone else their turn; a phone whose chat is evicted reconnects.
        /// </summary>
        public const int DeviceEvictIdleSeconds = 30;

        /// <summary>Host: 120 s (a server is rarely full; when it is, only long-silent sessions give way).</summary>
        public const int HostEvictIdleSeconds = 120;

        /// <summary>First bytes / whole ClientHello within 10 s (WhatsApp's official proxy: connect 5 s).</summary>
        public const int HelloTimeoutSeconds = 10;

        /// <summary>Upstream connect 5 s, then the fallback host (official proxy: timeout connect 5s).</summary>
        public const int ConnectTimeoutSeconds = 5;

        /// <summary>Idle 200 s (official proxy: timeout client/server 200s).</summary>
        public const int IdleTimeoutSeconds = 200;

        /// <summary>Half-closed 1 s (official proxy: timeout client-fin/server-fin 1s).</summary>
        public const int DrainMilliseconds = 1000;

        /// <summary>Reuse a DNS answer for 5 minutes: short enough to follow WhatsApp's rotation.</summary>
        public const int DnsCacheSeconds = 300;

        /// <summary>WhatsApp's chat upstream.</summary>
        public const string ChatUpstream = "g.whatsapp.net";

        /// <summary>WhatsApp's second chat upstream, tried when the first fails.</summary>
        public const string ChatFallback = "g-fallback.whatsapp.net";

        /// <summary>WhatsApp's media upstream.</summary>
        public const string MediaUpstream = "whatsapp.net";

        /// <summary>The names media connections carry (their ClientHello's SNI).</summary>
        public static string[] MediaAllowedSni()
        {
            return new string[] { "whatsapp.net", "*.whatsapp.net", "*.whatsapp.com" };
        }

        /// <summary>
        /// The hosts Signal's app reaches through a proxy, each dialled on 443: the allow-list of
        /// Signal's own proxy, Signal-TLS-Proxy (signalapp/Signal-TLS-Proxy,
        /// data/nginx-relay/nginx.conf at cf152e8, 2026-01-22).
        /// </summary>
        public static string[] SignalAllowedSni()
        {
            return new string[]
            {
                "chat.signal.org", "storage.signal.org", "cdn.signal.org", "cdn2.signal.org", "cdn3.signal.org", "cdsi.signal.org",
                "contentproxy.signal.org", "grpc.chat.signal.org", "sfu.voip.signal.org", "svr2.signal.org", "svrb.signal.org",
                "updates.signal.org", "updates2.signal.org",
            };
        }

        /// <summary>The full default config for a board or a host.</summary>
        public static PigeonConfig Create(bool device)
        {
            PigeonConfig config = new PigeonConfig();
            config.SchemaVersion = SchemaVersion;
            config.Wifi = new WifiConfig();
            config.SetupAp = new SetupApConfig();
            config.Admin = new AdminConfig();
            config.Relay = Relay(device);
            config.Time = new TimeConfig();
            config.Portal = new PortalConfig();
            config.Portal.ListenAddress = device ? "0.0.0.0" : "127.0.0.1";
            config.Portal.Port = device ? 80 : 8080;
            config.Network = new NetworkConfig();
            return config;
        }

        /// <summary>The relay section's defaults.</summary>
        public static RelayConfig Relay(bool device)
        {
            RelayConfig relay = new RelayConfig();
            relay.MaxSessions = device ? DeviceMaxSessions : HostMaxSessions;
            relay.BufferBytes = device ? DeviceBufferBytes : HostBufferBytes;
            relay.MaxHelloBytes = device ? DeviceMaxHelloBytes : HostMaxHelloBytes;
            relay.HelloTimeoutSeconds = HelloTimeoutSeconds;
            relay.ConnectTimeoutSeconds = ConnectTimeoutSeconds;
            relay.IdleTimeoutSeconds = IdleTimeoutSeconds;
            relay.DrainMilliseconds = DrainMilliseconds;
            relay.DnsCacheSeconds = DnsCacheSeconds;
            relay.MaxSessionsPerClient = MaxSessionsPerClient;
            relay.EvictIdleSeconds = device ? DeviceEvictIdleSeconds : HostEvictIdleSeconds;
            relay.DecoyPage = "";
            relay.TlsCertificateFile = "";
            relay.TlsKeyFile = "";
            relay.HttpPort = 0;
            relay.Acme = false;
            relay.AcmeDirectoryUrl = "";
            relay.AcmeEmail = "";
            relay.AcmeChallenge = "";
            relay.Routes = device ? BoardRoutes() : WhatsAppRoutes();
            return relay;
        }

        /// <summary>
        /// WhatsApp's route table, as its own proxy serves it (docs/relay-protocols.md): chat on
        /// 443 with the app's TLS taken off (what the app uses when a user types only the host),
        /// chat on 5222 plain, both with a PROXY v1 line to g.whatsapp.net:5222 (fallback
        /// g-fallback.whatsapp.net); media on 587 and 7777, SNI allow-listed, passed through to
        /// whatsapp.net:443 with no PROXY line. The host's default; a board cannot terminate TLS.
        /// </summary>
        public static RouteConfig[] WhatsAppRoutes()
        {
            RouteConfig tls = ChatRoute(443);
            tls.TerminateTls = true;
            tls.ChatOpeningCheck = true; // inside the TLS, what no chat client sends gets a web server's answer
            tls.SignalSni = SignalAllowedSni();
            return new RouteConfig[]
            {
                tls,
                ChatRoute(5222),
                MediaRoute(587),
                MediaRoute(7777),
            };
        }

        /// <summary>
        /// The board's default routes: chat 5222 and media 7777, which serve WhatsApp with TLS off.
        /// Every route holds a listening socket, and on a 16-socket board two sockets are a relay
        /// session; 443 and 587 (the same upstreams) stay a config choice (docs/device.md, "Budget").
        /// </summary>
        public static RouteConfig[] BoardRoutes()
        {
            return new RouteConfig[]
            {
                ChatRoute(5222),
                MediaRoute(7777),
            };
        }

        /// <summary>A default route: WhatsApp chat on the given port.</summary>
        public static RouteConfig ChatRoute(int port)
        {
            RouteConfig route = NewRoute();
            route.Name = "chat-" + port.ToString();
            route.ListenPort = port;
            route.UpstreamHost = ChatUpstream;
            route.UpstreamPort = 5222;
            route.FallbackHost = ChatFallback;
            route.ProxyProtocol = true;
            return route;
        }

        /// <summary>A default route: WhatsApp media on the given port.</summary>
        public static RouteConfig MediaRoute(int port)
        {
            RouteConfig route = NewRoute();
            route.Name = "media-" + port.ToString();
            route.ListenPort = port;
            route.UpstreamHost = MediaUpstream;
            route.UpstreamPort = 443;
            route.AllowedSni = MediaAllowedSni();
            return route;
        }

        /// <summary>A route with every field at its default; the mapper fills a route's missing keys from this.</summary>
        public static RouteConfig NewRoute()
        {
            RouteConfig route = new RouteConfig();
            route.Name = "";
            route.ListenAddress = "0.0.0.0";
            route.UpstreamHost = "";
            route.FallbackHost = "";
            route.AllowedSni = new string[0];
            route.SignalSni = new string[0];
            route.SignalPort = 443;
            route.ProxyProtocolVersion = 1;
            return route;
        }
    }
}
