using Pigeon.Net;
using Pigeon.Routing;
using Pigeon.Tls;
using Pigeon.Text;

namespace Pigeon.Config
{
    /// <summary>
    /// Checks a whole config and reports every problem at once, each at its field's path with a
    /// reason a volunteer understands. Limits depend on the platform: a board has 16 sockets and
    /// ~100 KB of heap (docs/config.md lists every rule).
    /// </summary>
    public static class ConfigValidator
    {
        /// <summary>ESP32 lwIP: CONFIG_LWIP_MAX_SOCKETS=16 in the stock nanoFramework images.</summary>
        public const int DeviceSockets = 16;

        /// <summary>Sockets the board keeps besides the relay's: the portal listener and the captive DNS (as ConfigDefaults.DeviceMaxSessions counts them).</summary>
        public const int DeviceOtherSockets = 2;

        /// <summary>Bytes of relay buffers the board may hold: a third of its ~100 KB heap.</summary>
        public const int DeviceBufferBudget = 32768;

        /// <summary>Most routes: 8 listening sockets on the board (less the portal's); 64 on a host.</summary>
        public const int DeviceMaxRoutes = 6;

        /// <summary>See <see cref="DeviceMaxRoutes"/>.</summary>
        public const int HostMaxRoutes = 64;

        /// <summary>
        /// Most sessions on a host: 1,000,000. The event-driven pump makes a session object on first
        /// use and holds buffers only while bytes move, so the ceiling is the open-file limit (two
        /// sockets a session), which Pigeon.Host checks at start, not memory set aside up front.
        /// </summary>
        public const int HostMaxSessions = 1000000;

        /// <summary>Longest relay.decoyPage (characters): a plain page, not a site.</summary>
        public const int MaxDecoyPageLength = 16384;

        /// <summary>
        /// Why a board refuses terminateTls (docs/device.md, "TLS on a board"): the reasons read from
        /// nanoFramework's source at the pinned firmware.
        /// </summary>
        public const string BoardTlsRefusal = "is not available on a board: its TLS handshake blocks the whole relay (and its watchdog) while a client is slow, "
            + "and each TLS session needs tens of KB the board does not have. Use chat port 5222 with TLS off in the app, "
            + "or run Pigeon on a server for TLS on 443";

        /// <summary>Longest free-text value (names, URLs, user names).</summary>
        public const int MaxTextLength = 253;

        /// <summary>Most entries in an SNI allow-list or the NTP server list.</summary>
        public const int MaxListEntries = 16;

        /// <summary>
        /// Most ports of one kind (chat or media) the setup page sets at once: with one of each
        /// kind there is a link to share, and the board's listening sockets are shared by both.
        /// </summary>
        public const int MaxPortsPerKind = 4;

        /// <summary>
        /// The setup page's port lists (relay.chatPorts, relay.mediaPorts: each becomes that many
        /// routes of its kind): a list of 1 to <see cref="MaxPortsPerKind"/> entries. False with
        /// the error at <paramref name="path"/>. (Each port's own rules are the routes'.)
        /// </summary>
        public static bool PortList(bool isList, int count, string path, ValidationReport report)
        {
            if (isList && count >= 1 && count <= MaxPortsPerKind)
            {
                return true;
            }

            report.AddError(path, "must be a list of 1 to " + MaxPortsPerKind.ToString() + " port numbers");
            return false;
        }

        /// <summary>Validates <paramref name="config"/>; adds every problem to <paramref name="report"/>.</summary>
        public static void Validate(PigeonConfig config, bool device, ValidationReport report)
        {
            if (config == null)
            {
                report.AddError(ValidationReport.DocumentPath, "There is no config.");
                return;
            }

            if (config.SchemaVersion != ConfigDefaults.SchemaVersion)
            {
                report.AddError("schemaVersion", "must be " + ConfigDefaults.SchemaVersion.ToString() + " (older documents are migrated when read)");
            }

            ValidateWifi(config.Wifi, report);
            ValidateSetupAp(config.SetupAp, report);
            ValidateAdmin(config.Admin, report);
            ValidateRelay(config.Relay, device, report);
            ValidateTime(config.Time, report);
            ValidatePortal(config, report);
            ValidateNetwork(config.Network, report);
            ValidateCertificate(config, device, report);
        }

