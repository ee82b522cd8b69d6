using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Json;
using Pigeon.Portal;
using Pigeon.Tests.Portal;

namespace Pigeon.Tests.Host.Portal
{
    // Inside the namespace: Json and Text would otherwise name the namespaces Pigeon.Json and Pigeon.Text.
    using static PortalCalls;

    /// <summary>
    /// Host-only (a board terminates no TLS, and the status it writes is the host's
    /// TlsStatusWriter): the certificate in /api/status ("tls") and POST /api/tls/new-certificate.
    /// </summary>
    [TestClass]
    public class PortalTlsTests
    {
        private const string Renew = "/api/tls/new-certificate";

        [TestMethod]
        public void Status_WithoutASource_HasNoTlsMember()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            Assert.IsNull(Json(Get(api, "/api/status", s[0])).Get("tls"));
        }

        [TestMethod]
        public void Status_NameFingerprintDatesAndMade_NothingElse()
        {
            FakePortalBackend b = new FakePortalBackend(false);
            PortalApi api = NewApi(b);
            api.Tls = new FakeTlsCertificate(true);
            string[] s = SetUp(api);
            JsonNode tls = Json(Get(api, "/api/status", s[0])).Get("tls");
            Assert.IsNotNull(tls);
            Assert.AreEqual("kq7vhzmt.net", tls.Get("name").Text);
            Assert.AreEqual("3f0a5e2c9b7d41e8a6c0f3b2d9e8175a4c6b0e2f9d8a7c6b5e4f3a2b1c0d9e8f", tls.Get("sha256").Text);
            Assert.AreEqual("2026-03-02T10:04:11Z", tls.Get("notBefore").Text);
            Assert.AreEqual("2027-03-20T09:05:07Z", tls.Get("notAfter").Text);
            Assert.IsTrue(tls.Get("made").IsTrue);
            Assert.AreEqual(5, tls.Count, "name, sha256, notBefore, notAfter, made: nothing of the key");
        }

        [TestMethod]
        public void NewCertificate_Made_IsReplacedAndTheAnswerAndStatusShowTheNewOne()
        {
            FakePortalBackend b = new FakePortalBackend(false);
            PortalApi api = NewApi(b);
            FakeTlsCertificate certificate = new FakeTlsCertificate(true);
            api.Tls = certificate;
            string[] s = SetUp(api);
            HttpResponse r = Post(api, Renew, "{}", s[0], s[1]);
            Assert.AreEqual(200, r.Status, Text(r));
            Assert.AreEqual(1, certificate.Renewals);
            JsonNode answer = Json(r);
            Assert.IsTrue(answer.Get("ok").IsTrue);
            Assert.AreEqual("renewed1.example", answer.Get("tls").Get("name").Text);
            Assert.AreEqual(certificate.Fingerprint, answer.Get("tls").Get("sha256").Text);
            Assert.AreEqual(certificate.Fingerprint, Json(Get(api, "/api/status", s[0])).Get("tls").Get("sha256").Text);
            Assert.AreEqual(200, Post(api, Renew, "{}", s[0], s[1]).Status);
            Assert.AreEqual("renewed2.example", Json(Get(api, "/api/status", s[0])).Get("tls").Get("name").Text);
        }

        [TestMethod]
        public void NewCertificate_ConfiguredFiles_Is409WithTheReason()
        {
            FakePortalBackend b = new FakePortalBackend(false);
            PortalApi api = NewApi(b);
            FakeTlsCertificate certificate = new FakeTlsCertificate(false);
            api.Tls = certificate;
            string[] s = SetUp(api);
            HttpResponse r = Post(api, Renew, "{}", s[0], s[1]);
            Assert.AreEqual(409, r.Status);
            Assert.AreEqual(FakeTlsCertificate.ConfiguredReason, Json(r).Get("error").Text);
            Assert.IsFalse(Json(Get(api, "/api/status", s[0])).Get("tls").Get("made").IsTrue);
        }

        [TestMethod]
        public void NewCertificate_NoRouteTerminatesTls_Is404()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            HttpResponse r = Post(api, Renew, "{}", s[0], s[1]);
            Assert.AreEqual(404, r.Status);
            Assert.IsTrue(Json(r).Get("error").Text.IndexOf("no route terminates TLS") == 0, Text(r));
        }

        [TestMethod]
        public void NewCertificate_EveryPostRule_RefusedWithoutRenewing()
        {
            FakePortalBackend b = new FakePortalBackend(false);
            PortalApi api = NewApi(b);
            FakeTlsCertificate certificate = new FakeTlsCertificate(true);
            api.Tls = certificate;
            Assert.AreEqual(403, Post(api, Renew, "{}", null, null).Status, "before an admin password exists");
            string[] s = SetUp(api);
            Assert.AreEqual(401, Post(api, Renew, "{}", null, null).Status, "no session");
            Assert.AreEqual(401, Post(api, Renew, "{}", "pigeon_session=00000000000000000000000000000000", s[1]).Status, "a made-up session");
            Assert.AreEqual(403, Post(api, Renew, "{}", s[0], null).Status, "no CSRF token");
            Assert.AreEqual(403, Post(api, Renew, "{}", s[0], "0123456789abcdef0123456789abcdef").Status, "a wrong CSRF token");
            string form = "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2\r\n\r\n{}";
            Assert.AreEqual(415, Call(api, "POST", Renew, null, s[0], s[1], form).Status, "not JSON");
            Assert.AreEqual(403, Call(api, "POST", Renew, "{}", s[0], s[1], "Origin: http://evil.example\r\n").Status, "another site");
            Assert.AreEqual(400, Post(api, Renew, "[]", s[0], s[1]).Status, "not a JSON object");
            Assert.AreEqual(405, Get(api, Renew, s[0]).Status, "GET");
            Assert.AreEqual(0, certificate.Renewals);
            Assert.AreEqual(200, Post(api, Renew, "{}", s[0], s[1]).Status, "all rules met");
            Assert.AreEqual(1, certificate.Renewals);
        }
    }
}
