using System.Net;
using System.Net.Sockets;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Routing;
using Pigeon.Sockets;
using Pigeon.Tests.Support;
using Pigeon.Upstream;

namespace Pigeon.Tests.Host.Upstream
{
    [TestClass]
    public class UpstreamHealthTests
    {
        /// <summary>Resolves "up.test" and "down.test" to 127.0.0.1, nothing else.</summary>
        private sealed class TestResolver : IResolver
        {
            public bool TryResolve(string host, out uint ipv4)
            {
                ipv4 = IPv4.Loopback;
                return host == "up.test" || host == "down.test";
            }
        }

        private static Route Route(string upstream, int port, string fallback)
        {
            RouteConfig config = ConfigDefaults.NewRoute();
            config.Name = "chat";
            config.ListenPort = 5222;
            config.UpstreamHost = upstream;
            config.UpstreamPort = port;
            config.FallbackHost = fallback;
            string error;
            return Pigeon.Routing.Route.Build(config, 0, out error);
        }

        private static int ClosedPort()
        {
            TcpListener probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        [TestMethod]
        public void CheckAll_UpstreamListening_Up()
        {
            TcpListener upstream = new TcpListener(IPAddress.Loopback, 0);
            upstream.Start();
            try
            {
                int port = ((IPEndPoint)upstream.LocalEndpoint).Port;
                Route route = Route("up.test", port, null);
                UpstreamHealth health = new UpstreamHealth(new Route[] { route }, new SocketTransport(), new DnsCache(new TestResolver(), new FakeClock(0), 300, 4), new FakeClock(0), 2000);
                Assert.AreEqual(UpstreamState.Unknown, health.Primary(0).State);
                health.CheckAll();
                Assert.AreEqual(UpstreamState.Up, health.Primary(0).State, health.Primary(0).Message);
                StringAssert.Contains(health.Primary(0).Message, "reachable in");
                Assert.IsNull(health.Fallback(0));
                Assert.IsFalse(health.PreferFallback(0));
            }
            finally
            {
                upstream.Stop();
            }
        }

        [TestMethod]
        public void CheckAll_PrimaryDownFallbackUp_PreferFallback()
        {
            TcpListener upstream = new TcpListener(IPAddress.Loopback, 0);
            upstream.Start();
            try
            {
                int port = ((IPEndPoint)upstream.LocalEndpoint).Port;
                Route route = Route("nowhere.test", port, "up.test");
                UpstreamHealth health = new UpstreamHealth(new Route[] { route }, new SocketTransport(), new DnsCache(new TestResolver(), new FakeClock(0), 300, 4), new FakeClock(0), 2000);
                health.CheckAll();
                Assert.AreEqual(UpstreamState.Down, health.Primary(0).State);
                StringAssert.Contains(health.Primary(0).Message, "does not resolve");
                Assert.AreEqual(UpstreamState.Up, health.Fallback(0).State);
                Assert.IsTrue(health.PreferFallback(0));
                Assert.IsFalse(health.PreferFallback(7));
            }
            finally
            {
                upstream.Stop();
            }
        }

        [TestMethod]
        public void Check_PortClosed_Down()
        {
            int port = ClosedPort();
            UpstreamHealth health = new UpstreamHealth(new Route[] { Route("down.test", port, null) }, new SocketTransport(), new DnsCache(new TestResolver(), new FakeClock(0), 300, 4), new FakeClock(0), 2000);
            health.CheckAll();
            Assert.AreEqual(UpstreamState.Down, health.Primary(0).State);
            StringAssert.Contains(health.Primary(0).Message, "refused or failed");
        }

        [TestMethod]
        public void CheckAll_LoopbackLiteral_NotProbed()
        {
            TcpListener upstream = new TcpListener(IPAddress.Loopback, 0);
            upstream.Start();
            try
            {
                int port = ((IPEndPoint)upstream.LocalEndpoint).Port;
                UpstreamHealth health = new UpstreamHealth(new Route[] { Route("127.0.0.1", port, null) }, new SocketTransport(), new DnsCache(new TestResolver(), new FakeClock(0), 300, 4), new FakeClock(0), 2000);
                health.CheckAll();
                Assert.AreEqual(UpstreamState.Unknown, health.Primary(0).State);
                Assert.IsFalse(upstream.Pending());
            }
            finally
            {
                upstream.Stop();
            }
        }
    }
}
