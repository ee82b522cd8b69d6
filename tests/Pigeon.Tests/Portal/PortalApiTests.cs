// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;
using Pigeon.Json;
using Pigeon.Portal;
using Pigeon.Tests.Support;
using Pigeon.Text;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Portal
{
    // Inside the namespace: Json and Text would otherwise name the namespaces Pigeon.Json and Pigeon.Text.
    using static PortalCalls;

    /// <summary>Every API route: auth, CSRF, redaction, validation errors, rate limiting.</summary>
    [TestClass]
    public class PortalApiTests
    {
        [TestMethod]
        public void Status_BeforePassword_IsOpenAndSaysSo()
        {
            FakePortalBackend b = new FakePortalBackend();
            b.SetupMode = true;
            HttpResponse r = Get(NewApi(b), "/api/status", null);
            Assert.AreEqual(200, r.Status);
            JsonNode j = Json(r);
            Assert.IsFalse(j.Get("passwordSet").IsTrue);
            Assert.AreEqual("setup", j.Get("mode").Text);
            Assert.IsFalse(j.Get("relay").Get("up").IsTrue);
            Assert.AreEqual(-60, Int(j.Get("wifi").Get("rssi")));
        }

        [TestMethod]
        public void Status_AfterPasswordWithoutSession_IsUnauthorized()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            SetUp(api);
            HttpResponse r = Get(api, "/api/status", null);
            Assert.AreEqual(401, r.Status);
            Assert.IsTrue(Json(r).Get("passwordSet").IsTrue);
            Assert.AreEqual(401, Get(api, "/api/config", null).Status);
            Assert.AreEqual(401, Get(api, "/api/wifi/scan", null).Status);
            Assert.AreEqual(401, Get(api, "/api/status", "pigeon_session=00000000000000000000000000000000").Status);
        }

        [TestMethod]
        public void Status_ShareLink_UsesBestAddressWhenNoPublicHost()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            JsonNode share = Json(Get(api, "/api/status", s[0])).Get("share");
            Assert.AreEqual("192.168.1.20", share.Get("host").Text);
            Assert.AreEqual("best-known", share.Get("hostSource").Text);
            Assert.AreEqual(5222, Int(share.Get("chatPort")));
            Assert.AreEqual(7777, Int(share.Get("mediaPort")));
            Assert.AreEqual("https://wa.me/proxy?host=192.168.1.20&chatPort=5222&mediaPort=7777&chatTLS=false", share.Get("link").Text);
        }

        [TestMethod]
        public void Status_ShareLink_PrefersReachPublicAddressToBestAddress()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            api.Reach = new FakeReachStatus("{\"shareHost\":\"81.2.69.160\"}", "81.2.69.160");
            string[] s = SetUp(api);
            JsonNode status = Json(Get(api, "/api/status", s[0]));
            JsonNode share = status.Get("share");
            Assert.AreEqual("81.2.69.160", share.Get("host").Text);
            Assert.AreEqual("public", share.Get("hostSource").Text);
            Assert.AreEqual("https://wa.me/proxy?host=81.2.69.160&chatPort=5222&mediaPort=7777&chatTLS=false", share.Get("link").Text);
            Assert.AreEqual("81.2.69.160", status.Get("reach").Get("shareHost").Text);
        }

        [TestMethod]
        public void Status_DailySummary_IsTheLineWhenSetAndAbsentWithout()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            Assert.IsNull(Json(Get(api, "/api/status", s[0])).Get("last24h"), "no summary source: no member");
            const string Line = "last 24 h: 41 sessions served, 230.5 MB relayed, 3 refused (mostly: relay full)";
            api.Summary = new FakeDailySummary(Line);
            Assert.AreEqual(Line, Json(Get(api, "/api/status", s[0])).Get("last24h").Text);
        }

        [TestMethod]
        public void Status_ShareLink_WithoutReachPublicAddressIsBestKnown()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            api.Reach = new FakeReachStatus("{\"shareHost\":null}", null);
            string[] s = SetUp(api);
            JsonNode share = Json(Get(api, "/api/status", s[0])).Get("share");
            Assert.AreEqual("192.168.1.20", share.Get("host").Text);
            Assert.AreEqual("best-known", share.Get("hostSource").Text);
        }

        [TestMethod]
        public void Status_ShareLink_ConfiguredPublicHostBeatsReachAddress()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            api.Reach = new FakeReachStatus("{}", "81.2.69.160");
            string[] s = SetUp(api);
            Assert.AreEqual(200, Post(api, "/api/config", "{\"network\":{\"publicHost\":\"relay.example.org\"}}", s[0], s[1]).Status);
            JsonNode share = Json(Get(api, "/api/status", s[0])).Get("share");
            Assert.AreEqual("relay.example.org", share.Get("host").Text);
            Assert.AreEqual("configured", share.Get("hostSource").Text);
        }

        [TestMethod]
        public void Status_ShareLink_UsesConfiguredPublicHost()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            Assert.AreEqual(200, Post(api, "/api/config", "{\"network\":{\"publicHost\":\"relay.example.org\"},\"relay\":{\"chatPorts\":[5222],\"mediaPorts\":[7777]}}", s[0], s[1]).Status);
            JsonNode share = Json(Get(api, "/api/status", s[0])).Get("share");
            Assert.AreEqual("configured", share.Get("hostSource").Text);
            Assert.AreEqual("https://wa.me/proxy?host=relay.example.org&chatPort=5222&mediaPort=7777&chatTLS=false", share.Get("link").Text);
        }

        [TestMethod]
        public void AdminPassword_First_SetsStrictHttpOnlyCookieAndCsrf()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            HttpResponse r = Post(api, "/api/admin-password", "{\"password\":\"" + Password + "\"}", null, null);
            Assert.AreEqual(200, r.Status);
            Assert.IsTrue(b.IsAdminPasswordSet);
            Assert.IsTrue(r.SetCookie.StartsWith("pigeon_session="));
            Assert.IsTrue(r.SetCookie.IndexOf("; HttpOnly") > 0);
            Assert.IsTrue(r.SetCookie.IndexOf("; SameSite=Strict") > 0);
            Assert.AreEqual(32, Json(r).Get("csrf").Text.Length);
            Assert.IsTrue(Text(r).IndexOf(Password) < 0);
        }

        [TestMethod]
        [DataRow("{\"password\":\"short\"}")]
        [DataRow("{\"password\":\"\"}")]
        [DataRow("{\"password\":12345678}")]
        [DataRow("{}")]
        public void AdminPassword_Invalid_IsFieldError(string body)
        {
            FakePortalBackend b = new FakePortalBackend();
            HttpResponse r = Post(NewApi(b), "/api/admin-password", body, null, null);
            Assert.AreEqual(422, r.Status);
            Assert.AreEqual("password", Json(r).Get("errors")[0].Get("path").Text);
            Assert.IsFalse(b.IsAdminPasswordSet);
        }

        [TestMethod]
        public void AdminPassword_SecondTimeWithoutSession_IsUnauthorized()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            SetUp(api);
            HttpResponse r = Post(api, "/api/admin-password", "{\"password\":\"takeover123\"}", null, null);
            Assert.AreEqual(401, r.Status);
            Assert.IsTrue(b.VerifyAdminPassword(Password));
        }

        [TestMethod]
        public void AdminPassword_Change_NeedsCurrentAndEndsOtherSessions()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            HttpResponse wrong = Post(api, "/api/admin-password", "{\"currentPassword\":\"nope nope\",\"password\":\"new password 1\"}", s[0], s[1]);
            Assert.AreEqual(422, wrong.Status);
            Assert.AreEqual("currentPassword", Json(wrong).Get("errors")[0].Get("path").Text);
            HttpResponse ok = Post(api, "/api/admin-password", "{\"currentPassword\":\"" + Password + "\",\"password\":\"new password 1\"}", s[0], s[1]);
            Assert.AreEqual(200, ok.Status);
            Assert.IsTrue(b.VerifyAdminPassword("new password 1"));
            Assert.AreEqual(401, Get(api, "/api/status", s[0]).Status);
            Assert.AreEqual(200, Get(api, "/api/status", CookieOf(ok)).Status);
        }

        [TestMethod]
        public void Config_PostBeforePassword_IsForbidden()
        {
            FakePortalBackend b = new FakePortalBackend();
            HttpResponse r = Post(NewApi(b), "/api/config", "{\"wifi\":{\"ssid\":\"x\"}}", null, null);
            Assert.AreEqual(403, r.Status);
            Assert.AreEqual(0, b.Saves);
            Assert.AreEqual(403, Post(NewApi(b), "/api/factory-reset", "{\"confirm\":\"factory-reset\"}", null, null).Status);
            Assert.AreEqual(0, b.Resets);
        }

        [TestMethod]
        public void Login_WrongThenRight_RefusesThenStartsSession()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            SetUp(api);
            HttpResponse wrong = Post(api, "/api/login", "{\"password\":\"wrong password\"}", null, null);
            Assert.AreEqual(401, wrong.Status);
            Assert.IsNull(wrong.SetCookie);
            HttpResponse right = Post(api, "/api/login", "{\"password\":\"" + Password + "\"}", null, null);
            Assert.AreEqual(200, right.Status);
            Assert.AreEqual(200, Get(api, "/api/status", CookieOf(right)).Status);
        }

        [TestMethod]
        public void Login_BeforePassword_IsConflict()
        {
            FakePortalBackend b = new FakePortalBackend();
            Assert.AreEqual(409, Post(NewApi(b), "/api/login", "{\"password\":\"anything1\"}", null, null).Status);
        }

        [TestMethod]
        public void Login_AfterFiveWrong_IsRateLimitedEvenForTheRightPassword()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            SetUp(api);
            for (int i = 0; i < LoginLimiter.FreeAttempts; i++)
            {
                Assert.AreEqual(401, Post(api, "/api/login", "{\"password\":\"guess " + i.ToString() + "\"}", null, null).Status);
            }

            HttpResponse limited = Post(api, "/api/login", "{\"password\":\"" + Password + "\"}", null, null);
            Assert.AreEqual(429, limited.Status);
            Assert.AreEqual(30, limited.RetryAfterSeconds);
            b.Now += LoginLimiter.FirstLockMs + 1;
            Assert.AreEqual(200, Post(api, "/api/login", "{\"password\":\"" + Password + "\"}", null, null).Status);
        }

        [TestMethod]
        public void Login_LockDoubles_UpToTheCap()
        {
            LoginLimiter limiter = new LoginLimiter();
            int wait;
            for (int i = 0; i < 20; i++)
            {
                limiter.Failed(7, 0);
            }

            Assert.IsFalse(limiter.IsAllowed(7, LoginLimiter.MaxLockMs - 1, out wait));
            Assert.AreEqual(1, wait);
            Assert.IsTrue(limiter.IsAllowed(7, LoginLimiter.MaxLockMs, out wait));
        }

        [TestMethod]
        public void Login_LockIsPerAddress_RightPasswordClearsOnlyItsOwn()
        {
            LoginLimiter limiter = new LoginLimiter();
            int wait;
            for (int i = 0; i < LoginLimiter.FreeAttempts; i++)
            {
                Assert.IsTrue(limiter.IsAllowed(0x7F000003, 1000, out wait));
                limiter.Failed(0x7F000003, 1000);
            }

            Assert.IsFalse(limiter.IsAllowed(0x7F000003, 1000, out wait), "the guesser waits");
            Assert.AreEqual(LoginLimiter.FirstLockMs / 1000, wait);
            Assert.IsTrue(limiter.IsAllowed(0x7F000002, 1000, out wait), "the owner does not");
            limiter.Succeeded(0x7F000002, 1000);
            Assert.IsFalse(limiter.IsAllowed(0x7F000003, 1000, out wait), "the owner's success clears only the owner");
        }

        [TestMethod]
        public void Login_ManyAddresses_StopAtTheGlobalCeilingUntilTheWindowEnds()
        {
            LoginLimiter limiter = new LoginLimiter();
            int wait;
            for (int i = 0; i < LoginLimiter.GlobalCeiling; i++)
            {
                limiter.Failed((uint)(0x0A000000 + (i / 3)), 5000); // three guesses from each of ten addresses
            }

            Assert.IsFalse(limiter.IsAllowed(0x7F000002, 5000, out wait), "every login waits once the ceiling is reached");
            Assert.AreEqual(LoginLimiter.GlobalWindowMs / 1000, wait);
            Assert.IsTrue(limiter.IsAllowed(0x7F000002, 5000 + LoginLimiter.GlobalWindowMs, out wait));
        }

        [TestMethod]
        public void Login_Addresses_AreForgottenWhenTheirLimitIsOver()
        {
            LoginLimiter limiter = new LoginLimiter();
            int wait;
            for (int i = 0; i < LoginLimiter.FreeAttempts; i++)
            {
                limiter.Failed(9, 0);
            }

            // More addresses than the table holds (and fewer wrong passwords than the global
            // ceiling): unlocked records make room, the locked one stays.
            for (int a = 0; a < LoginLimiter.Tracked + 4; a++)
            {
                limiter.Failed((uint)(100 + a), 1);
            }

            Assert.IsFalse(limiter.IsAllowed(9, LoginLimiter.FirstLockMs - 1, out wait), "address 9 is still locked");
            Assert.IsTrue(limiter.IsAllowed(9, LoginLimiter.FirstLockMs, out wait), "address 9's lock is over");

            // Long after its last wrong password the address is forgotten: its count starts again.
            long later = LoginLimiter.MaxLockMs + LoginLimiter.GlobalWindowMs;
            limiter.Failed(9, later);
            Assert.IsTrue(limiter.IsAllowed(9, later, out wait), "one wrong password, not six");
        }

        [TestMethod]
        public void Session_IdleTooLong_Expires()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            b.Now += PortalSessions.IdleMs + 1;
            Assert.AreEqual(401, Get(api, "/api/status", s[0]).Status);
        }

        [TestMethod]
        public void Post_WithoutOrWithWrongCsrf_IsForbidden()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            Assert.AreEqual(403, Post(api, "/api/config", "{\"wifi\":{\"ssid\":\"x\"}}", s[0], null).Status);
            Assert.AreEqual(403, Post(api, "/api/config", "{\"wifi\":{\"ssid\":\"x\"}}", s[0], "0123456789abcdef0123456789abcdef").Status);
            Assert.AreEqual(403, Post(api, "/api/factory-reset", "{\"confirm\":\"factory-reset\"}", s[0], "").Status);
            Assert.AreEqual(403, Post(api, "/api/logout", "{}", s[0], s[0]).Status);
            Assert.AreEqual(0, b.Saves);
            Assert.AreEqual(0, b.Resets);
        }

        [TestMethod]
        public void Post_NotJson_IsUnsupportedMediaType()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            string head = "Content-Type: text/plain\r\nContent-Length: 2\r\n";
            HttpResponse r = Call(api, "POST", "/api/config", null, s[0], s[1], head + "\r\n");
            Assert.AreEqual(415, r.Status);
        }

        [TestMethod]
        public void Post_FromForeignOrigin_IsForbidden()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            HttpResponse r = Call(api, "POST", "/api/admin-password", "{\"password\":\"evil password\"}", null, null, "Origin: http://evil.example\r\n");
            Assert.AreEqual(403, r.Status);
            Assert.IsFalse(b.IsAdminPasswordSet);
            HttpResponse same = Call(api, "POST", "/api/admin-password", "{\"password\":\"good password\"}", null, null, "Origin: http://192.168.4.1\r\n");
            Assert.AreEqual(200, same.Status);
        }

        [TestMethod]
        [DataRow("not json")]
        [DataRow("[1,2]")]
        [DataRow("{\"a\":1,}")]
        public void Post_MalformedBody_IsBadRequest(string body)
        {
            FakePortalBackend b = new FakePortalBackend();
            Assert.AreEqual(400, Post(NewApi(b), "/api/admin-password", body, null, null).Status);
        }

        [TestMethod]
        public void Config_DuplicateKey_IsRefusedLikeTheConfigFile()
        {
            // Issue 13, item 7: {"ssid":"a","ssid":"b"} was saved as "b"; the config file reader refuses it.
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            HttpResponse r = Post(api, "/api/config", "{\"wifi\":{\"ssid\":\"a\",\"ssid\":\"b\"}}", s[0], s[1]);
            Assert.AreEqual(400, r.Status);
            Assert.AreEqual(0, b.Saves);
            Assert.IsTrue(Json(r).Get("error").Text.IndexOf("twice") >= 0, Text(r));
        }

        [TestMethod]
        public void Config_LoneSurrogate_EscapedOrRaw_IsRefusedAlike()
        {
            // Issue 13, item 7: "\ud800" was saved as U+FFFD while the raw bytes ED A0 80 got 400.
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            HttpResponse escaped = Post(api, "/api/config", "{\"wifi\":{\"ssid\":\"a\\ud800b\"}}", s[0], s[1]);
            HttpResponse raw = PostBytes(api, "/api/config", Bytes.Concat(Bytes.Ascii("{\"wifi\":{\"ssid\":\"a"), Bytes.Concat(Bytes.Hex("ED A0 80"), Bytes.Ascii("b\"}}"))), s[0], s[1]);
            HttpResponse lowFirst = Post(api, "/api/config", "{\"wifi\":{\"ssid\":\"\\udc00\\ud800\"}}", s[0], s[1]);
            Assert.AreEqual(400, raw.Status);
            Assert.AreEqual(400, escaped.Status);
            Assert.AreEqual(400, lowFirst.Status);
            Assert.AreEqual(0, b.Saves);
            HttpResponse pair = Post(api, "/api/config", "{\"wifi\":{\"ssid\":\"\\ud83d\\udc26\"}}", s[0], s[1]);
            Assert.AreEqual(200, pair.Status, Text(pair));
        }

        [TestMethod]
        public void Config_Save_ChangesSsidPasswordAndPorts()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            HttpResponse r = Post(api, "/api/config", "{\"wifi\":{\"ssid\":\"Home \u00e9\",\"password\":\"wifi password\"},\"relay\":{\"chatPorts\":[443,5222,8443],\"mediaPorts\":[587]}}", s[0], s[1]);
            Assert.AreEqual(200, r.Status);
            Assert.AreEqual(1, b.Saves);
            PigeonConfig c = b.Stored;
            Assert.AreEqual("Home \u00e9", c.Wifi.Ssid);
            Assert.AreEqual("wifi password", c.Wifi.Password);
            Assert.AreEqual(4, c.Relay.Routes.Length);
            Assert.AreEqual("chat-8443", c.Relay.Routes[2].Name);
            Assert.AreEqual(8443, c.Relay.Routes[2].ListenPort);
            Assert.AreEqual("g.whatsapp.net", c.Relay.Routes[2].UpstreamHost);
            Assert.AreEqual(587, c.Relay.Routes[3].ListenPort);
            Assert.IsTrue(c.Relay.Routes[3].AllowedSni.Length > 0);
        }

        [TestMethod]
        public void Config_PortsInAnotherOrder_EachPortKeepsItsRoute()
        {
            // The host's defaults: chat 443 terminates TLS, 5222 is plain. Typing the ports the
            // other way round must not move TLS to 5222.
            FakePortalBackend b = new FakePortalBackend(false);
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            Assert.AreEqual(200, Post(api, "/api/config", "{\"relay\":{\"chatPorts\":[5222,443]}}", s[0], s[1]).Status);
            RouteConfig[] routes = b.Stored.Relay.Routes;
            Assert.AreEqual(5222, routes[0].ListenPort);
            Assert.IsFalse(routes[0].TerminateTls, "5222 stays plain");
            Assert.AreEqual(443, routes[1].ListenPort);
            Assert.IsTrue(routes[1].TerminateTls, "443 keeps its TLS");

            // A new port takes over the route whose port is gone (5222's settings), 443 stays.
            Assert.AreEqual(200, Post(api, "/api/config", "{\"relay\":{\"chatPorts\":[443,5223]}}", s[0], s[1]).Status);
            routes = b.Stored.Relay.Routes;
            Assert.IsTrue(routes[0].TerminateTls);
            Assert.AreEqual(5223, routes[1].ListenPort);
            Assert.IsFalse(routes[1].TerminateTls);
            Assert.AreEqual("chat-5223", routes[1].Name);
        }

        [TestMethod]
        public void Config_OmittedPassword_KeepsTheStoredOne()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            Post(api, "/api/config", "{\"wifi\":{\"ssid\":\"A\",\"password\":\"first password\"}}", s[0], s[1]);
            Post(api, "/api/config", "{\"wifi\":{\"ssid\":\"B\"}}", s[0], s[1]);
            Assert.AreEqual("B", b.Stored.Wifi.Ssid);
            Assert.AreEqual("first password", b.Stored.Wifi.Password);
        }

        [TestMethod]
        public void Config_InvalidFields_AreReportedByPath()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            string body = "{\"wifi\":{\"ssid\":\"123456789012345678901234567890123\",\"password\":\"short\"},"
                + "\"relay\":{\"chatPorts\":[443,\"abc\"],\"mediaPorts\":[70000]},"
                + "\"network\":{\"publicHost\":\"bad host!\"},\"portal\":{\"listenAddress\":\"lan\"},\"bogus\":{}}";
            HttpResponse r = Post(api, "/api/config", body, s[0], s[1]);
            Assert.AreEqual(422, r.Status);
            Assert.AreEqual(0, b.Saves);
            ValidationReport errors = ErrorsOf(r);
            Assert.IsNotNull(MessageAt(errors, "wifi.ssid"));
            Assert.IsNotNull(MessageAt(errors, "wifi.password"));
            Assert.IsNotNull(MessageAt(errors, "relay.chatPorts[1]"));
            Assert.IsNotNull(MessageAt(errors, "relay.mediaPorts[0]"));
            Assert.IsNotNull(MessageAt(errors, "network.publicHost"));
            Assert.IsNotNull(MessageAt(errors, "portal.listenAddress"));
            Assert.IsNotNull(MessageAt(errors, "bogus"));
        }

        [TestMethod]
        [DataRow("{\"wifi\":{\"password\":\"short\"}}", "{\"wifi\":{\"ssid\":\"x\",\"password\":\"short\"}}", "wifi.password")]
        [DataRow("{\"setupAp\":{\"channel\":\"6\"}}", "{\"setupAp\":{\"channel\":\"6\"}}", "setupAp.channel")]
        [DataRow("{\"network\":{\"metricsToken\":\"too-short\"}}", "{\"network\":{\"metricsToken\":\"too-short\"}}", "network.metricsToken")]
        [DataRow("{\"network\":{\"dynDnsPassword\":\"a\\u0007b\"}}", "{\"network\":{\"dynDnsPassword\":\"a\\u0007b\"}}", "network.dynDnsPassword")]
        [DataRow("{\"network\":{\"publicHost\":\"bad host!\"}}", "{\"network\":{\"publicHost\":\"bad host!\"}}", "network.publicHost")]
        public void Config_OneRuleOneMessage_AsTheConfigFileSays(string body, string file, string path)
        {
            // The portal's change is read by the config's mapper and checked by its validator: the
            // same mistake gets the same message at the same path as in config.json.
            ValidationReport fromFile = new ValidationReport();
            PigeonConfig c = ConfigText.Read(file, true, fromFile);
            if (c != null)
            {
                ConfigValidator.Validate(c, true, fromFile);
            }

            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            HttpResponse r = Post(api, "/api/config", body, s[0], s[1]);
            string expected = null;
            for (int i = 0; i < fromFile.ErrorCount && expected == null; i++)
            {
                expected = fromFile.GetError(i).Path == path ? fromFile.GetError(i).Message : null;
            }

            Assert.IsNotNull(expected, ConfigText.Describe(fromFile));
            Assert.AreEqual(expected, MessageAt(ErrorsOf(r), path), Text(r));
            Assert.AreEqual(0, b.Saves);
        }

        [TestMethod]
        public void Config_DuplicatePortsOrPortalOnRelayPort_AreRefused()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            ValidationReport dup = ErrorsOf(Post(api, "/api/config", "{\"relay\":{\"chatPorts\":[443],\"mediaPorts\":[443]}}", s[0], s[1]));
            Assert.IsNotNull(MessageAt(dup, "relay.mediaPorts[0]"), Text(Post(api, "/api/config", "{\"relay\":{\"chatPorts\":[443],\"mediaPorts\":[443]}}", s[0], s[1])));
            ValidationReport portal = ErrorsOf(Post(api, "/api/config", "{\"relay\":{\"chatPorts\":[80]}}", s[0], s[1]));
            Assert.IsTrue(MessageAt(portal, "portal.port").IndexOf("port 80 is already used by relay.routes[0] (\"chat-80\")") == 0, MessageAt(portal, "portal.port"));
            Assert.AreEqual(0, b.Saves);
        }

        [TestMethod]
        public void Config_BackendRefusal_IsReportedByPath()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            b.Files.CutAfter(0); // the storage fails every write
            HttpResponse r = Post(api, "/api/config", "{\"network\":{\"publicHost\":\"relay.example.org\"}}", s[0], s[1]);
            b.Files.PowerOn();
            Assert.AreEqual(422, r.Status);
            Assert.IsTrue(MessageAt(ErrorsOf(r), "").IndexOf("could not be written to storage") >= 0, Text(r));
            Assert.AreEqual(0, b.Saves);
            Assert.AreEqual("", b.Stored.Network.PublicHost);
        }

        [TestMethod]
        public void Config_Get_RedactsEverySecret()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            Post(api, "/api/config", "{\"wifi\":{\"ssid\":\"Home\",\"password\":\"wifi-secret-1\"},\"setupAp\":{\"password\":\"ap-secret-22\"},\"network\":{\"dynDnsPassword\":\"dyn-secret-333\"}}", s[0], s[1]);
            HttpResponse r = Get(api, "/api/config", s[0]);
            Assert.AreEqual(200, r.Status);
            string text = Text(r);
            Assert.IsTrue(text.IndexOf("wifi-secret-1") < 0);
            Assert.IsTrue(text.IndexOf("ap-secret-22") < 0);
            Assert.IsTrue(text.IndexOf("dyn-secret-333") < 0);
            Assert.IsTrue(text.IndexOf(Password) < 0);
            JsonNode j = Json(r);
            Assert.IsTrue(j.Get("wifi").Get("passwordSet").IsTrue);
            Assert.IsTrue(j.Get("setupAp").Get("passwordSet").IsTrue);
            Assert.IsTrue(j.Get("network").Get("dynDnsPasswordSet").IsTrue);
            Assert.IsNull(j.Get("wifi").Get("password"));
            Assert.AreEqual(5222, Int(j.Get("relay").Get("chatPorts")[0]));
            Assert.AreEqual(7777, Int(j.Get("relay").Get("mediaPorts")[0]));
        }

        [TestMethod]
        public void WifiScan_MarkupSsid_IsEscapedData()
        {
            FakePortalBackend b = new FakePortalBackend();
            WifiNetwork evil = new WifiNetwork();
            evil.Ssid = "<img src=x onerror=alert(1)>";
            evil.Rssi = -40;
            evil.Secure = true;
            b.Networks = new WifiNetwork[] { evil };
            HttpResponse r = Get(NewApi(b), "/api/wifi/scan", null);
            Assert.AreEqual(200, r.Status);
            string text = Text(r);
            Assert.IsTrue(text.IndexOf("<img") < 0);
            Assert.IsTrue(text.IndexOf("\\u003cimg src=x onerror=alert(1)\\u003e") > 0);
            Assert.AreEqual("<img src=x onerror=alert(1)>", Json(r).Get("networks")[0].Get("ssid").Text);
        }

        [TestMethod]
        public void FactoryReset_NeedsConfirmationThenResetsAndLogsOut()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            HttpResponse unconfirmed = Post(api, "/api/factory-reset", "{}", s[0], s[1]);
            Assert.AreEqual(422, unconfirmed.Status);
            Assert.AreEqual(0, b.Resets);
            HttpResponse r = Post(api, "/api/factory-reset", "{\"confirm\":\"factory-reset\"}", s[0], s[1]);
            Assert.AreEqual(200, r.Status);
            Assert.AreEqual(1, b.Resets);
            Assert.IsFalse(b.IsAdminPasswordSet);
            Assert.IsTrue(r.SetCookie.IndexOf("Max-Age=0") > 0);
            Assert.AreEqual(200, Get(api, "/api/status", null).Status); // back to first-run
            Assert.IsFalse(Json(Get(api, "/api/status", s[0])).Get("loggedIn").IsTrue);
        }

        [TestMethod]
        public void Logout_EndsTheSession()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            Assert.AreEqual(200, Post(api, "/api/logout", "{}", s[0], s[1]).Status);
            Assert.AreEqual(401, Get(api, "/api/status", s[0]).Status);
        }

        [TestMethod]
        [DataRow("GET", "/api/login")]
        [DataRow("GET", "/api/factory-reset")]
        [DataRow("POST", "/api/status")]
        [DataRow("DELETE", "/api/config")]
        public void WrongMethod_IsMethodNotAllowed(string method, string path)
        {
            FakePortalBackend b = new FakePortalBackend();
            string body = method == "GET" ? null : "{}";
            Assert.AreEqual(405, Call(NewApi(b), method, path, body, null, null, null).Status);
        }

        [TestMethod]
        public void UnknownApi_IsNotFound()
        {
            FakePortalBackend b = new FakePortalBackend();
            Assert.AreEqual(404, Get(NewApi(b), "/api/nothing", null).Status);
        }

        private static ValidationReport ErrorsOf(HttpResponse r)
        {
            Assert.AreEqual(422, r.Status);
            ValidationReport errors = new ValidationReport();
            JsonNode list = Json(r).Get("errors");
            for (int i = 0; i < list.Count; i++)
            {
                errors.AddError(list[i].GetString("path"), list[i].GetString("message"));
            }

            return errors;
        }

        private static string MessageAt(ValidationReport errors, string path)
        {
            for (int i = 0; i < errors.ErrorCount; i++)
            {
                if (errors.GetError(i).Path == path)
                {
                    return errors.GetError(i).Message;
                }
            }

            return null;
        }
    }
}
