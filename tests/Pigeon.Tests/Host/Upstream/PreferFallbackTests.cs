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
using Pigeon.Tests.Host.Relay;
using Pigeon.Pumps.Threaded;
using Pigeon.Upstream;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Upstream
{
    /// <summary>The relay consults upstream health: a dead upstream with a live fallback is skipped.</summary>
    [TestClass]
    public class PreferFallbackTests
    {
        [TestMethod]
        [DataRow(true)]
        [DataRow(false)]
        public void Connect_UpstreamDownFallbackUp_FallbackTriedFirstOnlyWithHealth(bool withHealth)
        {
            TcpListener upstream = Loopback.Listen();
            int upstreamPort = Loopback.PortOf(upstream);
            RelayConfig config = ConfigDefaults.Relay(false);
            config.MaxSessions = 2;
            config.BufferBytes = 4096;
            RouteConfig route = ConfigDefaults.NewRoute();
            route.Name = "chat";
            route.ListenAddress = "127.0.0.1";
            route.ListenPort = Loopback.FreePort();
            route.UpstreamHost = "down.test";
            route.FallbackHost = "up.test";
            route.UpstreamPort = upstreamPort;
            config.Routes = new RouteConfig[] { route };
            Recording net = new Recording();
            RelayServer relay = new ThreadedRelay(config, net, TwoHosts(), new HostClock(), new ListLog());
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
                using Socket client = Loopback.Client(route.ListenPort);
                client.Send(Encoding.ASCII.GetBytes("hello"));
                Assert.IsTrue(upstream.Server.Poll(5000000, SelectMode.SelectRead), "the relay never connected upstream");
                using Socket accepted = upstream.AcceptSocket();
                accepted.ReceiveTimeout = 5000;
                Assert.AreEqual("hello", Encoding.ASCII.GetString(Loopback.ReadExactly(accepted, 5)));
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

        /// <summary>down.test = 127.0.0.2 (nothing listens there), up.test = 127.0.0.1.</summary>
        private static TableResolver TwoHosts()
        {
            return new TableResolver().Add("up.test", IPv4.Loopback).Add("down.test", 0x7F000002);
        }
    }
}