        private static void ValidateWifi(WifiConfig wifi, ValidationReport report)
        {
            if (Missing(wifi, "wifi", report))
            {
                return;
            }

            Ssid(wifi.Ssid, "wifi.ssid", true, report);
            Passphrase(wifi.Password, "wifi.password", report);
            if (Empty(wifi.Ssid) && !Empty(wifi.Password))
            {
                report.AddWarning("wifi.password", "is set but wifi.ssid is empty, so it is not used");
            }

            bool anyStatic = !Empty(wifi.StaticAddress) || !Empty(wifi.StaticNetmask) || !Empty(wifi.StaticGateway) || !Empty(wifi.StaticDns);
            if (!anyStatic)
            {
                return;
            }

            if (Empty(wifi.StaticAddress))
            {
                report.AddError("wifi.staticAddress", "is needed when a static netmask, gateway or DNS is set (or leave all four empty for automatic addressing)");
            }
            else
            {
                Address(wifi.StaticAddress, "wifi.staticAddress", false, report);
            }

            if (Empty(wifi.StaticNetmask))
            {
                report.AddError("wifi.staticNetmask", "is needed with a static address, e.g. 255.255.255.0");
            }
            else
            {
                uint mask;
                if (!IPv4.TryParse(wifi.StaticNetmask, out mask) || !IsContiguousMask(mask))
                {
                    report.AddError("wifi.staticNetmask", "must be a netmask like 255.255.255.0");
                }
            }

            if (!Empty(wifi.StaticGateway))
            {
                Address(wifi.StaticGateway, "wifi.staticGateway", false, report);
            }

            if (!Empty(wifi.StaticDns))
            {
                Address(wifi.StaticDns, "wifi.staticDns", false, report);
            }
        }

        private static void ValidateSetupAp(SetupApConfig ap, ValidationReport report)
        {
            if (Missing(ap, "setupAp", report))
            {
                return;
            }

            Ssid(ap.Ssid, "setupAp.ssid", true, report);
            Passphrase(ap.Password, "setupAp.password", report);
            // 2.4 GHz channels 1-13 (ETSI); 12 and 13 are not allowed in North America.
            if (ap.Channel < 1 || ap.Channel > 13)
            {
                report.AddError("setupAp.channel", "must be a Wi-Fi channel from 1 to 13");
            }
        }

        private static void ValidateAdmin(AdminConfig admin, ValidationReport report)
        {
            if (Missing(admin, "admin", report))
            {
                return;
            }

            bool hasHash = !Empty(admin.PasswordHash);
            bool hasSalt = !Empty(admin.PasswordSalt);
            if (hasHash != hasSalt)
            {
                report.AddError(hasHash ? "admin.passwordSalt" : "admin.passwordHash",
                    "the admin password is half set; set it again in the portal, or clear both passwordHash and passwordSalt");
                return;
            }

            if (hasHash && !AdminPassword.IsWellFormed(admin))
            {
                report.AddError("admin.passwordHash", "is not a password hash Pigeon made (expected \"pbkdf2-sha256$<iterations>$<base64>\" and a base64 salt); set the password again in the portal");
            }
        }

