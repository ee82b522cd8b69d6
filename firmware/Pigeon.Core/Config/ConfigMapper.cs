using Pigeon.Json;

namespace Pigeon.Config
{
    /// <summary>
    /// Maps a (migrated) JSON tree to a <see cref="PigeonConfig"/> and back, with each section's
    /// fields listed once for both directions (<see cref="FieldMap"/>). Reading starts from the
    /// defaults, or from a copy of the current config for a change; any section or field left
    /// out keeps its value; a value of the wrong type is an error at its path; an unknown key is a
    /// warning and is kept in the object's <c>UnknownKeys</c>, written back after the known keys,
    /// sorted by name. (Writing fills a missing section of the config with an empty one.)
    /// </summary>
    public static class ConfigMapper
    {
        /// <summary>The key that holds the schema version.</summary>
        public const string SchemaVersionKey = "schemaVersion";

        /// <summary>Reads a tree (already migrated to the current schema) over the defaults.</summary>
        public static PigeonConfig FromTree(JsonNode root, bool device, ValidationReport report)
        {
            PigeonConfig config = ConfigDefaults.Create(device);
            Read(root, config, report);
            return config;
        }

        /// <summary>
        /// Reads the members of <paramref name="root"/> onto <paramref name="config"/>: what the tree
        /// holds replaces what the config had, what it leaves out stays. Over the defaults this
        /// reads a document; over a copy of the current config it applies a change (the portal's),
        /// with the same types, messages and paths.
        /// </summary>
        public static void Read(JsonNode root, PigeonConfig config, ValidationReport report)
        {
            if (root == null || root.Kind != JsonKind.Object)
            {
                report.AddError(ValidationReport.DocumentPath, "The config must be a JSON object: { ... }.");
                return;
            }

            Config(FieldMap.Reading(root, string.Empty, report), config);
        }

        /// <summary>The config as a JSON tree (known keys in a fixed order, then the unknown ones).</summary>
        public static JsonNode ToTree(PigeonConfig config)
        {
            FieldMap map = FieldMap.Writing();
            Config(map, config);
            return map.Node;
        }

        /// <summary>One route as a tree (every key, then its unknown ones).</summary>
        public static JsonNode RouteTree(RouteConfig route)
        {
            FieldMap map = FieldMap.Writing();
            Route(map, route);
            return map.Node;
        }

        /// <summary>A deep copy (through the tree, so it copies exactly what a save would keep).</summary>
        public static PigeonConfig Copy(PigeonConfig config, bool device)
        {
            ValidationReport ignored = new ValidationReport();
            return FromTree(ToTree(config), device, ignored);
        }

        private static void Config(FieldMap m, PigeonConfig c)
        {
            int version = m.Number(SchemaVersionKey, m.IsWriting ? ConfigDefaults.SchemaVersion : c.SchemaVersion);
            if (!m.IsWriting)
            {
                c.SchemaVersion = version; // written as the current version, whatever the object says
            }

            m.Ignore(ConfigSeal.ChecksumKey); // the store's seal; a hand-edited copy may still carry one mid-document
            FieldMap s = m.Section("wifi");
            if (s != null)
            {
                Wifi(s, c.Wifi ?? (c.Wifi = new WifiConfig()));
            }

            s = m.Section("setupAp");
            if (s != null)
            {
                SetupAp(s, c.SetupAp ?? (c.SetupAp = new SetupApConfig()));
            }

            s = m.Section("admin");
            if (s != null)
            {
                Admin(s, c.Admin ?? (c.Admin = new AdminConfig()));
            }

            s = m.Section("relay");
            if (s != null)
            {
                Relay(s, c.Relay ?? (c.Relay = new RelayConfig()));
            }

            s = m.Section("time");
            if (s != null)
            {
                TimeConfig time = c.Time ?? (c.Time = new TimeConfig());
                time.NtpServers = s.Texts("ntpServers", time.NtpServers);
                time.UnknownKeys = s.Unknown(time.UnknownKeys);
            }

            s = m.Section("portal");
            if (s != null)
            {
                PortalConfig portal = c.Portal ?? (c.Portal = new PortalConfig());
                portal.ListenAddress = s.Text("listenAddress", portal.ListenAddress);
                portal.Port = s.Number("port", portal.Port);
                portal.UnknownKeys = s.Unknown(portal.UnknownKeys);
            }

            s = m.Section("network");
            if (s != null)
            {
                Network(s, c.Network ?? (c.Network = new NetworkConfig()));
            }

            c.UnknownKeys = m.Unknown(c.UnknownKeys);
        }

        private static void Wifi(FieldMap m, WifiConfig c)
        {
            c.Ssid = m.Text("ssid", c.Ssid);
            c.Password = m.Text("password", c.Password);
            c.StaticAddress = m.Text("staticAddress", c.StaticAddress);
            c.StaticNetmask = m.Text("staticNetmask", c.StaticNetmask);
            c.StaticGateway = m.Text("staticGateway", c.StaticGateway);
            c.StaticDns = m.Text("staticDns", c.StaticDns);
            c.UnknownKeys = m.Unknown(c.UnknownKeys);
        }

        private static void SetupAp(FieldMap m, SetupApConfig c)
        {
            c.Ssid = m.Text("ssid", c.Ssid);
            c.Password = m.Text("password", c.Password);
            c.Channel = m.Number("channel", c.Channel);
            c.UnknownKeys = m.Unknown(c.UnknownKeys);
        }

        private static void Admin(FieldMap m, AdminConfig c)
        {
            c.PasswordHash = m.Text("passwordHash", c.PasswordHash);
            c.PasswordSalt = m.Text("passwordSalt", c.PasswordSalt);
            c.UnknownKeys = m.Unknown(c.UnknownKeys);
        }

