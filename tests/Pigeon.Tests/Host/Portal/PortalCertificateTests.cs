using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Host.Tls;
using Pigeon.Tests.Host.Relay;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Portal
{
    /// <summary>
    /// The certificate on the status page through the real host: "new certificate" changes what
    /// the relay presents to a TLS client on 127.0.0.1, and the private key is in no answer, log
    /// line or /metrics.
    /// </summary>
    [TestClass]
    [DoNotParallelize]
    public class PortalCertificateTests
    {
        private const string AdminPassword = "correct horse battery";

        [TestMethod]
        [Timeout(60000)]
        public void NewCertificate_RelayPresentsTheNewOne_AndNoSecretAnywhere()
        {
            using PortalTestHost host = new PortalTestHost(tlsChat: true);
            using Admin admin = Admin.SetUp(host);
            string keyBefore = File.ReadAllText(Path.Combine(host.DataDir, TlsIdentity.KeyFile));
            string first = Presented(host.TlsPort);
            Assert.AreEqual(host.App.Tls.Fingerprint, first, "the relay presents the made certificate");

            List<byte[]> answers = new List<byte[]>();
            JsonElement before = admin.Status(answers).GetProperty("tls");
            Assert.AreEqual(first, before.GetProperty("sha256").GetString());
            Assert.AreEqual(host.App.Tls.Name, before.GetProperty("name").GetString());
            Assert.IsTrue(before.GetProperty("made").GetBoolean());
            Assert.AreEqual(host.App.Tls.Certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ"), before.GetProperty("notAfter").GetString());
            Assert.AreEqual(host.App.Tls.Certificate.NotBefore.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ"), before.GetProperty("notBefore").GetString());

            Assert.AreEqual(403, admin.Renew(answers, withCsrf: false).Status, "no CSRF token, no renewal");
            Assert.AreEqual(first, Presented(host.TlsPort));

            (int status, JsonElement body) = admin.Renew(answers, withCsrf: true);
            Assert.AreEqual(200, status);
            string second = body.GetProperty("tls").GetProperty("sha256").GetString();
            Assert.AreNotEqual(first, second, "a new certificate");
            Assert.AreEqual(host.App.Tls.Fingerprint, second);
            Assert.AreEqual(second, Presented(host.TlsPort), "a TLS client now sees the new one");
            Assert.AreEqual(second, admin.Status(answers).GetProperty("tls").GetProperty("sha256").GetString());
            string keyAfter = File.ReadAllText(Path.Combine(host.DataDir, TlsIdentity.KeyFile));
            Assert.AreNotEqual(keyBefore, keyAfter, "the key file was replaced");
            CollectionAssert.Contains(host.Log.Lines, "TLS: new certificate " + host.App.Tls.Name + ", SHA-256 " + second);

            answers.Add(admin.Get("/api/config"));
            answers.Add(admin.Get("/metrics"));
            StringAssert.Contains(Encoding.UTF8.GetString(answers[answers.Count - 1]), "pigeon_", "the metrics were served");
            List<byte[]> secrets = new List<byte[]>();
            AddSecrets(keyBefore, secrets);
            AddSecrets(keyAfter, secrets);
            List<byte[]> logged = new List<byte[]>();
            foreach (string line in host.Log.Lines)
            {
                logged.Add(Encoding.UTF8.GetBytes(line));
            }

            AssertNoSecret(answers, secrets, "an answer");
            AssertNoSecret(logged, secrets, "a log line");
        }

        [TestMethod]
        [Timeout(60000)]
        public void NewCertificate_ConfiguredFiles_Is409AndNothingChanges()
        {
            string own = TestFolder.Create();
            try
            {
                using (TlsIdentity.Make(own))
                {
                }

                string fields = "\"tlsCertificateFile\":" + JsonSerializer.Serialize(Path.Combine(own, TlsIdentity.CertificateFile))
                    + ",\"tlsKeyFile\":" + JsonSerializer.Serialize(Path.Combine(own, TlsIdentity.KeyFile)) + ",";
                using PortalTestHost host = new PortalTestHost(tlsChat: true, relayFields: fields);
                using Admin admin = Admin.SetUp(host);
                string presented = Presented(host.TlsPort);
                JsonElement tls = admin.Status(null).GetProperty("tls");
                Assert.IsFalse(tls.GetProperty("made").GetBoolean());
                Assert.AreEqual(presented, tls.GetProperty("sha256").GetString());
                (int status, JsonElement body) = admin.Renew(null, withCsrf: true);
                Assert.AreEqual(409, status);
                StringAssert.StartsWith(body.GetProperty("error").GetString(), "the config names its own certificate");
                Assert.AreEqual(presented, Presented(host.TlsPort), "the configured certificate stays");
                Assert.IsFalse(File.Exists(Path.Combine(host.DataDir, TlsIdentity.KeyFile)), "nothing made in the data folder");
            }
            finally
            {
                Directory.Delete(own, true);
            }
        }

        [TestMethod]
        public void NoTlsRoute_NoCertificateInTheStatus_And404()
        {
            using PortalTestHost host = new PortalTestHost();
            using Admin admin = Admin.SetUp(host);
            JsonElement status = admin.Status(null);
            Assert.IsFalse(status.TryGetProperty("tls", out _));
            Assert.AreEqual(1, status.GetProperty("share").GetProperty("links").GetArrayLength(), "the plain link only");
            Assert.AreEqual(404, admin.Renew(null, withCsrf: true).Status);
        }

        [TestMethod]
        public void TlsPortNotOpen_ItsLinkIsLeftOut_AndTheRouteSaysWhy()
        {
            // The TLS route cannot open (as 443 without the right to bind it): its address is not
            // this machine's (192.0.2.1, TEST-NET-1: the bind fails locally, nothing is sent).
            // A port another program holds stops the start instead (AnotherInstance_...).
            {
                using PortalTestHost host = new PortalTestHost(tlsChat: true, tlsAddress: "192.0.2.1");
                using Admin admin = Admin.SetUp(host);
                JsonElement status = admin.Status(null);
                JsonElement links = status.GetProperty("share").GetProperty("links");
                Assert.AreEqual(1, links.GetArrayLength());
                Assert.IsFalse(links[0].GetProperty("tls").GetBoolean());
                Assert.AreEqual(host.ChatPort, links[0].GetProperty("chatPort").GetInt32());
                Assert.AreEqual(links[0].GetProperty("link").GetString(), status.GetProperty("share").GetProperty("link").GetString());
                JsonElement route = status.GetProperty("relay").GetProperty("routes")[0];
                Assert.IsTrue(route.GetProperty("tls").GetBoolean());
                Assert.IsFalse(route.GetProperty("listening").GetBoolean());
                Assert.IsTrue(route.GetProperty("error").GetString().Length > 0);
            }
        }

        /// <summary>The SHA-256 of the certificate a TLS client on 127.0.0.1 is shown.</summary>
        private static string Presented(int port)
        {
            using Socket raw = Loopback.Client(port);
            using SslStream client = LoopbackRig.TlsClient(raw, "anything.example");
            return Convert.ToHexString(client.RemoteCertificate.GetCertHash(HashAlgorithmName.SHA256)).ToLowerInvariant();
        }

        // What of a key must never be seen: the PEM's words and base64 (whole and each line), the
        // PKCS#8 bytes, and the private scalar as bytes, hex and base64.
        private static void AddSecrets(string pem, List<byte[]> secrets)
        {
            secrets.Add(Encoding.ASCII.GetBytes("PRIVATE KEY"));
            List<string> lines = new List<string>();
            foreach (string line in pem.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!line.StartsWith("-----", StringComparison.Ordinal))
                {
                    lines.Add(line);
                    secrets.Add(Encoding.ASCII.GetBytes(line));
                }
            }

            byte[] der = Convert.FromBase64String(string.Concat(lines));
            secrets.Add(der);
            using ECDsa key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(der, out _);
            byte[] d = key.ExportParameters(true).D;
            Assert.AreEqual(32, d.Length);
            secrets.Add(d);
            secrets.Add(Encoding.ASCII.GetBytes(Convert.ToHexString(d)));
            secrets.Add(Encoding.ASCII.GetBytes(Convert.ToHexString(d).ToLowerInvariant()));
            secrets.Add(Encoding.ASCII.GetBytes(Convert.ToBase64String(d)));
        }

        private static void AssertNoSecret(List<byte[]> haystacks, List<byte[]> secrets, string what)
        {
            Assert.IsTrue(haystacks.Count > 0);
            foreach (byte[] haystack in haystacks)
            {
                foreach (byte[] secret in secrets)
                {
                    Assert.AreEqual(-1, haystack.AsSpan().IndexOf(secret), what + " holds a piece of the private key: " + Encoding.UTF8.GetString(haystack));
                }
            }
        }

        /// <summary>An admin browser without a browser: cookie, CSRF token, JSON requests.</summary>
        private sealed class Admin : IDisposable
        {
            private readonly HttpClient _client;
            private readonly string _base;
            private readonly string _csrf;

            private Admin(HttpClient client, string baseUrl, string csrf)
            {
                _client = client;
                _base = baseUrl;
                _csrf = csrf;
            }

            public static Admin SetUp(PortalTestHost host)
            {
                HttpClient client = new HttpClient(new HttpClientHandler { UseCookies = true });
                HttpResponseMessage r = client.PostAsync(host.BaseUrl + "api/admin-password",
                    new StringContent("{\"password\":\"" + AdminPassword + "\"}", Encoding.UTF8, "application/json")).Result;
                Assert.AreEqual(200, (int)r.StatusCode);
                string csrf = JsonDocument.Parse(r.Content.ReadAsStringAsync().Result).RootElement.GetProperty("csrf").GetString();
                return new Admin(client, host.BaseUrl, csrf);
            }

            public byte[] Get(string path)
            {
                HttpResponseMessage r = _client.GetAsync(_base + path.TrimStart('/')).Result;
                Assert.AreEqual(200, (int)r.StatusCode, path);
                return r.Content.ReadAsByteArrayAsync().Result;
            }

            public JsonElement Status(List<byte[]> answers)
            {
                byte[] body = Get("/api/status");
                answers?.Add(body);
                return JsonDocument.Parse(body).RootElement;
            }

            public (int Status, JsonElement Body) Renew(List<byte[]> answers, bool withCsrf)
            {
                HttpRequestMessage post = new HttpRequestMessage(HttpMethod.Post, _base + "api/tls/new-certificate")
                {
                    Content = new StringContent("{}", Encoding.UTF8, "application/json"),
                };
                if (withCsrf)
                {
                    post.Headers.Add("X-CSRF-Token", _csrf);
                }

                HttpResponseMessage r = _client.Send(post);
                byte[] body = r.Content.ReadAsByteArrayAsync().Result;
                answers?.Add(body);
                return ((int)r.StatusCode, JsonDocument.Parse(body).RootElement);
            }

            public void Dispose()
            {
                _client.Dispose();
            }
        }
    }
}