        /// <summary>
        /// Validates the relay section alone (what <see cref="Pigeon.Relay.RelayServer"/> checks
        /// before it runs one, so the relay keeps no floors or ceilings of its own).
        /// </summary>
        public static void ValidateRelay(RelayConfig relay, bool device, ValidationReport report)
        {
            if (Missing(relay, "relay", report))
            {
                return;
            }

            int maxSessions = device ? (DeviceSockets - DeviceOtherSockets - 1) / 2 : HostMaxSessions;
            Range(relay.MaxSessions, 1, maxSessions, "relay.maxSessions", device ? "the board's sockets" : null, report);
            Range(relay.BufferBytes, 512, device ? 8192 : 1048576, "relay.bufferBytes", device ? "the board's memory" : null, report);
            Range(relay.MaxHelloBytes, 512, device ? 8192 : ClientHelloReader.DefaultMaxHelloBytes, "relay.maxHelloBytes", null, report);
            Range(relay.HelloTimeoutSeconds, 1, 120, "relay.helloTimeoutSeconds", null, report);
            Range(relay.ConnectTimeoutSeconds, 1, 60, "relay.connectTimeoutSeconds", null, report);
            Range(relay.IdleTimeoutSeconds, 10, 86400, "relay.idleTimeoutSeconds", null, report);
            Range(relay.DrainMilliseconds, 0, 60000, "relay.drainMilliseconds", null, report);
            Range(relay.DnsCacheSeconds, 0, 86400, "relay.dnsCacheSeconds", null, report);
            Range(relay.MaxSessionsPerClient, 0, maxSessions, "relay.maxSessionsPerClient", null, report);
            Range(relay.EvictIdleSeconds, 0, 86400, "relay.evictIdleSeconds", null, report);
            if (relay.DecoyPage != null && relay.DecoyPage.Length > MaxDecoyPageLength)
            {
                report.AddError("relay.decoyPage", "is " + relay.DecoyPage.Length.ToString() + " characters; at most " + MaxDecoyPageLength.ToString());
            }

            bool certificate = !Empty(relay.TlsCertificateFile);
            if (certificate != !Empty(relay.TlsKeyFile))
            {
                report.AddError(certificate ? "relay.tlsKeyFile" : "relay.tlsCertificateFile", "must be set together with " + (certificate ? "relay.tlsCertificateFile" : "relay.tlsKeyFile") + " (both PEM files, or neither: then Pigeon makes its own)");
            }

            RouteConfig[] routes = relay.Routes;
            if (routes == null)
            {
                report.AddError("relay.routes", "must be a list of routes (it may be empty: [])");
                return;
            }

            if (device)
            {
                // Two buffers per slot, all allocated at start.
                long bytes = (long)relay.MaxSessions * 2 * relay.BufferBytes;
                if (relay.MaxSessions > 0 && relay.BufferBytes > 0 && bytes > DeviceBufferBudget)
                {
                    report.AddError("relay.bufferBytes", "maxSessions x 2 x bufferBytes = " + bytes.ToString() + " bytes, more than the "
                        + DeviceBufferBudget.ToString() + " bytes the board can spare; lower one of them");
                }

                int sockets = (relay.MaxSessions * 2) + routes.Length + DeviceOtherSockets;
                if (relay.MaxSessions > 0 && sockets > DeviceSockets)
                {
                    report.AddError("relay.maxSessions", "with " + routes.Length.ToString() + " routes the relay needs " + sockets.ToString()
                        + " sockets; the board has " + DeviceSockets.ToString() + ". Lower maxSessions or remove a route");
                }
            }

            int maxRoutes = device ? DeviceMaxRoutes : HostMaxRoutes;
            if (routes.Length > maxRoutes)
            {
                report.AddError("relay.routes", "has " + routes.Length.ToString() + " routes; at most " + maxRoutes.ToString() + " fit on this " + (device ? "board" : "host"));
            }

            if (routes.Length == 0)
            {
                report.AddWarning("relay.routes", "is empty: the relay will not listen on any port");
            }

            for (int i = 0; i < routes.Length; i++)
            {
                ValidateRoute(routes, i, device, report);
            }
        }

