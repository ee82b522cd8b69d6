// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;
using Pigeon.Tests.Support;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Config
{
    [TestClass]
    public class ConfigValidatorTests
    {
        [TestMethod]
        [DataRow(true, 1, true)]
        [DataRow(true, 4, true)]
        [DataRow(true, 0, false)]
        [DataRow(true, 5, false)]
        [DataRow(false, 2, false)]
        public void PortList_OneToFourOfAKind(bool isList, int count, bool valid)
        {
            ValidationReport report = new ValidationReport();
            Assert.AreEqual(valid, ConfigValidator.PortList(isList, count, "relay.chatPorts", report));
            Assert.AreEqual(valid ? 0 : 1, report.ErrorCount);
            Assert.AreEqual(valid, !report.HasErrorAt("relay.chatPorts"));
        }

        [TestMethod]
        [DataRow(true)]
        [DataRow(false)]
        public void Validate_Defaults_NoError(bool device)
        {
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(ConfigDefaults.Create(device), device, report);
            Assert.AreEqual(0, report.ErrorCount, ConfigText.Describe(report));
        }

        [TestMethod]
        [DataRow(true)]
        [DataRow(false)]
        public void Validate_FullGolden_NoError(bool device)
        {
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read(ConfigFixtures.Full, device, report);
            ConfigValidator.Validate(c, device, report);
            Assert.AreEqual(0, report.ErrorCount, ConfigText.Describe(report));
        }

        // Boundaries: the value just inside each limit passes, just outside fails, at the path.
        [TestMethod]
        [DataRow("relay.maxSessions", 0, false, false)]
        [DataRow("relay.maxSessions", 1, false, true)]
        [DataRow("relay.maxSessions", 1000000, false, true)]
        [DataRow("relay.maxSessions", 1000001, false, false)]
        [DataRow("relay.maxSessions", 5, true, true)]
        [DataRow("relay.maxSessions", 6, true, true)]
        [DataRow("relay.maxSessions", 7, true, false)]
        [DataRow("relay.bufferBytes", 511, false, false)]
        [DataRow("relay.bufferBytes", 512, false, true)]
        [DataRow("relay.bufferBytes", 1048576, false, true)]
        [DataRow("relay.bufferBytes", 1048577, false, false)]
        [DataRow("relay.bufferBytes", 3276, true, true)]
        [DataRow("relay.bufferBytes", 3277, true, false)]
        [DataRow("relay.maxHelloBytes", 511, false, false)]
        [DataRow("relay.maxHelloBytes", 512, false, true)]
        [DataRow("relay.maxHelloBytes", 65536, false, true)]
        [DataRow("relay.maxHelloBytes", 65537, false, false)]
        [DataRow("relay.maxHelloBytes", 8192, true, true)]
        [DataRow("relay.maxHelloBytes", 8193, true, false)]
        [DataRow("relay.helloTimeoutSeconds", 0, false, false)]
        [DataRow("relay.helloTimeoutSeconds", 1, false, true)]
        [DataRow("relay.helloTimeoutSeconds", 120, false, true)]
        [DataRow("relay.helloTimeoutSeconds", 121, false, false)]
        [DataRow("relay.connectTimeoutSeconds", 0, false, false)]
        [DataRow("relay.connectTimeoutSeconds", 60, false, true)]
        [DataRow("relay.connectTimeoutSeconds", 61, false, false)]
        [DataRow("relay.idleTimeoutSeconds", 9, false, false)]
        [DataRow("relay.idleTimeoutSeconds", 10, false, true)]
        [DataRow("relay.idleTimeoutSeconds", 86400, false, true)]
        [DataRow("relay.idleTimeoutSeconds", 86401, false, false)]
        [DataRow("relay.drainMilliseconds", -1, false, false)]
        [DataRow("relay.drainMilliseconds", 0, false, true)]
        [DataRow("relay.drainMilliseconds", 60000, false, true)]
        [DataRow("relay.drainMilliseconds", 60001, false, false)]
        [DataRow("relay.dnsCacheSeconds", -1, false, false)]
        [DataRow("relay.dnsCacheSeconds", 86400, false, true)]
        [DataRow("relay.dnsCacheSeconds", 86401, false, false)]
        [DataRow("relay.maxSessionsPerClient", -1, false, false)]
        [DataRow("relay.maxSessionsPerClient", 0, false, true)]
        [DataRow("relay.maxSessionsPerClient", 1000000, false, true)]
        [DataRow("relay.maxSessionsPerClient", 1000001, false, false)]
        [DataRow("relay.evictIdleSeconds", -1, false, false)]
        [DataRow("relay.evictIdleSeconds", 0, false, true)]
        [DataRow("relay.evictIdleSeconds", 86400, false, true)]
        [DataRow("relay.evictIdleSeconds", 86401, false, false)]
        [DataRow("setupAp.channel", 0, false, false)]
        [DataRow("setupAp.channel", 1, false, true)]
        [DataRow("setupAp.channel", 13, false, true)]
        [DataRow("setupAp.channel", 14, false, false)]
        [DataRow("portal.port", 0, false, false)]
        [DataRow("portal.port", 1, false, true)]
        [DataRow("portal.port", 65535, false, true)]
        [DataRow("portal.port", 65536, false, false)]
        [DataRow("relay.routes[0].listenPort", 0, false, false)]
        [DataRow("relay.routes[0].listenPort", 1, false, true)]
        [DataRow("relay.routes[0].listenPort", 65535, false, true)]
        [DataRow("relay.routes[0].listenPort", 65536, false, false)]
        [DataRow("relay.routes[0].upstreamPort", 0, false, false)]
        [DataRow("relay.routes[0].upstreamPort", 65535, false, true)]
        [DataRow("relay.routes[0].upstreamPort", 65536, false, false)]
        public void Validate_NumberBoundary_ErrorOnlyOutside(string path, int value, bool device, bool valid)
        {
            PigeonConfig c = ConfigDefaults.Create(device);
            if (device && path == "relay.bufferBytes")
            {
                // 5 sessions x 2 x bytes within the board's 32 KB budget: 3276 fits, 3277 does not.
                c.Relay.BufferBytes = value;
            }

            SetNumber(c, path, value);
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, device, report);
            Assert.AreEqual(!valid, report.HasErrorAt(path), path + "=" + value.ToString() + "\n" + ConfigText.Describe(report));
            if (valid)
            {
                Assert.AreEqual(0, report.ErrorCount, ConfigText.Describe(report));
            }
        }

        [TestMethod]
        [DataRow("", true)]
        [DataRow("a", true)]
        [DataRow("12345678901234567890123456789012", true)]
        [DataRow("123456789012345678901234567890123", false)]
        [DataRow("ééééééééééééééé01", true)]
        [DataRow("éééééééééééééééé1", false)]
        [DataRow("tab\there", false)]
        public void Validate_WifiSsid_Utf8BytesCounted(string ssid, bool valid)
        {
            PigeonConfig c = ConfigDefaults.Create(true);
            c.Wifi.Ssid = ssid;
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, true, report);
            Assert.AreEqual(!valid, report.HasErrorAt("wifi.ssid"), ConfigText.Describe(report));
        }

        [TestMethod]
        [DataRow("", true)]
        [DataRow("1234567", false)]
        [DataRow("12345678", true)]
        [DataRow("123456789012345678901234567890123456789012345678901234567890123", true)]
        [DataRow("1234567890123456789012345678901234567890123456789012345678901234", false)]
        [DataRow("pass\u00e9word", false)]
        [DataRow("pass\nword", false)]
        public void Validate_Wpa2Passphrase_8To63PrintableAscii(string password, bool valid)
        {
            PigeonConfig c = ConfigDefaults.Create(true);
            c.Wifi.Ssid = "home";
            c.Wifi.Password = password;
            c.SetupAp.Password = password;
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, true, report);
            Assert.AreEqual(!valid, report.HasErrorAt("wifi.password"), ConfigText.Describe(report));
            Assert.AreEqual(!valid, report.HasErrorAt("setupAp.password"));
        }

        [TestMethod]
        public void Validate_PasswordError_NeverEchoesThePassword()
        {
            PigeonConfig c = ConfigDefaults.Create(true);
            c.Wifi.Ssid = "home";
            c.Wifi.Password = "short12";
            c.Network.DynDnsPassword = "";
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, true, report);
            Assert.IsTrue(report.HasErrorAt("wifi.password"));
            for (int i = 0; i < report.ErrorCount; i++)
            {
                Assert.AreEqual(-1, report.GetError(i).Message.IndexOf("short12"));
            }
        }

        [TestMethod]
        public void Validate_DuplicateRoutePort_ErrorAtLaterRoute()
        {
            PigeonConfig c = ConfigDefaults.Create(false);
            c.Relay.Routes[2].ListenPort = 443;
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, false, report);
            Assert.IsTrue(report.HasErrorAt("relay.routes[2].listenPort"), ConfigText.Describe(report));
            Assert.IsFalse(report.HasErrorAt("relay.routes[0].listenPort"));
            Assert.IsTrue(report.GetError(0).Message.IndexOf("relay.routes[0]") > 0);
        }

        [TestMethod]
        public void Validate_PortalPortUsedByRoute_Error()
        {
            PigeonConfig c = ConfigDefaults.Create(false);
            c.Portal.Port = 5222;
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, false, report);
            Assert.IsTrue(report.HasErrorAt("portal.port"), ConfigText.Describe(report));
        }

        [TestMethod]
        [DataRow("g.whatsapp.net", true)]
        [DataRow("10.0.0.1", true)]
        [DataRow("", false)]
        [DataRow("bad host", false)]
        [DataRow("a..b", false)]
        [DataRow("trailing.dot.", false)]
        public void Validate_UpstreamHost_Syntax(string host, bool valid)
        {
            PigeonConfig c = ConfigDefaults.Create(false);
            c.Relay.Routes[0].UpstreamHost = host;
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, false, report);
            Assert.AreEqual(!valid, report.HasErrorAt("relay.routes[0].upstreamHost"), ConfigText.Describe(report));
        }

        [TestMethod]
        [DataRow("whatsapp.net", true)]
        [DataRow("*.whatsapp.net", true)]
        [DataRow("*", false)]
        [DataRow("*.", false)]
        [DataRow("a.*.net", false)]
        [DataRow("white space.net", false)]
        public void Validate_SniPattern_Syntax(string pattern, bool valid)
        {
            PigeonConfig c = ConfigDefaults.Create(false);
            c.Relay.Routes[2].AllowedSni = new string[] { "whatsapp.net", pattern };
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, false, report);
            Assert.AreEqual(!valid, report.HasErrorAt("relay.routes[2].allowedSni[1]"), ConfigText.Describe(report));
        }

        [TestMethod]
        [DataRow("127.0.0.1", true, true)]
        [DataRow("*.0.0.1", true, true)]
        [DataRow("*.1", true, true)]
        [DataRow("10.0.0.7", false, true)]
        [DataRow("*.0x7f", true, true)]
        [DataRow("*.net", true, true)]
        [DataRow("*.com", false, true)]
        [DataRow("localhost", true, true)]
        [DataRow("*.whatsapp.net", true, false)]
        [DataRow("whatsapp.net", true, false)]
        [DataRow("mmg.whatsapp.net", false, false)]
        [DataRow("1.example.org", true, false)]
        public void Validate_SniPatternThatReachesAnAddressOrAWholeTld_ErrorWithUpstreamFromSniElseWarning(string pattern, bool upstreamFromSni, bool refused)
        {
            // Issue 13, item 5: with "*.0.0.1" and upstreamFromSni, SNI "127.0.0.1" made the relay
            // connect to 127.0.0.1. SNI is a host name (RFC 6066 section 3: no IP literals) and no
            // top-level domain is all digits (RFC 3696 section 2); a pattern over a whole TLD or a
            // single-label name lets the relay reach anything there.
            PigeonConfig c = ConfigDefaults.Create(false);
            c.Relay.Routes[2].AllowedSni = new string[] { "whatsapp.net", pattern };
            c.Relay.Routes[2].UpstreamFromSni = upstreamFromSni;
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, false, report);
            string path = "relay.routes[2].allowedSni[1]";
            Assert.AreEqual(refused && upstreamFromSni, report.HasErrorAt(path), ConfigText.Describe(report));
            Assert.AreEqual(refused && !upstreamFromSni, report.HasWarningAt(path), ConfigText.Describe(report));
            Assert.IsFalse(report.HasErrorAt("relay.routes[2].allowedSni[0]") || report.HasWarningAt("relay.routes[2].allowedSni[0]"));
        }

        [TestMethod]
        public void Validate_UpstreamFromSniWithoutList_RefusedAsOpenProxy()
        {
            PigeonConfig c = ConfigDefaults.Create(false);
            c.Relay.Routes[0].UpstreamFromSni = true;
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, false, report);
            Assert.IsTrue(report.HasErrorAt("relay.routes[0].upstreamFromSni"));
        }

        [TestMethod]
        public void Validate_BoardSockets_TooManyRoutesForSessions()
        {
            PigeonConfig c = ConfigDefaults.Create(true);
            RouteConfig[] four = ConfigDefaults.WhatsAppRoutes();
            c.Relay.Routes = new RouteConfig[] { four[0], four[1], four[2], four[3], ConfigDefaults.ChatRoute(8443) };
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, true, report);
            Assert.IsTrue(report.HasErrorAt("relay.maxSessions"), ConfigText.Describe(report));
            ValidationReport host = new ValidationReport();
            ConfigValidator.Validate(c, false, host);
            Assert.AreEqual(0, host.ErrorCount, ConfigText.Describe(host));
        }

        [TestMethod]
        public void Validate_StaticIpHalfSet_ErrorsAtMissingFields()
        {
            PigeonConfig c = ConfigDefaults.Create(true);
            c.Wifi.StaticGateway = "192.168.1.1";
            c.Wifi.StaticDns = "nonsense";
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, true, report);
            Assert.IsTrue(report.HasErrorAt("wifi.staticAddress"));
            Assert.IsTrue(report.HasErrorAt("wifi.staticNetmask"));
            Assert.IsTrue(report.HasErrorAt("wifi.staticDns"));
            Assert.IsFalse(report.HasErrorAt("wifi.staticGateway"));
        }

        [TestMethod]
        [DataRow("255.255.255.0", true)]
        [DataRow("255.255.0.0", true)]
        [DataRow("255.0.255.0", false)]
        [DataRow("0.0.0.0", false)]
        [DataRow("255.255.255.255", false)]
        public void Validate_Netmask_Contiguous(string mask, bool valid)
        {
            PigeonConfig c = ConfigDefaults.Create(true);
            c.Wifi.StaticAddress = "192.168.1.9";
            c.Wifi.StaticNetmask = mask;
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, true, report);
            Assert.AreEqual(!valid, report.HasErrorAt("wifi.staticNetmask"));
        }

        [TestMethod]
        public void Validate_ManyProblems_AllReportedAtOnce()
        {
            PigeonConfig c = ConfigDefaults.Create(false);
            c.Relay.MaxSessions = 0;
            c.Relay.Routes[1].ListenPort = 443;
            c.Relay.Routes[3].UpstreamHost = "";
            c.SetupAp.Channel = 99;
            c.Portal.ListenAddress = "localhost";
            c.Time.NtpServers = new string[] { "pool.ntp.org", "no spaces allowed" };
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, false, report);
            Assert.AreEqual(6, report.ErrorCount, ConfigText.Describe(report));
            Assert.IsTrue(report.HasErrorAt("relay.maxSessions"));
            Assert.IsTrue(report.HasErrorAt("relay.routes[1].listenPort"));
            Assert.IsTrue(report.HasErrorAt("relay.routes[3].upstreamHost"));
            Assert.IsTrue(report.HasErrorAt("setupAp.channel"));
            Assert.IsTrue(report.HasErrorAt("portal.listenAddress"));
            Assert.IsTrue(report.HasErrorAt("time.ntpServers[1]"));
        }

        [TestMethod]
        public void Validate_HalfSetAdminPassword_Error()
        {
            PigeonConfig c = ConfigDefaults.Create(true);
            c.Admin.PasswordHash = "pbkdf2-sha256$10000$+8HSgGgu4ZDUAsgF6YuVdVGlcwYngn5H+Ir4qxA6Y9k=";
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, true, report);
            Assert.IsTrue(report.HasErrorAt("admin.passwordSalt"));
            c.Admin.PasswordSalt = "not base64!";
            report = new ValidationReport();
            ConfigValidator.Validate(c, true, report);
            Assert.IsTrue(report.HasErrorAt("admin.passwordHash"));
        }

        [TestMethod]
        public void Validate_DynDnsUrl_SchemeChecked()
        {
            PigeonConfig c = ConfigDefaults.Create(true);
            c.Network.DynDnsUrl = "ftp://x";
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, true, report);
            Assert.IsTrue(report.HasErrorAt("network.dynDnsUrl"));
            c.Network.DynDnsUrl = "http://dyn.example/update";
            report = new ValidationReport();
            ConfigValidator.Validate(c, true, report);
            Assert.AreEqual(0, report.ErrorCount);
            Assert.IsTrue(report.HasWarningAt("network.dynDnsUrl"));
        }

        [TestMethod]
        [DataRow("allowedSni")]
        [DataRow("upstreamFromSni")]
        [DataRow("allowTls")]
        public void Validate_TerminateTlsWithPassthroughOption_ErrorAtTerminateTls(string option)
        {
            PigeonConfig c = ConfigDefaults.Create(false);
            RouteConfig route = c.Relay.Routes[0];
            route.TerminateTls = true;
            if (option == "allowTls")
            {
                route.AllowTls = true;
            }
            else
            {
                route.AllowedSni = ConfigDefaults.MediaAllowedSni();
                route.UpstreamFromSni = option == "upstreamFromSni";
            }

            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, false, report);
            Assert.IsTrue(report.HasErrorAt("relay.routes[0].terminateTls"), ConfigText.Describe(report));
        }

        [TestMethod]
        public void Validate_TerminateTls_FineOnHost_RefusedOnBoardWithTheReason()
        {
            PigeonConfig host = ConfigDefaults.Create(false);
            host.Relay.Routes[0].TerminateTls = true;
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(host, false, report);
            Assert.AreEqual(0, report.ErrorCount, ConfigText.Describe(report));

            PigeonConfig board = ConfigDefaults.Create(true);
            board.Relay.Routes[0].TerminateTls = true;
            report = new ValidationReport();
            ConfigValidator.Validate(board, true, report);
            Assert.IsTrue(report.HasErrorAt("relay.routes[0].terminateTls"), ConfigText.Describe(report));
            Assert.IsTrue(ConfigText.Describe(report).IndexOf("TLS off") >= 0, "the message says what to do instead");
        }

        [TestMethod]
        public void Read_ProxyProtocolForms_V1V2BoolAndErrors()
        {
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read("{\"schemaVersion\":1,\"relay\":{\"routes\":[{\"name\":\"a\",\"listenPort\":1,\"upstreamHost\":\"x.example\",\"upstreamPort\":2,\"proxyProtocol\":\"v2\"},"
                + "{\"name\":\"b\",\"listenPort\":3,\"upstreamHost\":\"x.example\",\"upstreamPort\":2,\"proxyProtocol\":true}]}}", false, report);
            Assert.IsNotNull(c, ConfigText.Describe(report));
            Assert.IsTrue(c.Relay.Routes[0].ProxyProtocol);
            Assert.AreEqual(2, c.Relay.Routes[0].ProxyProtocolVersion);
            Assert.AreEqual(1, c.Relay.Routes[1].ProxyProtocolVersion);
            report = new ValidationReport();
            ConfigText.Read("{\"schemaVersion\":1,\"relay\":{\"routes\":[{\"name\":\"c\",\"listenPort\":4,\"upstreamHost\":\"x.example\",\"upstreamPort\":2,\"proxyProtocol\":\"v3\"}]}}", false, report);
            Assert.IsTrue(report.HasErrorAt("relay.routes[0].proxyProtocol"), ConfigText.Describe(report));
        }

        private static void SetNumber(PigeonConfig c, string path, int value)
        {
            switch (path)
            {
                case "relay.maxSessions": c.Relay.MaxSessions = value; break;
                case "relay.bufferBytes": c.Relay.BufferBytes = value; break;
                case "relay.maxHelloBytes": c.Relay.MaxHelloBytes = value; break;
                case "relay.helloTimeoutSeconds": c.Relay.HelloTimeoutSeconds = value; break;
                case "relay.connectTimeoutSeconds": c.Relay.ConnectTimeoutSeconds = value; break;
                case "relay.idleTimeoutSeconds": c.Relay.IdleTimeoutSeconds = value; break;
                case "relay.drainMilliseconds": c.Relay.DrainMilliseconds = value; break;
                case "relay.dnsCacheSeconds": c.Relay.DnsCacheSeconds = value; break;
                case "relay.maxSessionsPerClient": c.Relay.MaxSessionsPerClient = value; break;
                case "relay.evictIdleSeconds": c.Relay.EvictIdleSeconds = value; break;
                case "setupAp.channel": c.SetupAp.Channel = value; break;
                case "portal.port": c.Portal.Port = value; break;
                case "relay.routes[0].listenPort": c.Relay.Routes[0].ListenPort = value; break;
                case "relay.routes[0].upstreamPort": c.Relay.Routes[0].UpstreamPort = value; break;
                default: Assert.IsTrue(false, "no setter for " + path); break; // not Assert.Fail: nanoFramework.TestFramework 3.x has none
            }
        }
    }
}
