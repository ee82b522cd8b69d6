// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Routing;
using Pigeon.Tests.Support;
using Pigeon.Tls;
using Pigeon.Upstream;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Upstream
{
    /// <summary>
    /// The upstream seam on its own (docs/architecture.md, "How to add an upstream protocol"):
    /// the dial order, when a name must be looked up, and the bytes written before the client's.
    /// The sessions' use of it is tested in Relay/RelaySessionTests; the health swap in
    /// Host/Upstream/PreferFallbackTests.
    /// </summary>
    [TestClass]
    public class UpstreamDialerTests
    {
        private static readonly NetAddress Client = NetAddress.FromIPv4(0xC6336407); // 198.51.100.7
        private static readonly NetAddress Local = NetAddress.FromIPv4(0xCB00710A);  // 203.0.113.10

        [TestMethod]
        public void Next_Literals_UpstreamThenFallbackThenNone()
        {
            RouteConfig chat = ConfigDefaults.ChatRoute(5222);
            chat.UpstreamHost = "10.0.0.1";
            chat.FallbackHost = "10.0.0.2";
            UpstreamDialer dialer = Dialer(chat, new ListResolver());
            Assert.AreEqual(UpstreamDialer.Ready, dialer.Next());
            Assert.AreEqual("10.0.0.1", Text(dialer.Address));
            Assert.AreEqual(5222, dialer.Port);
            Assert.AreEqual(UpstreamDialer.Ready, dialer.Next());
            Assert.AreEqual("10.0.0.2", Text(dialer.Address));
            Assert.AreEqual(UpstreamDialer.None, dialer.Next());
        }

        [TestMethod]
        public void Next_NameNotCached_AsksForALookupThenUsesTheCache()
        {
            RouteConfig chat = ConfigDefaults.ChatRoute(5222);
            chat.UpstreamHost = "primary.test";
            chat.FallbackHost = "";
            ListResolver dns = new ListResolver().Add("primary.test", 0x0A000001);
            TestRelay relay = Relay(chat, dns);
            UpstreamDialer dialer = new UpstreamDialer(relay);
            dialer.Begin(relay.GetRoute(0), null, false);
            Assert.AreEqual(UpstreamDialer.Lookup, dialer.Next(), "never resolved: the pump must resolve where it may block");
            Assert.IsTrue(dialer.Resolve());
            Assert.AreEqual("10.0.0.1", Text(dialer.Address));
            Assert.AreEqual(UpstreamDialer.None, dialer.Next(), "no fallback configured");

            dialer.Begin(relay.GetRoute(0), null, false);
            Assert.AreEqual(UpstreamDialer.Ready, dialer.Next(), "the next client's dial is answered from the cache");
            Assert.AreEqual("10.0.0.1", Text(dialer.Address));
            Assert.AreEqual(1, dns.Calls);
        }

        [TestMethod]
        public void Next_NameThatFailed_SkippedWithoutWaiting()
        {
            RouteConfig chat = ConfigDefaults.ChatRoute(5222);
            chat.UpstreamHost = "gone.test";
            chat.FallbackHost = "10.0.0.2";
            ListResolver dns = new ListResolver();
            TestRelay relay = Relay(chat, dns);
            UpstreamDialer dialer = new UpstreamDialer(relay);
            dialer.Begin(relay.GetRoute(0), null, false);
            Assert.AreEqual(UpstreamDialer.Lookup, dialer.Next());
            Assert.IsFalse(dialer.Resolve());
            Assert.AreEqual(UpstreamDialer.Ready, dialer.Next());
            Assert.AreEqual("10.0.0.2", Text(dialer.Address));

            dialer.Begin(relay.GetRoute(0), null, false);
            Assert.AreEqual(UpstreamDialer.Ready, dialer.Next(), "the failure is remembered: straight to the fallback");
            Assert.AreEqual("10.0.0.2", Text(dialer.Address));
            Assert.AreEqual(1, dns.Calls);
        }

        [TestMethod]
        public void WriteOpening_FollowsTheRoutesProxyVersion()
        {
            byte[] buffer = new byte[ProxyHeader.MaxLength];
            RouteConfig chat = ConfigDefaults.ChatRoute(5222);
            chat.UpstreamHost = "10.0.0.1";
            UpstreamDialer dialer = Dialer(chat, new ListResolver());
            int n = dialer.WriteOpening(Client, 40001, Local, 443, buffer, 0);
            Assert.AreEqual("PROXY TCP4 198.51.100.7 203.0.113.10 40001 443\r\n", Bytes.Text(buffer, 0, n));

            chat.ProxyProtocolVersion = 2;
            dialer = Dialer(chat, new ListResolver());
            n = dialer.WriteOpening(Client, 40001, Local, 443, buffer, 0);
            Assert.AreEqual(28, n, "v2: 16 bytes of header, 12 of IPv4 addresses and ports");
            Assert.AreEqual(0x0D, (int)buffer[0], "the v2 signature's first byte");

            chat.ProxyProtocol = false;
            dialer = Dialer(chat, new ListResolver());
            Assert.AreEqual(0, dialer.WriteOpening(Client, 40001, Local, 443, buffer, 0), "no PROXY header: nothing before the client's bytes");
        }

        [TestMethod]
        public void Signal_TheHostOfTheHelloOnSignalPort_NothingWrittenBefore()
        {
            RouteConfig tls = ConfigDefaults.ChatRoute(443);
            tls.UpstreamHost = "10.0.0.1";
            tls.TerminateTls = true; // Signal's hello comes inside the route's TLS
            tls.SignalSni = ConfigDefaults.SignalAllowedSni();
            tls.SignalPort = 8443;
            ListResolver dns = new ListResolver().Add("chat.signal.org", 0x0A000009);
            TestRelay relay = Relay(tls, dns);
            HelloBuilder hello = new HelloBuilder();
            hello.Names = new string[] { "chat.signal.org" };
            byte[] bytes = hello.Build();
            ClientHelloReader reader = new ClientHelloReader();
            Assert.AreEqual((int)HelloResult.Found, (int)reader.Read(bytes, 0, bytes.Length));

            UpstreamDialer dialer = new UpstreamDialer(relay);
            dialer.Begin(relay.GetRoute(0), reader, true);
            Assert.AreEqual(UpstreamDialer.Lookup, dialer.Next());
            Assert.IsTrue(dialer.Resolve());
            Assert.AreEqual("10.0.0.9", Text(dialer.Address), "the host the hello names, not the route's upstream");
            Assert.AreEqual(8443, dialer.Port);
            byte[] buffer = new byte[ProxyHeader.MaxLength];
            Assert.AreEqual(0, dialer.WriteOpening(Client, 40001, Local, 443, buffer, 0), "Signal's servers take no PROXY header");
            Assert.AreEqual(UpstreamDialer.None, dialer.Next(), "one host, no fallback");
        }

        private static UpstreamDialer Dialer(RouteConfig route, ListResolver dns)
        {
            TestRelay relay = Relay(route, dns);
            UpstreamDialer dialer = new UpstreamDialer(relay);
            dialer.Begin(relay.GetRoute(0), null, false);
            return dialer;
        }

        private static TestRelay Relay(RouteConfig route, ListResolver dns)
        {
            RelayConfig config = ConfigDefaults.Relay(true);
            config.MaxSessions = 2;
            config.Routes = new RouteConfig[] { route };
            return new TestRelay(config, dns, new FakeClock());
        }

        private static string Text(NetAddress address)
        {
            return address.ToString();
        }
    }
}
