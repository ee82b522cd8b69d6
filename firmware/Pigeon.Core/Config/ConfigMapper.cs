using Pigeon.Json;

namespace Pigeon.Config
{
    /// <summary>
    /// Maps a (migrated) JSON tree to a <see cref="PigeonConfig"/> and back. Reading starts from
    /// the defaults, so any section or field left out keeps its default; a value of the wrong type
    /// is an error at its path; an unknown key is a warning and is kept in the object's
    /// <c>UnknownKeys</c>, written back after the known keys, sorted by name (so the host and the
    /// board, whose JSON library does not keep member order, write the same bytes).
    /// </summary>
    public static class ConfigMapper
    {
        /// <summary>The key that holds the schema version.</summary>
        public const string SchemaVersionKey = "schemaVersion";

        private const string UnknownKeyMessage = "Pigeon does not know this setting (it may come from another firmware version); it is kept as it is but not used.";

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

            for (int i = 0; i < root.Count; i++)
            {
                string name = root.GetName(i);
                JsonNode value = root[i];
                switch (name)
                {
                    case ConfigSeal.ChecksumKey:
                        break; // the store's seal; a hand-edited copy may still carry one mid-document
                    case SchemaVersionKey:
                        config.SchemaVersion = Int(value, name, report, config.SchemaVersion);
                        break;
                    case "wifi":
                        if (IsObject(value, name, report))
                        {
                            ReadWifi(value, config.Wifi, report);
                        }

                        break;
                    case "setupAp":
                        if (IsObject(value, name, report))
                        {
                            ReadSetupAp(value, config.SetupAp, report);
                        }

                        break;
                    case "admin":
                        if (IsObject(value, name, report))
                        {
                            ReadAdmin(value, config.Admin, report);
                        }

                        break;
                    case "relay":
                        if (IsObject(value, name, report))
                        {
                            ReadRelay(value, config.Relay, report);
                        }

                        break;
                    case "time":
                        if (IsObject(value, name, report))
                        {
                            ReadTime(value, config.Time, report);
                        }

                        break;
                    case "portal":
                        if (IsObject(value, name, report))
                        {
                            ReadPortal(value, config.Portal, report);
                        }

                        break;
                    case "network":
                        if (IsObject(value, name, report))
                        {
                            ReadNetwork(value, config.Network, report);
                        }

                        break;
                    default:
                        config.UnknownKeys = Keep(config.UnknownKeys, name, value, name, report);
                        break;
                }
            }
        }

        /// <summary>The config as a JSON tree (known keys in a fixed order, then the unknown ones).</summary>
        public static JsonNode ToTree(PigeonConfig config)
        {
            JsonNode root = JsonNode.NewObject();
            root.Add(SchemaVersionKey, JsonNode.FromInt(ConfigDefaults.SchemaVersion));

            WifiConfig wifi = config.Wifi ?? new WifiConfig();
            JsonNode w = JsonNode.NewObject();
            w.Add("ssid", S(wifi.Ssid));
            w.Add("password", S(wifi.Password));
            w.Add("staticAddress", S(wifi.StaticAddress));
            w.Add("staticNetmask", S(wifi.StaticNetmask));
            w.Add("staticGateway", S(wifi.StaticGateway));
            w.Add("staticDns", S(wifi.StaticDns));
            root.Add("wifi", Unknown(w, wifi.UnknownKeys));

            SetupApConfig ap = config.SetupAp ?? new SetupApConfig();
            JsonNode a = JsonNode.NewObject();
            a.Add("ssid", S(ap.Ssid));
            a.Add("password", S(ap.Password));
            a.Add("channel", JsonNode.FromInt(ap.Channel));
            root.Add("setupAp", Unknown(a, ap.UnknownKeys));

            AdminConfig admin = config.Admin ?? new AdminConfig();
            JsonNode ad = JsonNode.NewObject();
            ad.Add("passwordHash", S(admin.PasswordHash));
            ad.Add("passwordSalt", S(admin.PasswordSalt));
            root.Add("admin", Unknown(ad, admin.UnknownKeys));

            RelayConfig relay = config.Relay ?? new RelayConfig();
            JsonNode r = JsonNode.NewObject();
            r.Add("maxSessions", JsonNode.FromInt(relay.MaxSessions));
            r.Add("bufferBytes", JsonNode.FromInt(relay.BufferBytes));
            r.Add("maxHelloBytes", JsonNode.FromInt(relay.MaxHelloBytes));
            r.Add("helloTimeoutSeconds", JsonNode.FromInt(relay.HelloTimeoutSeconds));
            r.Add("connectTimeoutSeconds", JsonNode.FromInt(relay.ConnectTimeoutSeconds));
            r.Add("idleTimeoutSeconds", JsonNode.FromInt(relay.IdleTimeoutSeconds));
            r.Add("drainMilliseconds", JsonNode.FromInt(relay.DrainMilliseconds));
            r.Add("dnsCacheSeconds", JsonNode.FromInt(relay.DnsCacheSeconds));
            JsonNode routes = JsonNode.NewArray();
            RouteConfig[] list = relay.Routes ?? new RouteConfig[0];
            for (int i = 0; i < list.Length; i++)
            {
                routes.AddItem(RouteTree(list[i] ?? ConfigDefaults.NewRoute()));
            }

            r.Add("routes", routes);
            root.Add("relay", Unknown(r, relay.UnknownKeys));

            TimeConfig time = config.Time ?? new TimeConfig();
            JsonNode t = JsonNode.NewObject();
            t.Add("ntpServers", Strings(time.NtpServers));
            root.Add("time", Unknown(t, time.UnknownKeys));

            PortalConfig portal = config.Portal ?? new PortalConfig();
            JsonNode p = JsonNode.NewObject();
            p.Add("listenAddress", S(portal.ListenAddress));
            p.Add("port", JsonNode.FromInt(portal.Port));
            root.Add("portal", Unknown(p, portal.UnknownKeys));

            NetworkConfig network = config.Network ?? new NetworkConfig();
            JsonNode nw = JsonNode.NewObject();
            nw.Add("publicHost", S(network.PublicHost));
            nw.Add("portMapping", JsonNode.FromBool(network.PortMapping));
            nw.Add("dynDnsUrl", S(network.DynDnsUrl));
            nw.Add("dynDnsUser", S(network.DynDnsUser));
            nw.Add("dynDnsPassword", S(network.DynDnsPassword));
            nw.Add("metricsToken", S(network.MetricsToken));
            root.Add("network", Unknown(nw, network.UnknownKeys));

            return Unknown(root, config.UnknownKeys);
        }

