using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Portal;
using Pigeon.Reach;
using Pigeon.Routing;
using Pigeon.Tests.Host.Reach;
using Pigeon.Tests.Reach;
using Pigeon.Tests.Support;
using Pigeon.Upstream;

namespace Pigeon.Tests.Host.Portal
{
    /// <summary>The status JSON the portal shows: valid JSON with every reachability fact, no secrets.</summary>
    [TestClass]
    public class ReachStatusTests
    {
        [TestMethod]
        public void Write_MappedRouterAndDynDns_ValidJsonWithFacts()
        {
            using FakeRouter router = new FakeRouter { ExternalIp = "100.64.3.4" };
            Recording net = new Recording();
            FakeClock clock = new FakeClock(10000);
            PortMapper mapper = new PortMapper(new UpnpClient(net, net, IPv4.Loopback, router.SsdpPort, 600, 2000, 16384), null, IPv4.Loopback, clock, new ListLog(), "Pigeon relay");
            mapper.SetPorts(new int[] { 5222 });
            mapper.Refresh();
            clock.Advance(61000);

            string error;
            RouteConfig config = ConfigDefaults.ChatRoute(5222);
            config.Name = "chat \"<5222>\"";
            Route[] routes = new Route[] { Route.Build(config, 0, out error) };
            UpstreamHealth health = new UpstreamHealth(routes, null, null, clock, 1000);
            DynDns dyn = new DynDns(new DynDnsTests.FakeWeb("good"), clock, "https://dyn.example/nic/update", "user", "s3cret-password", "relay.example.net");

            Pigeon.Json.JsonWriter writer = new Pigeon.Json.JsonWriter(256);
            ReachStatusWriter.Write(writer, mapper, health, routes, dyn, clock, "");
            string json = writer.ToString();
            using JsonDocument doc = JsonDocument.Parse(json);
            JsonElement root = doc.RootElement;

            JsonElement port = root.GetProperty("portMapping").GetProperty("ports")[0];
            Assert.AreEqual(5222, port.GetProperty("port").GetInt32());
            Assert.AreEqual("mapped", port.GetProperty("state").GetString());
            Assert.AreEqual("upnp", port.GetProperty("method").GetString());
            Assert.AreEqual(3600 - 61, port.GetProperty("expiresInSeconds").GetInt64());
            Assert.AreEqual("cgnat", root.GetProperty("publicAddress").GetProperty("kind").GetString());
            Assert.IsFalse(root.GetProperty("publicAddress").GetProperty("reachable").GetBoolean());
            StringAssert.Contains(root.GetProperty("publicAddress").GetProperty("note").GetString(), "cannot be reached from outside");
            Assert.AreEqual(JsonValueKind.Null, root.GetProperty("shareHost").ValueKind);
            Assert.AreEqual("none", root.GetProperty("dynDns").GetProperty("result").GetString());
            JsonElement upstream = root.GetProperty("upstreams")[0];
            Assert.AreEqual("chat \"<5222>\"", upstream.GetProperty("route").GetString());
            Assert.AreEqual("unknown", upstream.GetProperty("state").GetString());
            Assert.AreEqual("fallback", root.GetProperty("upstreams")[1].GetProperty("role").GetString());
            Assert.IsFalse(json.Contains("s3cret", System.StringComparison.Ordinal));
            Assert.IsFalse(json.Contains("<", System.StringComparison.Ordinal), "< must be escaped for embedding in HTML");
        }

        [TestMethod]
        public void Write_NothingKnown_NullsAndEmptyList()
        {
            Pigeon.Json.JsonWriter writer = new Pigeon.Json.JsonWriter(64);
            ReachStatusWriter.Write(writer, null, null, null, null, null, "relay.example.net");
            using JsonDocument doc = JsonDocument.Parse(writer.ToString());
            Assert.AreEqual(JsonValueKind.Null, doc.RootElement.GetProperty("portMapping").ValueKind);
            Assert.AreEqual("relay.example.net", doc.RootElement.GetProperty("shareHost").GetString());
            Assert.AreEqual(0, doc.RootElement.GetProperty("upstreams").GetArrayLength());
        }
    }
}