        private static void ValidateRoute(RouteConfig[] routes, int index, bool device, ValidationReport report)
        {
            string path = "relay.routes[" + index.ToString() + "]";
            RouteConfig route = routes[index];
            if (route == null)
            {
                report.AddError(path, "is empty");
                return;
            }

            if (Empty(route.Name))
            {
                report.AddError(path + ".name", "must not be empty (it names the route in the status page and the logs)");
            }
            else
            {
                Text(route.Name, path + ".name", 32, report);
                for (int j = 0; j < index; j++)
                {
                    if (routes[j] != null && routes[j].Name == route.Name)
                    {
                        report.AddError(path + ".name", "\"" + route.Name + "\" is already the name of relay.routes[" + j.ToString() + "]; names must differ");
                        break;
                    }
                }
            }

            ValidateRoute(route, path, report);
            if (device && route.TerminateTls)
            {
                report.AddError(path + ".terminateTls", BoardTlsRefusal);
            }

            NetAddress listen;
            if (device && NetAddress.TryParse(route.ListenAddress, out listen) && !listen.IsIPv4)
            {
                report.AddError(path + ".listenAddress", "must be an IPv4 address on a board (its firmware has IPv6 off)");
            }

            for (int j = 0; j < index && route.ListenPort >= 1 && route.ListenPort <= 65535; j++)
            {
                if (routes[j] != null && routes[j].ListenPort == route.ListenPort)
                {
                    report.AddError(path + ".listenPort", "port " + route.ListenPort.ToString() + " is already used by relay.routes[" + j.ToString() + "] (\"" + routes[j].Name + "\"); each route needs its own port");
                    break;
                }
            }
        }

        /// <summary>
        /// The rules of one route on its own (not its name, nor what it shares with the others),
        /// each problem at <paramref name="path"/> + ".field": what a route needs to run at all,
        /// so <see cref="Pigeon.Routing.Route.Build"/> asks here too.
        /// </summary>
        public static void ValidateRoute(RouteConfig route, string path, ValidationReport report)
        {
            NetAddress listen;
            if (route.ListenAddress == null || !NetAddress.TryParse(route.ListenAddress, out listen))
            {
                report.AddError(path + ".listenAddress", "must be an address like 0.0.0.0 (every interface: IPv4, and IPv6 too where the host has it), 192.168.1.20 or ::1");
            }

            ProxySources(route, path, report);
            Port(route.ListenPort, path + ".listenPort", report);
            Port(route.UpstreamPort, path + ".upstreamPort", report);
            string[] sni = route.AllowedSni;
            int sniCount = sni == null ? 0 : sni.Length;
            if (route.UpstreamFromSni)
            {
                if (sniCount == 0)
                {
                    report.AddError(path + ".upstreamFromSni", "needs an allowedSni list; without one the relay would connect anywhere a client asks (an open proxy)");
                }

                if (!Empty(route.UpstreamHost))
                {
                    report.AddWarning(path + ".upstreamHost", "is not used: upstreamFromSni connects to the name the client asks for");
                }
            }
            else if (Empty(route.UpstreamHost))
            {
                report.AddError(path + ".upstreamHost", "must name where to relay to (a host name like g.whatsapp.net or an IPv4 address)");
            }
            else
            {
                Host(route.UpstreamHost, path + ".upstreamHost", report);
            }

            if (!Empty(route.FallbackHost))
            {
                Host(route.FallbackHost, path + ".fallbackHost", report);
            }

            Patterns(sni, path + ".allowedSni", route.UpstreamFromSni, report);
            Patterns(route.SignalSni, path + ".signalSni", true, report);
            int signalCount = route.SignalSni == null ? 0 : route.SignalSni.Length;
            if (signalCount > 0 && !route.TerminateTls)
            {
                report.AddError(path + ".signalSni", "needs terminateTls: Signal's app sends its ClientHello inside the TLS the route takes off");
            }

            if (signalCount > 0)
            {
                Port(route.SignalPort, path + ".signalPort", report);
            }

            if (route.AllowTls && sniCount > 0)
            {
                report.AddWarning(path + ".allowTls", "only matters on plain routes; this route reads TLS through its allowedSni list anyway");
            }

            if (route.ProxyProtocol && route.ProxyProtocolVersion != 1 && route.ProxyProtocolVersion != 2)
            {
                report.AddError(path + ".proxyProtocol", "must be true, false, \"v1\" or \"v2\"");
            }

            if (route.TerminateTls && (sniCount > 0 || route.UpstreamFromSni || route.AllowTls))
            {
                report.AddError(path + ".terminateTls", "a route that takes the app's TLS off is a chat route: remove "
                    + (sniCount > 0 ? "allowedSni" : route.UpstreamFromSni ? "upstreamFromSni" : "allowTls") + " (media routes pass TLS through untouched)");
            }

            if (route.ChatOpeningCheck && sniCount > 0)
            {
                report.AddWarning(path + ".chatOpeningCheck", "only applies to chat routes; this route reads a ClientHello");
            }
        }