        /// <summary>One route as a tree (every key, then its unknown ones).</summary>
        public static JsonNode RouteTree(RouteConfig route)
        {
            JsonNode n = JsonNode.NewObject();
            n.Add("name", S(route.Name));
            n.Add("listenAddress", S(route.ListenAddress));
            n.Add("listenPort", JsonNode.FromInt(route.ListenPort));
            n.Add("upstreamHost", S(route.UpstreamHost));
            n.Add("upstreamPort", JsonNode.FromInt(route.UpstreamPort));
            n.Add("fallbackHost", S(route.FallbackHost));
            n.Add("proxyProtocol", JsonNode.FromBool(route.ProxyProtocol));
            n.Add("allowedSni", Strings(route.AllowedSni));
            n.Add("upstreamFromSni", JsonNode.FromBool(route.UpstreamFromSni));
            n.Add("allowTls", JsonNode.FromBool(route.AllowTls));
            return Unknown(n, route.UnknownKeys);
        }

        /// <summary>A deep copy (through the tree, so it copies exactly what a save would keep).</summary>
        public static PigeonConfig Copy(PigeonConfig config, bool device)
        {
            ValidationReport ignored = new ValidationReport();
            return FromTree(ToTree(config), device, ignored);
        }

        private static void ReadWifi(JsonNode node, WifiConfig target, ValidationReport report)
        {
            for (int i = 0; i < node.Count; i++)
            {
                string name = node.GetName(i);
                JsonNode v = node[i];
                string path = "wifi." + name;
                switch (name)
                {
                    case "ssid": target.Ssid = Str(v, path, report, target.Ssid); break;
                    case "password": target.Password = Str(v, path, report, target.Password); break;
                    case "staticAddress": target.StaticAddress = Str(v, path, report, target.StaticAddress); break;
                    case "staticNetmask": target.StaticNetmask = Str(v, path, report, target.StaticNetmask); break;
                    case "staticGateway": target.StaticGateway = Str(v, path, report, target.StaticGateway); break;
                    case "staticDns": target.StaticDns = Str(v, path, report, target.StaticDns); break;
                    default: target.UnknownKeys = Keep(target.UnknownKeys, name, v, path, report); break;
                }
            }
        }

        private static void ReadSetupAp(JsonNode node, SetupApConfig target, ValidationReport report)
        {
            for (int i = 0; i < node.Count; i++)
            {
                string name = node.GetName(i);
                JsonNode v = node[i];
                string path = "setupAp." + name;
                switch (name)
                {
                    case "ssid": target.Ssid = Str(v, path, report, target.Ssid); break;
                    case "password": target.Password = Str(v, path, report, target.Password); break;
                    case "channel": target.Channel = Int(v, path, report, target.Channel); break;
                    default: target.UnknownKeys = Keep(target.UnknownKeys, name, v, path, report); break;
                }
            }
        }

