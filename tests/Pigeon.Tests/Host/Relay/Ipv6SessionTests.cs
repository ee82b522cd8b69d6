using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Counters;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Tests.Support;

namespace Pigeon.Tests.Host.Relay
{
    /// <summary>
    /// Host-only: IPv6 text in a session, a balancer named by its IPv6 address and a PROXY v1
    /// TCP6 line read (NetAddress.Host.cs; a board reads no IPv6 text). Driven without sockets
    /// like the shared RelaySessionTests and FairShareTests, which keep IPv6 clients in binary
    /// PROXY v2 headers.
    /// </summary>
    [TestClass]
    public class Ipv6SessionTests
    {
        [TestMethod]
        public void AcceptProxy_AnIPv6BalancerNamed_MaySendAHeader()
        {
            RelayConfig config = TestRelay.Config(8, 0, 0);
            RouteConfig route = ConfigDefaults.ChatRoute(8222);
            route.AcceptProxy = true;
            route.AcceptProxyFrom = new string[] { "10.9.9.0/24", "2001:db8::7" };
            TestRelay relay = TestRelay.OneRoute(config, route, new FakeClock());
            NetAddress v6;
            Assert.IsTrue(NetAddress.TryParse("2001:db8::7", out v6));
            NetAddress other;
            Assert.IsTrue(NetAddress.TryParse("2001:db8::8", out other));
            Assert.IsNotNull(relay.Accept(0, v6));
            Assert.IsNull(relay.Accept(0, other), "2001:db8::8: not a named balancer");
            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.ProxyNotTrusted));
        }

        [TestMethod]
        public void AcceptProxy_Tcp6LineFromTheBalancer_CountedByItsSlash64_SentAsTcp6()
        {
            TestRelay relay = TestRelay.BehindBalancer();
            string[] phones = new string[] { "2001:db8:7:1::a", "2001:db8:7:1::b", "2001:db8:7:1::c", "2001:db8:7:2::a" };
            int relayed = 0;
            for (int i = 0; i < phones.Length; i++)
            {
                TestSession s = relay.Accept(0, 0x0A090909);
                if (s.Sends("PROXY TCP6 " + phones[i] + " 2001:db8::10 40001 8222\r\nWA\u0006\u0005").Run() == SessionStep.Relay)
                {
                    relayed++;
                    byte[] sent = s.SentUpstream;
                    Assert.AreEqual("PROXY TCP6 " + phones[i] + " 2001:db8::10 40001 8222\r\n", Bytes.Text(sent, 0, sent.Length - 4));
                }
            }

            Assert.AreEqual(3, relayed, "two of the first /64 (its cap), the third refused, the other /64 served");
            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.ClientLimit));
        }
    }
}