        // A list of host patterns (an allow-list): each a host name or a wildcard for its
        // subdomains; one that reaches more than a domain is an error where the relay dials the
        // name itself (upstreamFromSni, Signal), else a warning.
        private static void Patterns(string[] list, string path, bool dials, ValidationReport report)
        {
            if (list == null)
            {
                report.AddError(path, "must be a list (it may be empty: [])");
                return;
            }

            if (list.Length > MaxListEntries)
            {
                report.AddError(path, "has " + list.Length.ToString() + " names; at most " + MaxListEntries.ToString());
            }

            for (int k = 0; k < list.Length; k++)
            {
                string at = path + "[" + k.ToString() + "]";
                bool valid = HostPattern.Parse(list[k]) != null;
                string tooWide = valid ? TooWide(list[k]) : null;
                if (!valid)
                {
                    report.AddError(at, "must be a host name (whatsapp.net) or a wildcard for its subdomains (*.whatsapp.net)");
                }
                else if (tooWide != null && dials)
                {
                    report.AddError(at, tooWide + "; the relay would connect to whatever such name a client asks for");
                }
                else if (tooWide != null)
                {
                    report.AddWarning(at, tooWide + "; the route lets every such name through");
                }
            }
        }

        // An allow-list entry that reaches more than a domain: one whose last label could be read
        // as an address (HostName.IsAddressLike, the rule the relay dials by: SNI never holds an
        // address, RFC 6066 section 3, and no top-level domain is all digits, RFC 3696 section 2),
        // or one with a single label: a whole top-level domain (*.net) or a name on the local
        // network (localhost). Null when the pattern names a domain.
        private static string TooWide(string pattern)
        {
            string name = pattern.StartsWith("*.") ? pattern.Substring(2) : pattern;
            if (HostName.IsAddressLike(Ascii.GetBytes(name), 0, name.Length))
            {
                return "can match an IP address (its last label does not start with a letter), which a TLS server name never is (RFC 6066); name a domain, like *.whatsapp.net";
            }

            if (name.IndexOf('.') < 0)
            {
                return (name.Length == pattern.Length ? "is a single-label name, which can name a machine on the local network" : "covers a whole top-level domain")
                    + "; name a domain, like *.whatsapp.net";
            }

            return null;
        }

        private static void ValidateTime(TimeConfig time, ValidationReport report)
        {
            if (Missing(time, "time", report))
            {
                return;
            }

            string[] servers = time.NtpServers;
            if (servers == null || servers.Length == 0)
            {
                report.AddWarning("time.ntpServers", "is empty: the board's clock will not be set (logs and certificates need it)");
                return;
            }

            if (servers.Length > MaxListEntries)
            {
                report.AddError("time.ntpServers", "has " + servers.Length.ToString() + " servers; at most " + MaxListEntries.ToString());
            }

            for (int i = 0; i < servers.Length; i++)
            {
                Host(servers[i], "time.ntpServers[" + i.ToString() + "]", report);
            }
        }