        private static void ReadAdmin(JsonNode node, AdminConfig target, ValidationReport report)
        {
            for (int i = 0; i < node.Count; i++)
            {
                string name = node.GetName(i);
                JsonNode v = node[i];
                string path = "admin." + name;
                switch (name)
                {
                    case "passwordHash": target.PasswordHash = Str(v, path, report, target.PasswordHash); break;
                    case "passwordSalt": target.PasswordSalt = Str(v, path, report, target.PasswordSalt); break;
                    default: target.UnknownKeys = Keep(target.UnknownKeys, name, v, path, report); break;
                }
            }
        }

        private static void ReadRelay(JsonNode node, RelayConfig target, ValidationReport report)
        {
            for (int i = 0; i < node.Count; i++)
            {
                string name = node.GetName(i);
                JsonNode v = node[i];
                string path = "relay." + name;
                switch (name)
                {
                    case "maxSessions": target.MaxSessions = Int(v, path, report, target.MaxSessions); break;
                    case "bufferBytes": target.BufferBytes = Int(v, path, report, target.BufferBytes); break;
                    case "maxHelloBytes": target.MaxHelloBytes = Int(v, path, report, target.MaxHelloBytes); break;
                    case "helloTimeoutSeconds": target.HelloTimeoutSeconds = Int(v, path, report, target.HelloTimeoutSeconds); break;
                    case "connectTimeoutSeconds": target.ConnectTimeoutSeconds = Int(v, path, report, target.ConnectTimeoutSeconds); break;
                    case "idleTimeoutSeconds": target.IdleTimeoutSeconds = Int(v, path, report, target.IdleTimeoutSeconds); break;
                    case "drainMilliseconds": target.DrainMilliseconds = Int(v, path, report, target.DrainMilliseconds); break;
                    case "dnsCacheSeconds": target.DnsCacheSeconds = Int(v, path, report, target.DnsCacheSeconds); break;
                    case "routes":
                        if (v.Kind != JsonKind.Array)
                        {
                            report.AddError(path, "must be a list of routes: [ { ... }, ... ]");
                            break;
                        }

                        RouteConfig[] routes = new RouteConfig[v.Count];
                        for (int r = 0; r < v.Count; r++)
                        {
                            routes[r] = ReadRoute(v[r], path + "[" + r.ToString() + "]", report);
                        }

                        target.Routes = routes;
                        break;
                    default: target.UnknownKeys = Keep(target.UnknownKeys, name, v, path, report); break;
                }
            }
        }

        private static RouteConfig ReadRoute(JsonNode node, string path, ValidationReport report)
        {
            RouteConfig route = ConfigDefaults.NewRoute();
            if (!IsObject(node, path, report))
            {
                return route;
            }

            for (int i = 0; i < node.Count; i++)
            {
                string name = node.GetName(i);
                JsonNode v = node[i];
                string at = path + "." + name;
                switch (name)
                {
                    case "name": route.Name = Str(v, at, report, route.Name); break;
                    case "listenAddress": route.ListenAddress = Str(v, at, report, route.ListenAddress); break;
                    case "listenPort": route.ListenPort = Int(v, at, report, route.ListenPort); break;
                    case "upstreamHost": route.UpstreamHost = Str(v, at, report, route.UpstreamHost); break;
                    case "upstreamPort": route.UpstreamPort = Int(v, at, report, route.UpstreamPort); break;
                    case "fallbackHost": route.FallbackHost = Str(v, at, report, route.FallbackHost); break;
                    case "proxyProtocol": route.ProxyProtocol = Bool(v, at, report, route.ProxyProtocol); break;
                    case "allowedSni": route.AllowedSni = StrArray(v, at, report, route.AllowedSni); break;
                    case "upstreamFromSni": route.UpstreamFromSni = Bool(v, at, report, route.UpstreamFromSni); break;
                    case "allowTls": route.AllowTls = Bool(v, at, report, route.AllowTls); break;
                    default: route.UnknownKeys = Keep(route.UnknownKeys, name, v, at, report); break;
                }
            }

            return route;
        }

        private static void ReadTime(JsonNode node, TimeConfig target, ValidationReport report)
        {
            for (int i = 0; i < node.Count; i++)
            {
                string name = node.GetName(i);
                JsonNode v = node[i];
                string path = "time." + name;
                switch (name)
                {
                    case "ntpServers": target.NtpServers = StrArray(v, path, report, target.NtpServers); break;
                    default: target.UnknownKeys = Keep(target.UnknownKeys, name, v, path, report); break;
                }
            }
        }

