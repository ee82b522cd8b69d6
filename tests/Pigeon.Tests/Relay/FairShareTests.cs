// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;
using Pigeon.Counters;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Tests.Support;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Relay
{
    /// <summary>
    /// Who gets a session when (RelayServer.TryAdmit): while the relay has room no address is
    /// refused for its count (many phones share one carrier-NAT address); in the last quarter an
    /// address at its fair share waits; when full, the address furthest over its share gives up
    /// its idlest session to an address under its share.
    /// </summary>
    [TestClass]
    public class FairShareTests
    {
        private const uint Carrier = 0x64400001; // 100.64.0.1: one address, many phones
        private const uint Home = 0xC6336407;

        [TestMethod]
        public void EmptyRelay_OneAddress_TakesEverySession()
        {
            TestRelay relay = Relay(64);
            for (int i = 0; i < 64; i++)
            {
                Assert.IsNotNull(Relaying(relay, Carrier), "session " + i.ToString() + " of one address");
            }

            Assert.IsNull(relay.Accept(0, Carrier), "the 65th: the relay is full");
            RouteCounters total = relay.SnapshotTotal();
            Assert.AreEqual(1, total.Refused(RefusalReason.Full));
            Assert.AreEqual(0, total.Refused(RefusalReason.ClientLimit), "nobody else wants a place: not a client limit");
        }

        [TestMethod]
        public void LastQuarter_AnAddressAtItsShare_Waits_OthersServed()
        {
            TestRelay relay = Relay(8);
            for (int i = 0; i < 6; i++)
            {
                Assert.IsNotNull(Relaying(relay, Carrier));
            }

            Assert.IsNotNull(Relaying(relay, Home), "6 of 8 taken: a new address is under its share (8 / 2)");
            Assert.IsNull(relay.Accept(0, Carrier), "the carrier holds 6, over its share of 4, in the last quarter");
            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.ClientLimit));
            Assert.IsNotNull(Relaying(relay, Home), "home holds 1 of its 4");
            Assert.AreEqual(8, relay.ActiveSessions);
        }

        [TestMethod]
        public void Full_TheAddressFurthestOverItsShare_GivesUpItsIdlestSession()
        {
            FakeClock clock = new FakeClock();
            TestRelay relay = Relay(8, clock);
            TestSession[] carrier = new TestSession[6];
            for (int i = 0; i < carrier.Length; i++)
            {
                carrier[i] = Relaying(relay, Carrier);
                clock.Advance(1000);
            }

            Relaying(relay, Home);
            Relaying(relay, Home + 1);
            for (int i = 1; i < carrier.Length; i++)
            {
                carrier[i].Moved(true, 1); // all but the first keep talking
            }

            NetAddress newcomer = NetAddress.FromIPv4(Home + 2);
            Assert.AreEqual((int)Verdict.NeedMore, (int)relay.TryAdmit(relay.GetRoute(0), newcomer), "full: the carrier (6 of 8, share 2) gives way");
            Assert.AreEqual(1, carrier[0].ClientCloses, "its idlest session");
            for (int i = 1; i < carrier.Length; i++)
            {
                Assert.AreEqual(0, carrier[i].ClientCloses);
            }

            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.Evicted));
            carrier[0].Finish();
            Assert.AreEqual((int)Verdict.Go, (int)relay.TryReserveAfterEviction(relay.GetRoute(0), newcomer, relay.Now));

            Assert.IsNull(relay.Accept(0, Carrier), "the carrier, still over its share, does not displace anyone");
            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.Full));
        }

        [TestMethod]
        public void Full_NobodyOverShare_OnlyALongIdleSessionGivesWay()
        {
            FakeClock clock = new FakeClock();
            RelayConfig config = Config(4);
            config.EvictIdleSeconds = 30;
            TestRelay relay = new TestRelay(config, new FakeResolver("*", 0x0A000001), clock);
            TestSession quiet = Relaying(relay, Home);
            Relaying(relay, Home + 1);
            Relaying(relay, Home + 2);
            Relaying(relay, Home + 3);
            Assert.IsNull(relay.Accept(0, Home + 4), "one each: nobody over the share, nobody idle 30 s");
            clock.Advance(30000);
            Assert.AreEqual((int)Verdict.NeedMore, (int)relay.TryAdmit(relay.GetRoute(0), NetAddress.FromIPv4(Home + 4)));
            Assert.IsTrue(quiet.ClientCloses > 0);
        }

        [TestMethod]
        public void FixedCap_StillBitesWhateverTheRoom()
        {
            RelayConfig config = Config(64);
            config.MaxSessionsPerClient = 2;
            TestRelay relay = new TestRelay(config, new FakeResolver("*", 0x0A000001), new FakeClock());
            Assert.IsNotNull(Relaying(relay, Carrier));
            Assert.IsNotNull(Relaying(relay, Carrier));
            Assert.IsNull(relay.Accept(0, Carrier));
            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.ClientLimit));
        }

        [TestMethod]
        public void AcceptProxy_OnlyTheNamedBalancersMaySendAHeader()
        {
            RelayConfig config = Config(8);
            RouteConfig route = ConfigDefaults.ChatRoute(8222);
            route.AcceptProxy = true;
            route.AcceptProxyFrom = new string[] { "10.9.9.0/24", "192.0.2.7" };
            TestRelay relay = TestRelay.OneRoute(config, route, new FakeClock());
            Assert.IsNotNull(relay.Accept(0, 0x0A090909), "inside 10.9.9.0/24");
            Assert.IsNotNull(relay.Accept(0, 0xC0000207), "192.0.2.7 (an IPv6 balancer: Host/Relay/Ipv6SessionTests)");
            Assert.IsNull(relay.Accept(0, 0x0A090A01), "10.9.10.1: not a named balancer");
            Assert.IsNull(relay.Accept(0, 0x7F000001), "loopback is not implied");
            Assert.AreEqual(2, relay.SnapshotTotal().Refused(RefusalReason.ProxyNotTrusted));
        }

        private static TestSession Relaying(TestRelay relay, uint address)
        {
            TestSession s = relay.Accept(0, address);
            if (s != null)
            {
                Assert.IsTrue(s.StartRelay());
            }

            return s;
        }

        private static TestRelay Relay(int sessions)
        {
            return Relay(sessions, new FakeClock());
        }

        private static TestRelay Relay(int sessions, FakeClock clock)
        {
            return new TestRelay(Config(sessions), new FakeResolver("*", 0x0A000001), clock);
        }

        private static RelayConfig Config(int sessions)
        {
            RelayConfig config = ConfigDefaults.Relay(false);
            config.MaxSessions = sessions;
            config.EvictIdleSeconds = 0;
            RouteConfig chat = ConfigDefaults.ChatRoute(5222);
            chat.ProxyProtocol = false;
            config.Routes = new RouteConfig[] { chat };
            return config;
        }
    }
}
