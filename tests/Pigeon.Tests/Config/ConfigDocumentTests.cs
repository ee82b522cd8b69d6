// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;
using Pigeon.Tests.Support;
using Pigeon.Text;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Config
{
    [TestClass]
    public class ConfigDocumentTests
    {
        [TestMethod]
        public void Read_FullGolden_EveryFieldRead()
        {
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read(ConfigFixtures.Full, true, report);
            Assert.IsNotNull(c, ConfigText.Describe(report));
            Assert.AreEqual(0, report.ErrorCount);
            Assert.AreEqual("Café Pigeon", c.Wifi.Ssid);
            Assert.AreEqual("correct horse battery", c.Wifi.Password);
            Assert.AreEqual("192.168.1.50", c.Wifi.StaticAddress);
            Assert.AreEqual("1.1.1.1", c.Wifi.StaticDns);
            Assert.AreEqual("Pigeon-setup", c.SetupAp.Ssid);
            Assert.AreEqual(11, c.SetupAp.Channel);
            Assert.AreEqual("AQIDBAUGBwgJCgsMDQ4PEA==", c.Admin.PasswordSalt);
            Assert.AreEqual(4, c.Relay.MaxSessions);
            Assert.AreEqual(15, c.Relay.HelloTimeoutSeconds);
            Assert.AreEqual(500, c.Relay.DrainMilliseconds);
            Assert.AreEqual(2, c.Relay.Routes.Length);
            Assert.AreEqual("chat-5222", c.Relay.Routes[0].Name);
            Assert.IsTrue(c.Relay.Routes[0].ProxyProtocol);
            Assert.AreEqual("g-fallback.whatsapp.net", c.Relay.Routes[0].FallbackHost);
            Assert.AreEqual(2, c.Relay.Routes[1].AllowedSni.Length);
            Assert.AreEqual("*.whatsapp.net", c.Relay.Routes[1].AllowedSni[1]);
            Assert.AreEqual("192.168.1.1", c.Time.NtpServers[1]);
            Assert.AreEqual(8081, c.Portal.Port);
            Assert.IsFalse(c.Network.PortMapping);
            Assert.AreEqual("dyn-secret", c.Network.DynDnsPassword);
            Assert.AreEqual("metrics-secret-0123456789", c.Network.MetricsToken);
        }

        [TestMethod]
        public void Read_FullGolden_UnknownKeysWarnedWithPaths()
        {
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read(ConfigFixtures.Full, false, report);
            Assert.IsNotNull(c);
            Assert.AreEqual(2, report.WarningCount, ConfigText.Describe(report));
            Assert.IsTrue(report.HasWarningAt("relay.routes[1].comment"));
            Assert.IsTrue(report.HasWarningAt("futureSection"));
        }

        [TestMethod]
        public void Check_TypeErrorsDoNotHideRuleErrors_OneErrorPerPath()
        {
            ValidationReport report = new ValidationReport();
            byte[] doc = Bytes.Ascii("{\"relay\":{\"maxSessions\":\"5\",\"bufferBytes\":1,\"routes\":[{\"name\":\"a\",\"listenPort\":\"80\","
                + "\"upstreamHost\":\"x.example\",\"upstreamPort\":1}]},\"portal\":{\"port\":0}}");
            int version;
            Assert.IsNull(ConfigDocument.Check(doc, 0, doc.Length, false, report, out version));
            Assert.IsTrue(report.HasErrorAt("relay.maxSessions"));
            Assert.IsTrue(report.HasErrorAt("relay.routes[0].listenPort"));
            Assert.IsTrue(report.HasErrorAt("relay.bufferBytes"));
            Assert.IsTrue(report.HasErrorAt("portal.port"));
            Assert.AreEqual(4, report.ErrorCount, ConfigText.Describe(report));
        }

        [TestMethod]
        public void Read_MisspeltKeys_WarnedAtTheirPathsAndKept()
        {
            // Each unknown key is a warning at its path (the host adds "did you mean":
            // Host/Config/KeySuggestionTests) and is kept.
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read("{\"relay\":{\"maxSesions\":5,\"idleTimeoutSecond\":9},\"portl\":{},\"network\":{\"PublicHost\":\"a\"},\"zzzz\":1}", false, report);
            Assert.IsNotNull(c);
            Assert.AreEqual(5, report.WarningCount, ConfigText.Describe(report));
            Assert.IsTrue(Warning(report, "relay.maxSesions").IndexOf("does not know this setting") >= 0);
            Assert.IsTrue(Warning(report, "relay.idleTimeoutSecond").IndexOf("does not know this setting") >= 0);
            Assert.IsTrue(Warning(report, "portl").IndexOf("does not know this setting") >= 0);
            Assert.IsTrue(Warning(report, "network.PublicHost").IndexOf("does not know this setting") >= 0);
            Assert.IsTrue(Warning(report, "zzzz").IndexOf("does not know this setting") >= 0);
            Assert.AreNotEqual(5, c.Relay.MaxSessions, "a misspelt key sets nothing");
        }

        private static string Warning(ValidationReport report, string path)
        {
            for (int i = 0; i < report.WarningCount; i++)
            {
                if (report.GetWarning(i).Path == path)
                {
                    return report.GetWarning(i).Message;
                }
            }

            return "(no warning at " + path + ")";
        }

        [TestMethod]
        public void Write_FullGolden_SameBytesBack()
        {
            // Read + write reproduces the golden document exactly: unknown keys survive, both
            // platforms write the same text.
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read(ConfigFixtures.Full, false, report);
            Assert.AreEqual(ConfigFixtures.Full, ConfigText.Write(c));
        }

        [TestMethod]
        public void Read_MinimalGolden_DefaultsEverywhere()
        {
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read(ConfigFixtures.Minimal, true, report);
            Assert.IsNotNull(c);
            Assert.AreEqual(0, report.ErrorCount + report.WarningCount, ConfigText.Describe(report));
            PigeonConfig defaults = ConfigDefaults.Create(true);
            Assert.AreEqual(ConfigText.Write(defaults), ConfigText.Write(c));
            Assert.AreEqual(ConfigDefaults.DeviceMaxSessions, c.Relay.MaxSessions);
            Assert.AreEqual(2, c.Relay.Routes.Length, "the board's default routes: chat 5222, media 7777");
        }

        [TestMethod]
        public void Read_PartialSection_OtherFieldsKeepDefaults()
        {
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read("{\"relay\":{\"idleTimeoutSeconds\":60},\"wifi\":{\"ssid\":\"home\"}}", false, report);
            Assert.IsNotNull(c);
            Assert.AreEqual(60, c.Relay.IdleTimeoutSeconds);
            Assert.AreEqual(ConfigDefaults.HostMaxSessions, c.Relay.MaxSessions);
            Assert.AreEqual("home", c.Wifi.Ssid);
            Assert.AreEqual("", c.Wifi.Password);
            Assert.AreEqual(4, c.Relay.Routes.Length);
        }

        [TestMethod]
        public void Read_RouteWithFewKeys_RouteDefaultsFilled()
        {
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read("{\"relay\":{\"routes\":[{\"name\":\"x\",\"listenPort\":9000,\"upstreamHost\":\"a.example\",\"upstreamPort\":1}]}}", false, report);
            Assert.IsNotNull(c);
            Assert.AreEqual(1, c.Relay.Routes.Length);
            Assert.AreEqual("0.0.0.0", c.Relay.Routes[0].ListenAddress);
            Assert.AreEqual(0, c.Relay.Routes[0].AllowedSni.Length);
        }

        [TestMethod]
        public void Write_UnknownKeysInEverySection_SurviveRoundTrip()
        {
            string json = "{\"x0\":1,\"wifi\":{\"x1\":\"a\"},\"setupAp\":{\"x2\":[1,2]},\"admin\":{\"x3\":null},\"relay\":{\"x4\":{\"deep\":[{\"k\":true}]}},"
                + "\"time\":{\"x5\":-1.5e3},\"portal\":{\"x6\":false},\"network\":{\"x7\":\"\\u00e9\\n\"}}";
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read(json, false, report);
            Assert.IsNotNull(c, ConfigText.Describe(report));
            Assert.AreEqual(8, report.WarningCount);
            string written = ConfigText.Write(c);
            ValidationReport again = new ValidationReport();
            PigeonConfig c2 = ConfigText.Read(written, false, again);
            Assert.IsNotNull(c2, ConfigText.Describe(again));
            Assert.AreEqual(8, again.WarningCount);
            Assert.AreEqual(written, ConfigText.Write(c2));
            Assert.IsTrue(written.IndexOf("\"deep\"") > 0);
            Assert.IsTrue(written.IndexOf("\"x7\": \"é\\n\"") > 0);
        }

        [TestMethod]
        [DataRow("")]
        [DataRow("{")]
        [DataRow("{\"relay\": }")]
        [DataRow("{\"relay\": {\"maxSessions\": 5,}}")]
        [DataRow("[1, 2]")]
        [DataRow("\"text\"")]
        [DataRow("{} {}")]
        [DataRow("{\"a\": tru}")]
        [DataRow("{\"a\": [1,,2]}")]
        [DataRow("{,\"a\": 1}")]
        [DataRow("{\"a\": [1, 2,]}")]
        [DataRow("{\"a\": 1 \"b\": 2}")]
        [DataRow("{\"a\": TRUE}")]
        [DataRow("{\"a\": 01}")]
        [DataRow("{\"a\": .5}")]
        [DataRow("{\"a\": 1.}")]
        [DataRow("{\"a\": -}")]
        [DataRow("{'a': 1}")]
        [DataRow("{\"a\": \"line\nbreak\"}")]
        [DataRow("{\"a\": \"\\x\"}")]
        [DataRow("{\"a\": \"\\u12\"}")]
        [DataRow("{\"a\" 1}")]
        [DataRow("{\"a\": [1}")]
        [DataRow("{\"a\": {]}")]
        [DataRow("{1: 2}")]
        public void Read_InvalidJson_DocumentError(string json)
        {
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read(json, false, report);
            Assert.IsNull(c);
            Assert.IsTrue(report.ErrorCount >= 1);
            Assert.AreEqual(ValidationReport.DocumentPath, report.GetError(0).Path);
        }

        [TestMethod]
        [DataRow("{\"relay\":{\"maxSessions\":\"5\"}}", "relay.maxSessions")]
        [DataRow("{\"relay\":{\"maxSessions\":5.5}}", "relay.maxSessions")]
        [DataRow("{\"relay\":{\"maxSessions\":99999999999}}", "relay.maxSessions")]
        [DataRow("{\"relay\":{\"maxSessions\":null}}", "relay.maxSessions")]
        [DataRow("{\"wifi\":{\"ssid\":5}}", "wifi.ssid")]
        [DataRow("{\"wifi\":\"home\"}", "wifi")]
        [DataRow("{\"relay\":{\"routes\":{}}}", "relay.routes")]
        [DataRow("{\"relay\":{\"routes\":[5]}}", "relay.routes[0]")]
        [DataRow("{\"relay\":{\"routes\":[{\"proxyProtocol\":\"yes\"}]}}", "relay.routes[0].proxyProtocol")]
        [DataRow("{\"relay\":{\"routes\":[{\"allowedSni\":\"a.b\"}]}}", "relay.routes[0].allowedSni")]
        [DataRow("{\"relay\":{\"routes\":[{\"allowedSni\":[\"a.b\",7]}]}}", "relay.routes[0].allowedSni[1]")]
        [DataRow("{\"time\":{\"ntpServers\":[true]}}", "time.ntpServers[0]")]
        [DataRow("{\"network\":{\"portMapping\":1}}", "network.portMapping")]
        [DataRow("{\"schemaVersion\":\"1\"}", "schemaVersion")]
        public void Read_WrongType_ErrorAtPath(string json, string path)
        {
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read(json, false, report);
            Assert.IsNull(c);
            Assert.IsTrue(report.HasErrorAt(path), ConfigText.Describe(report));
        }

        [TestMethod]
        public void Read_WrongTypesInManyPlaces_EveryErrorReported()
        {
            ValidationReport report = new ValidationReport();
            ConfigText.Read("{\"wifi\":{\"ssid\":1,\"password\":2},\"relay\":{\"bufferBytes\":\"x\"},\"portal\":{\"port\":true}}", false, report);
            Assert.AreEqual(4, report.ErrorCount, ConfigText.Describe(report));
        }

        [TestMethod]
        public void Read_DuplicateKey_RefusedAtItsPath()
        {
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read("{\"relay\":{\"routes\":[{\"name\":\"a\",\"name\":\"b\"}],\"maxSessions\":5}}", false, report);
            Assert.IsNull(c);
            Assert.AreEqual(1, report.ErrorCount, ConfigText.Describe(report));
            Assert.AreEqual("relay.routes[0].name: appears twice; keep only one (Pigeon will not guess which one you meant)", report.GetError(0).ToString());
        }

        [TestMethod]
        [DataRow("{\"relay\": {\"maxSessions\": 5,}}", "(document): The config is not valid JSON (line 1, column 29): a comma with nothing after it.")]
        [DataRow("{\n  \"wifi\": {\n    \"ssid\": \"a\"\n    \"password\": \"b\"\n  }\n}", "(document): The config is not valid JSON (line 4, column 5): expected a comma or a closing } (is a comma missing?).")]
        [DataRow("{\"a\": [[1, 2], [3]], \"b\": \"\\u00e9\\/\"}", "")]
        [DataRow("{\"wifi\": {\"ssid\": \"\\ud800\"}}", "(document): The config is not valid JSON (line 1, column 20): a \\u escape of half a character (a surrogate, \\ud800 to \\udfff, without its other half): not text, as raw surrogate bytes are not UTF-8.")]
        [DataRow("[1]", "(document): The config must be a JSON object: { ... }.")]
        [DataRow("   ", "(document): The config is not valid JSON (line 1, column 4): it is empty.")]
        public void Read_EveryPlatform_SameErrorWordForWord(string json, string expected)
        {
            // Host and board read with the same code: these messages are what both say ("": no
            // error; not null, which stops nanoFramework's metadata processor: docs/device.md).
            ValidationReport report = new ValidationReport();
            ConfigDocument.Parse(Utf8.GetBytes(json), 0, Utf8.ByteCount(json), report);
            Assert.AreEqual(expected.Length == 0 ? 0 : 1, report.ErrorCount, ConfigText.Describe(report));
            if (expected.Length != 0)
            {
                Assert.AreEqual(expected, report.GetError(0).ToString());
            }
        }

        [TestMethod]
        public void Read_LoneSurrogateEscape_RefusedLikeRawSurrogateBytes()
        {
            ValidationReport escaped = new ValidationReport();
            Assert.IsNull(ConfigText.Read("{\"wifi\":{\"ssid\":\"a\\udc00\"}}", false, escaped));
            Assert.AreEqual(ValidationReport.DocumentPath, escaped.GetError(0).Path);
            byte[] raw = Bytes.Hex("7B 22 77 69 66 69 22 3A 7B 22 73 73 69 64 22 3A 22 61 ED B0 80 22 7D 7D");
            ValidationReport bytes = new ValidationReport();
            Assert.IsNull(ConfigDocument.Read(raw, 0, raw.Length, false, bytes));
            Assert.AreEqual(ValidationReport.DocumentPath, bytes.GetError(0).Path);
        }

        [TestMethod]
        public void Read_DeepNesting_RefusedBeforeParsing()
        {
            string json = "{\"x\":";
            for (int i = 0; i < 200; i++)
            {
                json = json + "[";
            }

            for (int i = 0; i < 200; i++)
            {
                json = json + "]";
            }

            ValidationReport report = new ValidationReport();
            Assert.IsNull(ConfigText.Read(json + "}", false, report));
            Assert.AreEqual(ValidationReport.DocumentPath, report.GetError(0).Path);
            Assert.IsTrue(report.GetError(0).Message.IndexOf("nests deeper") >= 0);
        }

        [TestMethod]
        public void Read_AtCapAndJustOver_AcceptedThenRefused()
        {
            ValidationReport ok = new ValidationReport();
            byte[] atCap = Padded(ConfigDefaults.MaxDocumentBytes);
            Assert.IsNotNull(ConfigDocument.Read(atCap, 0, atCap.Length, false, ok), ConfigText.Describe(ok));
            ValidationReport report = new ValidationReport();
            byte[] over = Padded(ConfigDefaults.MaxDocumentBytes + 1);
            Assert.IsNull(ConfigDocument.Read(over, 0, over.Length, false, report));
            Assert.IsTrue(report.GetError(0).Message.IndexOf("8193 bytes") >= 0);
        }

        private static byte[] Padded(int length)
        {
            byte[] doc = new byte[length];
            for (int i = 0; i < doc.Length; i++)
            {
                doc[i] = (byte)' ';
            }

            doc[0] = (byte)'{';
            doc[doc.Length - 1] = (byte)'}';
            return doc;
        }

        [TestMethod]
        [DataRow("7B 22 77 69 66 69 22 3A 7B 22 73 73 69 64 22 3A 22 FF 22 7D 7D")]
        [DataRow("7B 22 77 69 66 69 22 3A 7B 22 73 73 69 64 22 3A 22 C3 22 7D 7D")]
        [DataRow("7B 22 77 69 66 69 22 3A 7B 22 73 73 69 64 22 3A 22 C0 AF 22 7D 7D")]
        [DataRow("7B 22 77 69 66 69 22 3A 7B 22 73 73 69 64 22 3A 22 ED A0 80 22 7D 7D")]
        public void Read_NotUtf8_Refused(string hex)
        {
            byte[] doc = Bytes.Hex(hex);
            ValidationReport report = new ValidationReport();
            Assert.IsNull(ConfigDocument.Read(doc, 0, doc.Length, false, report));
            Assert.IsTrue(report.GetError(0).Message.IndexOf("UTF-8") >= 0);
        }

        [TestMethod]
        public void Read_Utf8ByteOrderMark_Accepted()
        {
            byte[] doc = Bytes.Concat(Bytes.Hex("EF BB BF"), Bytes.Ascii("{\"schemaVersion\":1}"));
            ValidationReport report = new ValidationReport();
            Assert.IsNotNull(ConfigDocument.Read(doc, 0, doc.Length, false, report), ConfigText.Describe(report));
        }

        [TestMethod]
        public void Read_EscapesInText_Decoded()
        {
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read("{\"wifi\":{\"ssid\":\"a\\/b\\u00e95x\\\"q\\u0022\",\"password\":\"\\u0031\\u0032345678\"},"
                + "\"network\":{\"dynDnsUser\":\"\\ud83d\\udc26-\\u005c\"}}", false, report);
            Assert.IsNotNull(c, ConfigText.Describe(report));
            Assert.AreEqual("a/b\u00e95x\"q\"", c.Wifi.Ssid);
            Assert.AreEqual("12345678", c.Wifi.Password);
            Assert.IsTrue(c.Network.DynDnsUser.EndsWith("-\\"));
        }

        [TestMethod]
        public void Read_DateLikeText_StaysText()
        {
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read("{\"wifi\":{\"ssid\":\"2024-01-01T00:00:00Z\",\"password\":\"\\\"2024-01-01T00:00:00\"}}", false, report);
            Assert.IsNotNull(c, ConfigText.Describe(report));
            Assert.AreEqual("2024-01-01T00:00:00Z", c.Wifi.Ssid);
            Assert.AreEqual("\"2024-01-01T00:00:00", c.Wifi.Password);
        }

        [TestMethod]
        public void Read_HugeString_ValidationRefusesIt()
        {
            string ssid = "";
            for (int i = 0; i < 100; i++)
            {
                ssid = ssid + "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01";
            }

            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read("{\"wifi\":{\"ssid\":\"" + ssid + "\"}}", false, report);
            Assert.IsNotNull(c);
            ConfigValidator.Validate(c, false, report);
            Assert.IsTrue(report.HasErrorAt("wifi.ssid"));
        }

        [TestMethod]
        public void Write_ControlAndQuoteCharacters_Escaped()
        {
            PigeonConfig c = ConfigDefaults.Create(false);
            c.Network.DynDnsUser = "a\"b\\c\td\u0001";
            string json = ConfigText.Write(c);
            Assert.IsTrue(json.IndexOf("\"a\\\"b\\\\c\\td\\u0001\"") > 0, json);
            ValidationReport report = new ValidationReport();
            Assert.AreEqual(c.Network.DynDnsUser, ConfigText.Read(json, false, report).Network.DynDnsUser);
        }
    }
}