        private static void ValidatePortal(PigeonConfig config, ValidationReport report)
        {
            PortalConfig portal = config.Portal;
            if (Missing(portal, "portal", report))
            {
                return;
            }

            Address(portal.ListenAddress, "portal.listenAddress", true, report);
            if (!Port(portal.Port, "portal.port", report) || config.Relay == null || config.Relay.Routes == null)
            {
                return;
            }

            RouteConfig[] routes = config.Relay.Routes;
            for (int i = 0; i < routes.Length; i++)
            {
                if (routes[i] != null && routes[i].ListenPort == portal.Port)
                {
                    report.AddError("portal.port", "port " + portal.Port.ToString() + " is already used by relay.routes[" + i.ToString() + "] (\"" + routes[i].Name + "\"); the portal needs a port of its own");
                    break;
                }
            }
        }

        // relay.httpPort and the ACME fields (host only; docs/server.md, "The certificate").
        private static void ValidateCertificate(PigeonConfig config, bool device, ValidationReport report)
        {
            RelayConfig relay = config.Relay;
            if (relay == null)
            {
                return;
            }

            if (relay.HttpPort != 0 && (device || Port(relay.HttpPort, "relay.httpPort", report)))
            {
                if (device)
                {
                    report.AddError("relay.httpPort", "is for a server (the board's portal answers on port 80); leave it 0");
                }
                else if (config.Portal != null && config.Portal.Port == relay.HttpPort)
                {
                    report.AddError("relay.httpPort", "port " + relay.HttpPort.ToString() + " is the portal's; the web site needs a port of its own");
                }
                else
                {
                    for (int i = 0; relay.Routes != null && i < relay.Routes.Length; i++)
                    {
                        if (relay.Routes[i] != null && relay.Routes[i].ListenPort == relay.HttpPort)
                        {
                            report.AddError("relay.httpPort", "port " + relay.HttpPort.ToString() + " is already used by relay.routes[" + i.ToString() + "] (\"" + relay.Routes[i].Name + "\")");
                            break;
                        }
                    }
                }
            }

            string challenge = relay.AcmeChallenge;
            if (challenge != null && challenge.Length > 0 && challenge != "http-01" && challenge != "tls-alpn-01")
            {
                report.AddError("relay.acmeChallenge", "must be \"http-01\", \"tls-alpn-01\" or empty (whichever the relay can answer)");
            }

            string url = relay.AcmeDirectoryUrl;
            if (!Empty(url) && Text(url, "relay.acmeDirectoryUrl", MaxTextLength, report) && !url.StartsWith("https://"))
            {
                report.AddError("relay.acmeDirectoryUrl", "must be an https:// address (empty = Let's Encrypt)");
            }

            string email = relay.AcmeEmail;
            if (!Empty(email) && Text(email, "relay.acmeEmail", MaxTextLength, report) && (email.IndexOf('@') < 1 || email.IndexOf(' ') >= 0))
            {
                report.AddError("relay.acmeEmail", "must be an e-mail address (or empty)");
            }

            if (!relay.Acme)
            {
                return;
            }

            if (device)
            {
                report.AddError("relay.acme", BoardTlsRefusal);
                return;
            }

            if (!Empty(relay.TlsCertificateFile))
            {
                report.AddError("relay.acme", "and relay.tlsCertificateFile both give the certificate; choose one (clear the files, or set acme to false)");
            }

            string host = config.Network == null ? null : config.Network.PublicHost;
            uint ignored;
            if (Empty(host) || IPv4.TryParse(host, out ignored))
            {
                report.AddError("relay.acme", "needs network.publicHost: the relay's public DNS name (the one dynamic DNS keeps up to date), which the certificate is for");
            }

            bool terminates = false;
            for (int i = 0; relay.Routes != null && i < relay.Routes.Length; i++)
            {
                terminates = terminates || (relay.Routes[i] != null && relay.Routes[i].TerminateTls);
            }

            if (!terminates)
            {
                report.AddWarning("relay.acme", "no route terminates TLS (terminateTls), so the certificate would be presented nowhere");
            }

            if (challenge == "http-01" && relay.HttpPort == 0)
            {
                report.AddError("relay.acmeChallenge", "http-01 is answered on relay.httpPort, which is 0; set it to 80 (the port the CA connects to)");
            }
            else if (challenge == "tls-alpn-01" && !terminates)
            {
                report.AddError("relay.acmeChallenge", "tls-alpn-01 is answered on a route that terminates TLS (port 443), and there is none");
            }
            else if (Empty(challenge) && relay.HttpPort == 0 && !terminates)
            {
                report.AddError("relay.acme", "has no way to answer the CA: set relay.httpPort to 80, or terminate TLS on a route on 443");
            }
        }