        private static void Relay(FieldMap m, RelayConfig c)
        {
            c.MaxSessions = m.Number("maxSessions", c.MaxSessions);
            c.BufferBytes = m.Number("bufferBytes", c.BufferBytes);
            c.MaxHelloBytes = m.Number("maxHelloBytes", c.MaxHelloBytes);
            c.HelloTimeoutSeconds = m.Number("helloTimeoutSeconds", c.HelloTimeoutSeconds);
            c.ConnectTimeoutSeconds = m.Number("connectTimeoutSeconds", c.ConnectTimeoutSeconds);
            c.IdleTimeoutSeconds = m.Number("idleTimeoutSeconds", c.IdleTimeoutSeconds);
            c.DrainMilliseconds = m.Number("drainMilliseconds", c.DrainMilliseconds);
            c.DnsCacheSeconds = m.Number("dnsCacheSeconds", c.DnsCacheSeconds);
            c.MaxSessionsPerClient = m.Number("maxSessionsPerClient", c.MaxSessionsPerClient);
            c.EvictIdleSeconds = m.Number("evictIdleSeconds", c.EvictIdleSeconds);
            c.DecoyPage = m.Text("decoyPage", c.DecoyPage);
            c.TlsCertificateFile = m.Text("tlsCertificateFile", c.TlsCertificateFile);
            c.TlsKeyFile = m.Text("tlsKeyFile", c.TlsKeyFile);
            c.HttpPort = m.Number("httpPort", c.HttpPort);
            c.Acme = m.Flag("acme", c.Acme);
            c.AcmeDirectoryUrl = m.Text("acmeDirectoryUrl", c.AcmeDirectoryUrl);
            c.AcmeEmail = m.Text("acmeEmail", c.AcmeEmail);
            c.AcmeChallenge = m.Text("acmeChallenge", c.AcmeChallenge);
            RouteConfig[] old = c.Routes ?? new RouteConfig[0];
            FieldMap[] items = m.Items("routes", old.Length, "routes");
            if (items != null)
            {
                RouteConfig[] routes = new RouteConfig[items.Length];
                for (int i = 0; i < routes.Length; i++)
                {
                    routes[i] = m.IsWriting && old[i] != null ? old[i] : ConfigDefaults.NewRoute();
                    if (items[i] != null)
                    {
                        Route(items[i], routes[i]);
                    }
                }

                c.Routes = m.IsWriting ? c.Routes : routes;
            }

            c.UnknownKeys = m.Unknown(c.UnknownKeys);
        }

        private static void Route(FieldMap m, RouteConfig c)
        {
            c.Name = m.Text("name", c.Name);
            c.ListenAddress = m.Text("listenAddress", c.ListenAddress);
            c.ListenPort = m.Number("listenPort", c.ListenPort);
            c.UpstreamHost = m.Text("upstreamHost", c.UpstreamHost);
            c.UpstreamPort = m.Number("upstreamPort", c.UpstreamPort);
            c.FallbackHost = m.Text("fallbackHost", c.FallbackHost);
            ProxyProtocol(m, c);
            c.AllowedSni = m.Texts("allowedSni", c.AllowedSni);
            c.UpstreamFromSni = m.Flag("upstreamFromSni", c.UpstreamFromSni);
            c.AllowTls = m.Flag("allowTls", c.AllowTls);
            c.TerminateTls = m.Flag("terminateTls", c.TerminateTls);
            c.SignalSni = m.Texts("signalSni", c.SignalSni);
            c.SignalPort = m.Number("signalPort", c.SignalPort);
            c.AcceptProxy = m.Flag("acceptProxy", c.AcceptProxy);
            c.AcceptProxyFrom = m.Texts("acceptProxyFrom", c.AcceptProxyFrom);
            c.ChatOpeningCheck = m.Flag("chatOpeningCheck", c.ChatOpeningCheck);
            c.UnknownKeys = m.Unknown(c.UnknownKeys);
        }

        // true/false (true = the v1 line, as before v2 existed), or "v1"/"v2".
        private static void ProxyProtocol(FieldMap m, RouteConfig c)
        {
            bool v2 = c.ProxyProtocol && c.ProxyProtocolVersion == 2;
            JsonNode found = m.Raw("proxyProtocol", v2 ? JsonNode.FromString("v2") : JsonNode.FromBool(c.ProxyProtocol));
            if (found != null && found.Kind == JsonKind.String && (found.Text == "v1" || found.Text == "v2"))
            {
                c.ProxyProtocol = true;
                c.ProxyProtocolVersion = found.Text == "v2" ? 2 : 1;
            }
            else if (found != null && found.Kind == JsonKind.String)
            {
                m.Error("proxyProtocol", "must be true, false, \"v1\" or \"v2\"");
            }
            else if (found != null)
            {
                c.ProxyProtocol = m.Flag(found, "proxyProtocol", c.ProxyProtocol);
                c.ProxyProtocolVersion = 1;
            }
        }

        private static void Network(FieldMap m, NetworkConfig c)
        {
            c.PublicHost = m.Text("publicHost", c.PublicHost);
            c.PortMapping = m.Flag("portMapping", c.PortMapping);
            c.DynDnsUrl = m.Text("dynDnsUrl", c.DynDnsUrl);
            c.DynDnsUser = m.Text("dynDnsUser", c.DynDnsUser);
            c.DynDnsPassword = m.Text("dynDnsPassword", c.DynDnsPassword);
            c.MetricsToken = m.Text("metricsToken", c.MetricsToken);
            c.UnknownKeys = m.Unknown(c.UnknownKeys);
        }
    }
}
