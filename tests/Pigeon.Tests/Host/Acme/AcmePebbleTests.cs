using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Host;
using Pigeon.Host.Acme;
using Pigeon.Host.Tls;
using Pigeon.Json;
using Pigeon.Portal;
using Pigeon.Tests.Host.Portal;
using Pigeon.Tests.Host.Relay;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Acme
{
    /// <summary>
    /// The built-in ACME client against Pebble on 127.0.0.1 (<see cref="PebbleServer"/>), through
    /// the real host: Pigeon obtains a certificate for a test name by TLS-ALPN-01 on its TLS route
    /// or by HTTP-01 on its port-80 site, presents it with Pebble's intermediate on the next
    /// handshake, keeps it 0600 in the data folder and uses it again after a restart, renews it
    /// when the (moved) clock passes two thirds of its life, and says why when the CA cannot
    /// validate, still presenting the self-signed one. Figures go to the test output.
    /// </summary>
    [TestClass]
    [DoNotParallelize]
    public class AcmePebbleTests
    {
        private const string Name = "relay.pigeon.test";

        public TestContext TestContext { get; set; }

        [TestMethod]
        [DataRow(AcmeClient.TlsAlpn01)]
        [DataRow(AcmeClient.Http01)]
        [Timeout(240000)]
        public void Obtain_ThenServe_ThenRenew_ThenKeepAcrossRestart(string challenge)
        {
            int httpPort = Loopback.FreePort();
            int tlsPort = Loopback.FreePort();
            using PebbleServer pebble = PebbleServer.Start(httpPort, tlsPort);
            Stopwatch obtain = Stopwatch.StartNew();
            string dataDir = TestFolder.Create();
            try
            {
                Obtain_ThenServe_ThenRenew(pebble, challenge, httpPort, tlsPort, dataDir, obtain);
            }
            finally
            {
                Directory.Delete(dataDir, true);
            }
        }

        private void Obtain_ThenServe_ThenRenew(PebbleServer pebble, string challenge, int httpPort, int tlsPort, string dataDir, Stopwatch obtain)
        {
            string firstFingerprint;
            using (PortalTestHost host = Host(pebble, challenge, httpPort, tlsPort, dataDir))
            {
                AcmeService acme = host.App.Certificates.Acme;
                WaitFor(acme, () => acme.State == AcmeService.StateOk, pebble);
                obtain.Stop();
                TlsIdentity current = host.App.Tls;
                Assert.AreEqual(TlsIdentity.OriginAcme, current.Origin);
                Assert.IsTrue(current.Certificate.MatchesHostname(Name, false), "for the test name: " + current.Certificate.Subject);

                (X509Certificate2 served, X509Certificate2Collection sent) = Presented(tlsPort, Name);
                Assert.AreEqual(current.Fingerprint, Hex(served), "the relay presents the CA's certificate on its TLS port");
                StringAssert.StartsWith(served.Issuer, "CN=Pebble Intermediate CA");
                Assert.AreEqual(1, sent.Count - 1, "the intermediate goes with it");
                using (X509Chain chain = new X509Chain())
                {
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(pebble.Root());
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    chain.ChainPolicy.ExtraStore.AddRange(sent);
                    Assert.IsTrue(chain.Build(served), "the chain sent builds to Pebble's root");
                }

                Assert.AreEqual(current.Fingerprint, Hex(Presented(tlsPort, "other.example").Served), "any SNI gets it");
                if (!OperatingSystem.IsWindows())
                {
                    Assert.AreEqual(OwnerOnlyFile.FileMode, File.GetUnixFileMode(Path.Combine(dataDir, AcmeService.AccountFile)));
                    Assert.AreEqual(OwnerOnlyFile.FileMode, File.GetUnixFileMode(Path.Combine(dataDir, AcmeService.CertificateFile)));
                }

                JsonElement status = Status(host.App);
                Assert.AreEqual("acme", status.GetProperty("source").GetString());
                Assert.AreEqual(Name, status.GetProperty("name").GetString());
                Assert.AreEqual("ok", status.GetProperty("acme").GetProperty("state").GetString());
                Assert.AreEqual(TlsStatusWriter.Iso(AcmeService.RenewalTime(current.Certificate)), status.GetProperty("acme").GetProperty("nextAttempt").GetString());
                Assert.IsFalse(status.GetProperty("acme").TryGetProperty("error", out _));
                StringAssert.Contains(string.Join("\n", host.Log.Lines), "ACME: certificate for " + Name + " from Pebble Intermediate CA");
                if (challenge == AcmeClient.Http01)
                {
                    Assert.IsTrue(acme.Challenges.HttpServed >= 1, "Pebble fetched the token from the port-80 site");
                }

                // Renewal: move the service's clock past two thirds of the certificate's life.
                firstFingerprint = current.Fingerprint;
                TimeSpan first = acme.LastDuration;
                TimeSpan ahead = AcmeService.RenewalTime(current.Certificate) - DateTime.UtcNow + TimeSpan.FromMinutes(1);
                acme.UtcNow = () => DateTime.UtcNow + ahead;
                Stopwatch renew = Stopwatch.StartNew();
                Assert.IsTrue(acme.CheckAsync().Wait(TimeSpan.FromSeconds(120)), "the renewal finished");
                renew.Stop();
                Assert.AreEqual(AcmeService.StateOk, acme.State, acme.Problem);
                Assert.AreEqual(2, acme.Obtained);
                Assert.AreNotEqual(firstFingerprint, host.App.Tls.Fingerprint, "a new certificate");
                Assert.AreEqual(host.App.Tls.Fingerprint, Hex(Presented(tlsPort, Name).Served), "the next handshake gets the renewed one");
                Assert.AreEqual(AcmeService.RenewalTime(host.App.Tls.Certificate), acme.NextAttempt, "the next renewal is planned from the new certificate");
                TestContext.WriteLine(challenge + ": first certificate " + obtain.ElapsedMilliseconds + " ms after the host started (the attempt itself " + first.TotalMilliseconds.ToString("0")
                    + " ms), renewal " + renew.ElapsedMilliseconds + " ms; badNonce answers retried: " + acme.BadNonceRetries);
                firstFingerprint = host.App.Tls.Fingerprint;
            }

            // A restart in the same folder presents the kept certificate without asking the CA.
            pebble.Dispose();
            using PortalTestHost again = new PortalTestHost(tlsChat: true, tlsPort: tlsPort, relayFields: Fields(pebble, challenge, httpPort), networkFields: "\"publicHost\":\"" + Name + "\"",
                dataDir: dataDir);
            Assert.AreEqual(firstFingerprint, again.App.Tls.Fingerprint, "kept across a restart");
            Assert.AreEqual(AcmeService.StateOk, again.App.Certificates.Acme.State);
        }

        [TestMethod]
        [Timeout(120000)]
        public void ValidationFails_StatusSaysWhy_SelfSignedStillPresented()
        {
            // Pebble checks HTTP-01 on a port nobody listens on.
            int nobody = Loopback.FreePort();
            int tlsPort = Loopback.FreePort();
            int httpPort = Loopback.FreePort();
            using PebbleServer pebble = PebbleServer.Start(nobody, tlsPort);
            using PortalTestHost host = Host(pebble, AcmeClient.Http01, httpPort, tlsPort);
            AcmeService acme = host.App.Certificates.Acme;
            DateTime before = DateTime.UtcNow;
            WaitFor(acme, () => acme.State == AcmeService.StateFailed, pebble);
            StringAssert.Contains(acme.Problem, "could not validate " + Name + " by http-01");
            Assert.IsTrue(acme.NextAttempt >= before + AcmeService.RetryDelay(1) - TimeSpan.FromSeconds(1), "retried after the first wait: " + acme.NextAttempt);
            TlsIdentity current = host.App.Tls;
            Assert.AreEqual(TlsIdentity.OriginMade, current.Origin, "the self-signed one meanwhile");
            Assert.AreEqual(current.Fingerprint, Hex(Presented(tlsPort, Name).Served));
            JsonElement status = Status(host.App);
            Assert.AreEqual("failed", status.GetProperty("acme").GetProperty("state").GetString());
            StringAssert.Contains(status.GetProperty("acme").GetProperty("error").GetString(), "could not validate");
            Assert.AreEqual("made", status.GetProperty("source").GetString());
            Assert.IsTrue(host.Log.Lines.Length > 0 && Array.Exists(host.Log.Lines, l => l.StartsWith("ACME: no certificate for " + Name, StringComparison.Ordinal)));
        }

        private static PortalTestHost Host(PebbleServer pebble, string challenge, int httpPort, int tlsPort, string dataDir = null)
        {
            return new PortalTestHost(tlsChat: true, tlsPort: tlsPort, relayFields: Fields(pebble, challenge, httpPort), networkFields: "\"publicHost\":\"" + Name + "\"",
                beforeStart: app => app.Certificates.Acme.TrustedRoots = pebble.ApiTrust, dataDir: dataDir);
        }

        private static string Fields(PebbleServer pebble, string challenge, int httpPort)
        {
            return "\"acme\":true,\"acmeDirectoryUrl\":\"" + pebble.DirectoryUrl + "\",\"acmeChallenge\":\"" + challenge + "\",\"acmeEmail\":\"volunteer@pigeon.test\",\"httpPort\":" + httpPort + ",";
        }

        private static void WaitFor(AcmeService acme, Func<bool> done, PebbleServer pebble)
        {
            Stopwatch waited = Stopwatch.StartNew();
            while (!done())
            {
                if (waited.Elapsed > TimeSpan.FromSeconds(90))
                {
                    Assert.Fail("ACME state " + acme.State + " (" + acme.Problem + ") after 90 s; Pebble said:\n" + pebble.Log);
                }

                Thread.Sleep(50);
            }
        }

        private static JsonElement Status(HostApp app)
        {
            JsonWriter json = new JsonWriter(512);
            new PortalCertificate(app).WriteStatus(json);
            return JsonDocument.Parse(json.ToString()).RootElement.Clone();
        }

        private static string Hex(X509Certificate2 certificate)
        {
            return Convert.ToHexString(certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256)).ToLowerInvariant();
        }

        /// <summary>The certificate a TLS client asking for <paramref name="sni"/> is shown, and every certificate the server sent.</summary>
        internal static (X509Certificate2 Served, X509Certificate2Collection Sent) Presented(int port, string sni)
        {
            using Socket raw = Loopback.Client(port);
            X509Certificate2Collection sent = new X509Certificate2Collection();
            using System.Net.Security.SslStream tls = new System.Net.Security.SslStream(new NetworkStream(raw, false), false, (_, _, chain, _) =>
            {
                sent.AddRange(chain.ChainPolicy.ExtraStore);
                return true;
            });
            tls.AuthenticateAsClient(new System.Net.Security.SslClientAuthenticationOptions { TargetHost = sni });
            return (X509CertificateLoader.LoadCertificate(tls.RemoteCertificate.GetRawCertData()), sent);
        }
    }
}