        private static void ValidateNetwork(NetworkConfig network, ValidationReport report)
        {
            if (Missing(network, "network", report))
            {
                return;
            }

            if (!Empty(network.PublicHost))
            {
                Host(network.PublicHost, "network.publicHost", report);
            }

            if (!Empty(network.DynDnsUrl))
            {
                string url = network.DynDnsUrl;
                if (!Text(url, "network.dynDnsUrl", MaxTextLength, report))
                {
                    return;
                }

                if (url.StartsWith("http://"))
                {
                    report.AddWarning("network.dynDnsUrl", "uses http://, so the dynamic DNS password crosses the network unencrypted; use https:// if the service offers it");
                }
                else if (!url.StartsWith("https://"))
                {
                    report.AddError("network.dynDnsUrl", "must be a web address starting with https:// (or http://)");
                }
            }

            Text(network.DynDnsUser, "network.dynDnsUser", MaxTextLength, report);
            Secret(network.DynDnsPassword, "network.dynDnsPassword", report);
            Secret(network.MetricsToken, "network.metricsToken", report);
            if (network.MetricsToken != null && network.MetricsToken.Length > 0 && network.MetricsToken.Length < 16)
            {
                report.AddError("network.metricsToken", "must be at least 16 characters (or empty: /metrics only with the admin session)");
            }
        }

        private static bool Missing(object section, string path, ValidationReport report)
        {
            if (section == null)
            {
                report.AddError(path, "is missing");
                return true;
            }

            return false;
        }

        private static void Ssid(string ssid, string path, bool mayBeEmpty, ValidationReport report)
        {
            if (ssid == null)
            {
                report.AddError(path, "must be text");
                return;
            }

            // IEEE 802.11: an SSID is 0-32 octets; Pigeon stores it as UTF-8.
            int bytes = Utf8.ByteCount(ssid);
            if (bytes == 0 && mayBeEmpty)
            {
                return;
            }

            if (bytes > 32)
            {
                report.AddError(path, "is " + bytes.ToString() + " bytes long; a Wi-Fi name can be at most 32 bytes (letters outside A-Z count as 2-4)");
            }

            if (HasControl(ssid))
            {
                report.AddError(path, "must not contain control characters");
            }
        }

        private static void Passphrase(string password, string path, ValidationReport report)
        {
            if (password == null)
            {
                report.AddError(path, "must be text");
                return;
            }

            if (password.Length == 0)
            {
                return; // open network
            }

            // IEEE 802.11i (WPA2-PSK): a passphrase is 8-63 printable ASCII characters (32-126).
            // The value is a secret: the message never repeats it.
            if (password.Length < 8 || password.Length > 63)
            {
                report.AddError(path, "must be 8 to 63 characters long (it has " + password.Length.ToString() + "), or empty for an open network");
            }

            for (int i = 0; i < password.Length; i++)
            {
                if (password[i] < ' ' || password[i] > '~')
                {
                    report.AddError(path, "may only use plain keyboard characters (letters A-Z, digits, punctuation and space); WPA2 does not allow others");
                    break;
                }
            }
        }