        private static void ReadPortal(JsonNode node, PortalConfig target, ValidationReport report)
        {
            for (int i = 0; i < node.Count; i++)
            {
                string name = node.GetName(i);
                JsonNode v = node[i];
                string path = "portal." + name;
                switch (name)
                {
                    case "listenAddress": target.ListenAddress = Str(v, path, report, target.ListenAddress); break;
                    case "port": target.Port = Int(v, path, report, target.Port); break;
                    default: target.UnknownKeys = Keep(target.UnknownKeys, name, v, path, report); break;
                }
            }
        }

        private static void ReadNetwork(JsonNode node, NetworkConfig target, ValidationReport report)
        {
            for (int i = 0; i < node.Count; i++)
            {
                string name = node.GetName(i);
                JsonNode v = node[i];
                string path = "network." + name;
                switch (name)
                {
                    case "publicHost": target.PublicHost = Str(v, path, report, target.PublicHost); break;
                    case "portMapping": target.PortMapping = Bool(v, path, report, target.PortMapping); break;
                    case "dynDnsUrl": target.DynDnsUrl = Str(v, path, report, target.DynDnsUrl); break;
                    case "dynDnsUser": target.DynDnsUser = Str(v, path, report, target.DynDnsUser); break;
                    case "dynDnsPassword": target.DynDnsPassword = Str(v, path, report, target.DynDnsPassword); break;
                    case "metricsToken": target.MetricsToken = Str(v, path, report, target.MetricsToken); break;
                    default: target.UnknownKeys = Keep(target.UnknownKeys, name, v, path, report); break;
                }
            }
        }

        private static JsonNode Keep(JsonNode unknown, string name, JsonNode value, string path, ValidationReport report)
        {
            report.AddWarning(path, UnknownKeyMessage);
            if (unknown == null)
            {
                unknown = JsonNode.NewObject();
            }

            unknown.Set(name, value.Clone());
            return unknown;
        }

        private static JsonNode Unknown(JsonNode known, JsonNode unknown)
        {
            if (unknown != null && unknown.Kind == JsonKind.Object)
            {
                JsonNode sorted = unknown.SortedClone();
                for (int i = 0; i < sorted.Count; i++)
                {
                    // A known key never appears twice, even if someone put it in UnknownKeys by hand.
                    known.Add(sorted.GetName(i), sorted[i]);
                }
            }

            return known;
        }

        private static bool IsObject(JsonNode node, string path, ValidationReport report)
        {
            if (node.Kind == JsonKind.Object)
            {
                return true;
            }

            report.AddError(path, "must be a group of settings in braces: { ... }");
            return false;
        }

        private static JsonNode S(string value)
        {
            return JsonNode.FromString(value ?? "");
        }

        private static JsonNode Strings(string[] values)
        {
            JsonNode array = JsonNode.NewArray();
            if (values != null)
            {
                for (int i = 0; i < values.Length; i++)
                {
                    array.AddItem(S(values[i]));
                }
            }

            return array;
        }

        private static string Str(JsonNode node, string path, ValidationReport report, string fallback)
        {
            if (node.Kind == JsonKind.String)
            {
                return node.Text;
            }

            report.AddError(path, "must be text in double quotes");
            return fallback;
        }

        private static bool Bool(JsonNode node, string path, ValidationReport report, bool fallback)
        {
            if (node.Kind == JsonKind.Boolean)
            {
                return node.Text == "true";
            }

            report.AddError(path, "must be true or false (without quotes)");
            return fallback;
        }

        private static string[] StrArray(JsonNode node, string path, ValidationReport report, string[] fallback)
        {
            if (node.Kind != JsonKind.Array)
            {
                report.AddError(path, "must be a list of text values: [\"...\", \"...\"]");
                return fallback;
            }

            string[] values = new string[node.Count];
            for (int i = 0; i < node.Count; i++)
            {
                values[i] = Str(node[i], path + "[" + i.ToString() + "]", report, "");
            }

            return values;
        }

        /// <summary>Reads a whole number; an error (and the fallback) for anything else.</summary>
        public static int Int(JsonNode node, string path, ValidationReport report, int fallback)
        {
            int value;
            if (node.TryGetInt(out value))
            {
                return value;
            }

            report.AddError(path, node.Kind == JsonKind.Number
                ? "must be a whole number between -2147483648 and 2147483647"
                : "must be a whole number (without quotes)");
            return fallback;
        }
    }
}
