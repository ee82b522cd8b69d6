// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;
using Pigeon.Json;
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
    public class ConfigMigrationTests
    {
        [TestMethod]
        public void Step0To1_Version0Golden_RelayKeptRestDefaults()
        {
            ValidationReport report = new ValidationReport();
            PigeonConfig c = Migrated(ConfigFixtures.Version0, 0, report);
            Assert.AreEqual(3, c.Relay.MaxSessions);
            Assert.AreEqual(1, c.Relay.Routes.Length);
            Assert.AreEqual(443, c.Relay.Routes[0].ListenPort);
            Assert.IsTrue(c.Relay.Routes[0].ProxyProtocol);
            Assert.AreEqual(ConfigDefaults.IdleTimeoutSeconds, c.Relay.IdleTimeoutSeconds);
            Assert.AreEqual(8080, c.Portal.Port);
            Assert.AreEqual(0, report.ErrorCount + report.WarningCount, ConfigText.Describe(report));
            ConfigValidator.Validate(c, false, report);
            Assert.AreEqual(0, report.ErrorCount, ConfigText.Describe(report));
        }

        [TestMethod]
        public void Step1To2_OldDefaultCapBecomesTheFairShare_AnOperatorsOwnCapStays()
        {
            PigeonConfig c = Migrated(ConfigFixtures.Version1, 1, new ValidationReport());
            Assert.AreEqual(0, c.Relay.MaxSessionsPerClient, "64 was version 1's default: now the fair share decides");
            Assert.AreEqual(4096, c.Relay.MaxSessions);

            ValidationReport board = new ValidationReport();
            Assert.AreEqual(0, ConfigText.Read("{\"schemaVersion\": 1, \"relay\": {\"maxSessionsPerClient\": 3}}", true, board).Relay.MaxSessionsPerClient, "3, the board's");
            ValidationReport own = new ValidationReport();
            Assert.AreEqual(10, ConfigText.Read("{\"schemaVersion\": 1, \"relay\": {\"maxSessionsPerClient\": 10}}", false, own).Relay.MaxSessionsPerClient, "an operator's own cap");
        }

        [TestMethod]
        public void Migrate_Version0Tree_StampedWithCurrentVersion()
        {
            JsonNode root = JsonNode.NewObject();
            root.Add("relay", JsonNode.NewObject());
            ValidationReport report = new ValidationReport();
            int from;
            Assert.IsTrue(ConfigMigration.Migrate(root, report, out from));
            Assert.AreEqual(0, from);
            Assert.AreEqual(ConfigDefaults.SchemaVersion.ToString(), root.Get(ConfigMapper.SchemaVersionKey).Text);
        }

        [TestMethod]
        public void Migrate_CurrentVersion_Unchanged()
        {
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read(ConfigFixtures.Full, false, report);
            Assert.IsNotNull(c);
            Assert.AreEqual(ConfigFixtures.Full, ConfigText.Write(c));
        }

        [TestMethod]
        [DataRow("{\"schemaVersion\": 3}")]
        [DataRow("{\"schemaVersion\": 99, \"relay\": {\"maxSessions\": \"any shape\"}}")]
        public void Migrate_NewerVersion_RefusedWithClearMessage(string json)
        {
            ValidationReport report = new ValidationReport();
            Assert.IsNull(ConfigText.Read(json, false, report));
            Assert.AreEqual(1, report.ErrorCount, ConfigText.Describe(report));
            Assert.AreEqual("schemaVersion", report.GetError(0).Path);
            Assert.IsTrue(report.GetError(0).Message.IndexOf("newer Pigeon") >= 0);
        }

        [TestMethod]
        [DataRow("{\"schemaVersion\": -1}")]
        [DataRow("{\"schemaVersion\": 1.5}")]
        [DataRow("{\"schemaVersion\": \"1\"}")]
        [DataRow("{\"schemaVersion\": null}")]
        public void Migrate_BadVersion_Refused(string json)
        {
            ValidationReport report = new ValidationReport();
            Assert.IsNull(ConfigText.Read(json, false, report));
            Assert.IsTrue(report.HasErrorAt("schemaVersion"), ConfigText.Describe(report));
        }

        [TestMethod]
        public void Migrate_Version0_WrittenBackAsCurrent()
        {
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read(ConfigFixtures.Version0, false, report);
            string written = ConfigText.Write(c);
            Assert.IsTrue(written.IndexOf("\"schemaVersion\": " + ConfigDefaults.SchemaVersion.ToString()) > 0);
            Migrated(written, ConfigDefaults.SchemaVersion, new ValidationReport());
        }

        // Reads a stored document of version `from`: read whole, and now at the current version.
        private static PigeonConfig Migrated(string json, int from, ValidationReport report)
        {
            byte[] bytes = Utf8.GetBytes(json);
            int found;
            PigeonConfig c = ConfigDocument.Read(bytes, 0, bytes.Length, false, report, out found);
            Assert.IsNotNull(c, ConfigText.Describe(report));
            Assert.AreEqual(from, found);
            Assert.AreEqual(ConfigDefaults.SchemaVersion, c.SchemaVersion);
            return c;
        }
    }
}
