// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;
using Pigeon.Json;
using Pigeon.Portal;
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

    /// <summary>
    /// What /api/status offers to share: TLS on first where a chat route takes the app's TLS off,
    /// the plain chat route second; a board's one plain link as before.
    /// </summary>
    [TestClass]
    public class ShareLinkTests
    {
        private const string TlsLink = "https://wa.me/proxy?host=192.168.1.20&chatPort=443&mediaPort=587&chatTLS=true";
        private const string PlainLink = "https://wa.me/proxy?host=192.168.1.20&chatPort=5222&mediaPort=587&chatTLS=false";

        // The "share" object StatusWriter writes for a config (no relay running); the host's
        // SignalLinkTests read theirs here too.
        internal static JsonNode ShareOf(FakePortalBackend backend, PigeonConfig config)
        {
            JsonWriter json = new JsonWriter(512);
            json.BeginObject();
            StatusWriter.Write(json, backend, config, null);
            json.EndObject();
            byte[] bytes = json.ToUtf8();
            JsonError error;
            JsonNode status = JsonReader.Parse(bytes, 0, bytes.Length, 8, out error);
            Assert.IsNotNull(status, Utf8.Decode(bytes, 0, bytes.Length));
            return status.Get("share");
        }

        private static void AssertChoice(JsonNode choice, bool tls, int chat, int media, string link)
        {
            Assert.AreEqual(tls, choice.Get("tls").IsTrue, link);
            Assert.AreEqual(chat, Int(choice.Get("chatPort")));
            Assert.AreEqual(media, Int(choice.Get("mediaPort")));
            Assert.AreEqual(link, choice.Get("link").Text);
            Assert.AreEqual(4, choice.Count, "tls, chatPort, mediaPort, link");
        }

        [TestMethod]
        public void Host_TlsRouteFirstThenPlain_TopLevelIsTheFirstChoice()
        {
            FakePortalBackend b = new FakePortalBackend(false);
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            JsonNode share = Json(Get(api, "/api/status", s[0])).Get("share");
            JsonNode links = share.Get("links");
            Assert.AreEqual(2, links.Count);
            AssertChoice(links[0], true, 443, 587, TlsLink);
            AssertChoice(links[1], false, 5222, 587, PlainLink);
            Assert.AreEqual(TlsLink, share.Get("link").Text, "share.link stays the first choice");
            Assert.AreEqual(443, Int(share.Get("chatPort")));
            Assert.AreEqual(587, Int(share.Get("mediaPort")));
            Assert.IsTrue(share.Get("tls").IsTrue);
        }

        [TestMethod]
        public void Board_OnlyThePlainLink_AsBefore()
        {
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            JsonNode share = Json(Get(api, "/api/status", s[0])).Get("share");
            string link = "https://wa.me/proxy?host=192.168.1.20&chatPort=5222&mediaPort=7777&chatTLS=false";
            Assert.AreEqual(1, share.Get("links").Count);
            AssertChoice(share.Get("links")[0], false, 5222, 7777, link);
            Assert.AreEqual(link, share.Get("link").Text);
            Assert.IsFalse(share.Get("tls").IsTrue);
        }

        [TestMethod]
        public void Host_ConfiguredPublicHost_IsInEveryLinkEscaped()
        {
            FakePortalBackend b = new FakePortalBackend(false);
            PigeonConfig config = b.LoadConfig();
            config.Network.PublicHost = "relay.example.org";
            JsonNode links = ShareOf(b, config).Get("links");
            Assert.AreEqual("https://wa.me/proxy?host=relay.example.org&chatPort=443&mediaPort=587&chatTLS=true", links[0].Get("link").Text);
            Assert.AreEqual("https://wa.me/proxy?host=relay.example.org&chatPort=5222&mediaPort=587&chatTLS=false", links[1].Get("link").Text);
            Assert.AreEqual("https://wa.me/proxy?host=a%26b%3D1&chatPort=443&mediaPort=587&chatTLS=true", ShareLink.Build("a&b=1", 443, 587, true));
        }

        [TestMethod]
        public void PlainRouteListedFirst_TlsIsStillTheFirstChoice()
        {
            FakePortalBackend b = new FakePortalBackend(false);
            PigeonConfig config = b.LoadConfig();
            RouteConfig[] r = config.Relay.Routes; // 443 TLS, 5222, 587, 7777
            config.Relay.Routes = new RouteConfig[] { r[3], r[1], r[2], r[0] };
            JsonNode share = ShareOf(b, config);
            AssertChoice(share.Get("links")[0], true, 443, 7777, "https://wa.me/proxy?host=192.168.1.20&chatPort=443&mediaPort=7777&chatTLS=true");
            AssertChoice(share.Get("links")[1], false, 5222, 7777, "https://wa.me/proxy?host=192.168.1.20&chatPort=5222&mediaPort=7777&chatTLS=false");
        }

        [TestMethod]
        public void OnlyATlsChatRoute_OneChoice()
        {
            FakePortalBackend b = new FakePortalBackend(false);
            PigeonConfig config = b.LoadConfig();
            RouteConfig[] r = config.Relay.Routes;
            config.Relay.Routes = new RouteConfig[] { r[0], r[2] };
            JsonNode share = ShareOf(b, config);
            Assert.AreEqual(1, share.Get("links").Count);
            AssertChoice(share.Get("links")[0], true, 443, 587, TlsLink);
            Assert.AreEqual(TlsLink, share.Get("link").Text);
        }

        [TestMethod]
        public void RouteBehindALoadBalancer_IsNotShared()
        {
            // acceptProxy: a phone dialling it directly would be refused (no PROXY header).
            FakePortalBackend b = new FakePortalBackend(false);
            PigeonConfig config = b.LoadConfig();
            config.Relay.Routes[0].AcceptProxy = true;
            JsonNode links = ShareOf(b, config).Get("links");
            Assert.AreEqual(1, links.Count);
            AssertChoice(links[0], false, 5222, 587, PlainLink);
        }

        [TestMethod]
        public void NoMediaRoute_NoLinkAndNoChoices()
        {
            FakePortalBackend b = new FakePortalBackend(false);
            PigeonConfig config = b.LoadConfig();
            RouteConfig[] r = config.Relay.Routes;
            config.Relay.Routes = new RouteConfig[] { r[0], r[1] };
            JsonNode share = ShareOf(b, config);
            Assert.AreEqual(JsonKind.Null, share.Get("link").Kind);
            Assert.AreEqual(0, share.Get("links").Count);
            Assert.AreEqual(443, Int(share.Get("chatPort")));
            Assert.AreEqual(0, Int(share.Get("mediaPort")));
        }
    }
}
