using System.Net.Sockets;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Routing;
using Pigeon.Sockets;
using Pigeon.Tests.Host.Relay;
using Pigeon.Tests.Support;
using Pigeon.Testing;
using Pigeon.Upstream;

namespace Pigeon.Tests.Host.Upstream
{
    [TestClass]
    public class UpstreamHealthTests
    {
        /// <summary>
        /// Health checks over real sockets for one route to <paramref name="upstream"/>:<paramref name="port"/>
        /// (and <paramref name="fallback"/>); "up.test" and "down.test" resolve to 127.0.0.1, nothing else.
        /// </summary>
        private static UpstreamHealth Health(string upstream, int port, string fallback)
        {
            RouteConfig config = ConfigDefaults.NewRoute();
            config.Name = "chat";
            config.ListenPort = 5222;
            config.UpstreamHost = upstream;
            config.UpstreamPort = port;
            config.FallbackHost = fallback;
            string error;
            Route route = Route.Build(config, 0, out error);
            TableResolver hosts = new TableResolver().Add("up.test", IPv4.Loopback).Add("down.test", IPv4.Loopback);
            return new UpstreamHealth(new Route[] { route }, new SocketTransport(), new DnsCache(hosts, new FakeClock(0), 300, 4), new FakeClock(0), 2000);
        }

        [TestMethod]
        public void CheckAll_UpstreamListening_Up()
        {
            using TcpListener upstream = Loopback.Listen();
            int port = Loopback.PortOf(upstream);
            UpstreamHealth health = Health("up.test", port, null);
            Assert.AreEqual(UpstreamState.Unknown, health.Primary(0).State);
            health.CheckAll();
            Assert.AreEqual(UpstreamState.Up, health.Primary(0).State, health.Primary(0).Message);
            StringAssert.Contains(health.Primary(0).Message, "reachable in");
            Assert.IsNull(health.Fallback(0));
            Assert.IsFalse(health.PreferFallback(0));
        }

        [TestMethod]
        public void CheckAll_PrimaryDownFallbackUp_PreferFallback()
        {
            using TcpListener upstream = Loopback.Listen();
            int port = Loopback.PortOf(upstream);
            UpstreamHealth health = Health("nowhere.test", port, "up.test");
            health.CheckAll();
            Assert.AreEqual(UpstreamState.Down, health.Primary(0).State);
            StringAssert.Contains(health.Primary(0).Message, "does not resolve");
            Assert.AreEqual(UpstreamState.Up, health.Fallback(0).State);
            Assert.IsTrue(health.PreferFallback(0));
            Assert.IsFalse(health.PreferFallback(7));
        }

        [TestMethod]
        public void Check_PortClosed_Down()
        {
            UpstreamHealth health = Health("down.test", Loopback.FreePort(), null); // nothing listens there
            health.CheckAll();
            Assert.AreEqual(UpstreamState.Down, health.Primary(0).State);
            StringAssert.Contains(health.Primary(0).Message, "refused or failed");
        }

        [TestMethod]
        public void CheckAll_LoopbackLiteral_NotProbed()
        {
            using TcpListener upstream = Loopback.Listen();
            int port = Loopback.PortOf(upstream);
            UpstreamHealth health = Health("127.0.0.1", port, null);
            health.CheckAll();
            Assert.AreEqual(UpstreamState.Unknown, health.Primary(0).State);
            Assert.IsFalse(upstream.Pending());
        }
    }
}
