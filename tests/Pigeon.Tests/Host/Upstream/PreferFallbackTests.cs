using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Host;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Routing;
using Pigeon.Tests.Host.Reach;
using Pigeon.Pumps.Threaded;
using Pigeon.Upstream;

namespace Pigeon.Tests.Host.Upstream
{
    /// <summary>The relay consults upstream health: a dead upstream with a live fallback is skipped.</summary>
    [TestClass]
    public class PreferFallbackTests
    {
        /// <summary>down.test = 127.0.0.2 (nothing listens there), up.test = 127.0.0.1.</summary>
        private sealed class TwoHosts : IResolver
        {
            public bool TryResolve(string host, out uint ipv4)
            {
                ipv4 = host == "up.test" ? IPv4.Loopback : 0x7F000002;
                return host == "up.test" || host == "down.test";
            }
        }

        private static int FreePort()
        {
            TcpListener probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        [TestMethod]
        [DataRow(true)]
        [DataRow(false)]
        public void Connect_UpstreamDownFallbackUp_FallbackTriedFirstOnlyWithHealth(bool withHealth)
        {
            TcpListener upstream = new TcpListener(IPAddress.Loopback, 0);
            upstream.Start();
            int upstreamPort = ((IPEndPoint)upstream.LocalEndpoint).Port;
            RelayConfig config = ConfigDefaults.Relay(false);
            config.MaxSessions = 2;
            config.BufferBytes = 4096;
            RouteConfig route = ConfigDefaults.NewRoute();
            route.Name = "chat";
            route.ListenAddress = "127.0.0.1";
            route.ListenPort = FreePort();
            route.UpstreamHost = "down.test";
            route.FallbackHost = "up.test";
            route.UpstreamPort = upstreamPort;
            config.Routes = new RouteConfig[] { route };
            Recording net = new Recording();
            RelayServer relay = new ThreadedRelay(config, net, new TwoHosts(), new HostClock(), new ListLog());
            if (withHealth)
            {
                UpstreamHealth health = new UpstreamHealth(new Route[] { relay.GetRoute(0) }, net, relay.Dns, new HostClock(), 1000);
                health.CheckAll();
                Assert.IsTrue(health.PreferFallback(0), health.Primary(0).Message + " / " + health.Fallback(0).Message);
                relay.Health = health;
                Assert.IsTrue(upstream.Server.Poll(5000000, SelectMode.SelectRead));
                upstream.AcceptSocket().Dispose(); // the health check's own probe of up.test

            }

            int before = net.Contacts.Count;
            relay.Start();
            try
            {
                using TcpClient client = new TcpClient();
                client.Connect(IPAddress.Loopback, route.ListenPort);
                client.GetStream().Write(Encoding.ASCII.GetBytes("hello"));
                Assert.IsTrue(upstream.Server.Poll(5000000, SelectMode.SelectRead), "the relay never connected upstream");
                using Socket accepted = upstream.AcceptSocket();
                accepted.ReceiveTimeout = 5000;
                byte[] buffer = new byte[5];
                int got = 0;
                while (got < 5)
                {
                    int n = accepted.Receive(buffer, got, 5 - got, SocketFlags.None);
                    Assert.IsTrue(n > 0);
                    got += n;
                }

                Assert.AreEqual("hello", Encoding.ASCII.GetString(buffer));
                List<string> contacts = net.Contacts.GetRange(before, net.Contacts.Count - before);
                string expected = withHealth ? "tcp 127.0.0.1:" + upstreamPort : "tcp 127.0.0.2:" + upstreamPort;
                Assert.AreEqual(expected, contacts[0], string.Join("; ", contacts));
            }
            finally
            {
                relay.Stop();
                upstream.Stop();
            }
        }
    }
}
