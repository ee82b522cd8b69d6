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
    /// <summary>
    /// relay.httpPort and the ACME fields on a board (refused) and in a document; the host's rules
    /// for them are Host/Config/ServerRulesTests (ConfigValidator.Host.cs).
    /// </summary>
    [TestClass]
    public class ConfigAcmeTests
    {
        [TestMethod]
        public void Validate_AcmeOnBoard_Refused()
        {
            PigeonConfig board = ConfigDefaults.Create(true);
            board.Network.PublicHost = "relay.example.org";
            board.Relay.Acme = true;
            board.Relay.HttpPort = 8081;
            ValidationReport report = Check(board, true);
            Assert.IsTrue(report.HasErrorAt("relay.acme"), ConfigText.Describe(report));
            Assert.IsTrue(report.HasErrorAt("relay.httpPort"), ConfigText.Describe(report));
        }

        [TestMethod]
        public void Read_AcmeFields_RoundTrip()
        {
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read("{\"schemaVersion\":1,\"relay\":{\"httpPort\":80,\"acme\":true,\"acmeEmail\":\"a@b.example\",\"acmeChallenge\":\"http-01\","
                + "\"acmeDirectoryUrl\":\"https://ca.example/dir\"},\"network\":{\"publicHost\":\"relay.example.org\"}}", false, report);
            Assert.IsNotNull(c, ConfigText.Describe(report));
            Assert.AreEqual(0, report.ErrorCount, ConfigText.Describe(report));
            Assert.AreEqual(80, c.Relay.HttpPort);
            Assert.IsTrue(c.Relay.Acme);
            Assert.AreEqual("a@b.example", c.Relay.AcmeEmail);
            Assert.AreEqual("http-01", c.Relay.AcmeChallenge);
            Assert.AreEqual("https://ca.example/dir", c.Relay.AcmeDirectoryUrl);
            report = new ValidationReport();
            Assert.IsNull(ConfigText.Read("{\"schemaVersion\":1,\"relay\":{\"acme\":\"yes\"}}", false, report));
            Assert.IsTrue(report.HasErrorAt("relay.acme"), ConfigText.Describe(report));
        }

        private static ValidationReport Check(PigeonConfig c, bool device)
        {
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, device, report);
            return report;
        }
    }
}