        // A secret is never echoed in a message; like other text it may not hold control characters.
        private static void Secret(string value, string path, ValidationReport report)
        {
            if (value == null)
            {
                report.AddError(path, "must be text");
            }
            else if (value.Length > MaxTextLength)
            {
                report.AddError(path, "is too long (at most " + MaxTextLength.ToString() + " characters)");
            }
            else if (HasControl(value))
            {
                report.AddError(path, "must not contain control characters");
            }
        }

        private static bool Text(string value, string path, int maxLength, ValidationReport report)
        {
            if (value == null)
            {
                report.AddError(path, "must be text");
                return false;
            }

            if (value.Length > maxLength)
            {
                report.AddError(path, "is " + value.Length.ToString() + " characters long; at most " + maxLength.ToString());
                return false;
            }

            if (HasControl(value))
            {
                report.AddError(path, "must not contain control characters");
                return false;
            }

            return true;
        }

        private static void Address(string text, string path, bool allowAny, ValidationReport report)
        {
            uint address;
            if (text == null || !IPv4.TryParse(text, out address))
            {
                report.AddError(path, "must be an IPv4 address like 192.168.1.20" + (allowAny ? " (0.0.0.0 = every interface)" : string.Empty));
                return;
            }

            if (!allowAny && address == IPv4.Any)
            {
                report.AddError(path, "must be a real address, not 0.0.0.0");
            }
        }

        // acceptProxy trusts the header's client address, so who may send one must be named.
        private static void ProxySources(RouteConfig route, string path, ValidationReport report)
        {
            string[] sources = route.AcceptProxyFrom;
            int count = sources == null ? 0 : sources.Length;
            if (route.AcceptProxy && count == 0)
            {
                report.AddError(path + ".acceptProxyFrom", "must name the load balancers allowed to send a PROXY header (addresses or CIDR ranges like 10.0.0.5 or 10.0.0.0/24): a header names the client, so from anyone else it would let them pose as any client");
            }
            else if (!route.AcceptProxy && count > 0)
            {
                report.AddWarning(path + ".acceptProxyFrom", "is not used without acceptProxy");
            }

            if (count > MaxListEntries)
            {
                report.AddError(path + ".acceptProxyFrom", "has " + count.ToString() + " entries; at most " + MaxListEntries.ToString());
                return;
            }

            for (int i = 0; i < count; i++)
            {
                NetAddress network;
                int bits;
                if (!NetAddress.TryParseRange(sources[i], out network, out bits))
                {
                    report.AddError(path + ".acceptProxyFrom[" + i.ToString() + "]", "must be an address or a CIDR range, like 10.0.0.5, 10.0.0.0/24 or 2001:db8::/48");
                }
            }
        }

        private static void Host(string text, string path, ValidationReport report)
        {
            if (!HostName.IsHostOrIPv4(text))
            {
                report.AddError(path, "must be a host name (letters, digits, hyphens and dots, like pool.ntp.org) or an IPv4 address");
            }
        }

        private static bool Port(int port, string path, ValidationReport report)
        {
            if (port < 1 || port > 65535)
            {
                report.AddError(path, "must be a port number from 1 to 65535");
                return false;
            }

            return true;
        }

        private static void Range(int value, int min, int max, string path, string limitedBy, ValidationReport report)
        {
            if (value < min || value > max)
            {
                report.AddError(path, "must be from " + min.ToString() + " to " + max.ToString()
                    + (limitedBy == null ? string.Empty : " (limited by " + limitedBy + ")") + "; it is " + value.ToString());
            }
        }

        private static bool HasControl(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] < ' ' || text[i] == (char)0x7F)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Empty(string text)
        {
            return text == null || text.Length == 0;
        }

        // A netmask is ones then zeros (255.255.255.0 = /24); 0.0.0.0 and 255.255.255.255 are not usable.
        private static bool IsContiguousMask(uint mask)
        {
            if (mask == 0 || mask == 0xFFFFFFFF)
            {
                return false;
            }

            uint inverted = ~mask;
            return (inverted & (inverted + 1)) == 0;
        }
    }
}
