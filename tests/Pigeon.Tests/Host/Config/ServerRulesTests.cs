using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Tests.Support;

namespace Pigeon.Tests.Host.Config
{
    /// <summary>
    /// Host-only: the rules of what only a server has (ConfigValidator.Host.cs, which the board's
    /// assembly leaves out): the certificate files, relay.httpPort and the ACME fields, each rule
    /// at its path. A board refuses httpPort and ACME whole (the shared ConfigAcmeTests).
    /// </summary>
    [TestClass]
    public class ServerRulesTests
    {
        [TestMethod]
        public void Validate_CertificateWithoutKey_Error()
        {
            PigeonConfig c = ConfigDefaults.Create(false);
            c.Relay.TlsCertificateFile = "/etc/pigeon/cert.pem";
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, false, report);
            Assert.IsTrue(report.HasErrorAt("relay.tlsKeyFile"), ConfigText.Describe(report));
            c.Relay.TlsKeyFile = "/etc/pigeon/key.pem";
            report = new ValidationReport();
            ConfigValidator.Validate(c, false, report);
            Assert.AreEqual(0, report.ErrorCount, ConfigText.Describe(report));
        }

        [TestMethod]
        public void Validate_AcmeWithPublicName_NoError()
        {
            PigeonConfig c = Acme("relay.example.org");
            ValidationReport report = Check(c, false);
            Assert.AreEqual(0, report.ErrorCount, ConfigText.Describe(report));
            c.Relay.HttpPort = 80;
            c.Relay.AcmeChallenge = "http-01";
            c.Relay.AcmeEmail = "volunteer@example.org";
            c.Relay.AcmeDirectoryUrl = "https://acme-staging-v02.api.letsencrypt.org/directory";
            report = Check(c, false);
            Assert.AreEqual(0, report.ErrorCount, ConfigText.Describe(report));
        }

        [TestMethod]
        [DataRow("")]
        [DataRow("203.0.113.7")]
        public void Validate_AcmeWithoutName_ErrorSaysPublicHost(string host)
        {
            ValidationReport report = Check(Acme(host), false);
            Assert.IsTrue(report.HasErrorAt("relay.acme"), ConfigText.Describe(report));
            Assert.IsTrue(ConfigText.Describe(report).IndexOf("network.publicHost") >= 0, ConfigText.Describe(report));
        }

        [TestMethod]
        public void Validate_AcmeAndFiles_ChooseOne()
        {
            PigeonConfig c = Acme("relay.example.org");
            c.Relay.TlsCertificateFile = "/etc/letsencrypt/live/relay.example.org/fullchain.pem";
            c.Relay.TlsKeyFile = "/etc/letsencrypt/live/relay.example.org/privkey.pem";
            Assert.IsTrue(Check(c, false).HasErrorAt("relay.acme"));
        }

        [TestMethod]
        public void Validate_ChallengeRules_EachAtItsPath()
        {
            PigeonConfig c = Acme("relay.example.org");
            c.Relay.AcmeChallenge = "dns-01";
            Assert.IsTrue(Check(c, false).HasErrorAt("relay.acmeChallenge"), "an unknown type");
            c.Relay.AcmeChallenge = "http-01";
            Assert.IsTrue(Check(c, false).HasErrorAt("relay.acmeChallenge"), "http-01 without relay.httpPort");
            c.Relay.AcmeChallenge = "tls-alpn-01";
            Assert.AreEqual(0, Check(c, false).ErrorCount, "443 terminates TLS by default");
            for (int i = 0; i < c.Relay.Routes.Length; i++)
            {
                c.Relay.Routes[i].TerminateTls = false;
            }

            ValidationReport report = Check(c, false);
            Assert.IsTrue(report.HasErrorAt("relay.acmeChallenge"), "tls-alpn-01 without a TLS route");
            Assert.IsTrue(report.HasWarningAt("relay.acme"), "nowhere to present it");
            c.Relay.AcmeChallenge = "";
            Assert.IsTrue(Check(c, false).HasErrorAt("relay.acme"), "no way to answer the CA");
        }

        [TestMethod]
        public void Validate_DirectoryAndEmail_Checked()
        {
            PigeonConfig c = Acme("relay.example.org");
            c.Relay.AcmeDirectoryUrl = "http://ca.example/directory";
            c.Relay.AcmeEmail = "not an address";
            ValidationReport report = Check(c, false);
            Assert.IsTrue(report.HasErrorAt("relay.acmeDirectoryUrl"), ConfigText.Describe(report));
            Assert.IsTrue(report.HasErrorAt("relay.acmeEmail"), ConfigText.Describe(report));
        }

        [TestMethod]
        public void Validate_HttpPortClashes_Refused()
        {
            PigeonConfig c = ConfigDefaults.Create(false);
            c.Relay.HttpPort = c.Relay.Routes[0].ListenPort;
            Assert.IsTrue(Check(c, false).HasErrorAt("relay.httpPort"), "a route's port");
            c.Relay.HttpPort = c.Portal.Port;
            Assert.IsTrue(Check(c, false).HasErrorAt("relay.httpPort"), "the portal's port");
            c.Relay.HttpPort = 70000;
            Assert.IsTrue(Check(c, false).HasErrorAt("relay.httpPort"), "not a port");
            c.Relay.HttpPort = 80;
            Assert.AreEqual(0, Check(c, false).ErrorCount);
        }

        [TestMethod]
        public void DecoyPage_AtItsCap_StillFitsTheStoredDocument_OneMore_Refused()
        {
            // The cap is what the whole config can carry: a page at it, with the host's default
            // routes, must still save (ConfigStore keeps 64 bytes of the document's limit).
            PigeonConfig c = ConfigDefaults.Create(false);
            string line = "<p class=\"x\">A small page.</p>\n";
            System.Text.StringBuilder page = new System.Text.StringBuilder();
            while (page.Length < ConfigValidator.MaxDecoyPageLength)
            {
                page.Append(line);
            }

            c.Relay.DecoyPage = page.ToString(0, ConfigValidator.MaxDecoyPageLength);
            Assert.AreEqual(0, Check(c, false).ErrorCount, ConfigText.Describe(Check(c, false)));
            int bytes = ConfigDocument.Write(c).Length;
            Assert.IsTrue(bytes <= ConfigDefaults.MaxDocumentBytes - 64, bytes + " bytes: a page the validator takes would not save");

            c.Relay.DecoyPage += "x";
            ValidationReport report = Check(c, false);
            Assert.IsTrue(report.HasErrorAt("relay.decoyPage"), ConfigText.Describe(report));
        }

        private static PigeonConfig Acme(string host)
        {
            PigeonConfig c = ConfigDefaults.Create(false);
            c.Network.PublicHost = host;
            c.Relay.Acme = true;
            return c;
        }

        private static ValidationReport Check(PigeonConfig c, bool device)
        {
            ValidationReport report = new ValidationReport();
            ConfigValidator.Validate(c, device, report);
            return report;
        }
    }
}
