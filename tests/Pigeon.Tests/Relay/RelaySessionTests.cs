// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;
using Pigeon.Counters;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Tests.Support;
using Pigeon.Upstream;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Relay
{
    /// <summary>
    /// The session logic both pumps share, driven without sockets: a fake clock, the relay's
    /// reaper pass, and a session that records what the logic closes.
    /// </summary>
    [TestClass]
    public class RelaySessionTests
    {
        private const uint Phone = 0xC6336407;
        private const uint Other = 0xC6336408;

        [TestMethod]
        public void HalfClose_RemainingDirectionMoving_RunsPastTheDrainTime()
        {
            FakeClock clock = new FakeClock();
            TestSession s = Relaying(clock, out TestRelay relay);
            Assert.IsTrue(s.DirectionFinished(true), "client FIN: the other direction goes on");
            Assert.AreEqual(SessionPhase.HalfClosed, s.Phase);

            // The upstream answers slowly, a chunk every 900 ms, for 9 s: far past the 1 s drain.
            for (int i = 0; i < 10; i++)
            {
                clock.Advance(900);
                relay.Reap();
                Assert.AreEqual(0, s.ClientCloses + s.UpstreamCloses, "closed while bytes were still flowing, after " + ((i + 1) * 900).ToString() + " ms");
                s.Moved(false, 1024);
            }

            clock.Advance(999);
            relay.Reap();
            Assert.AreEqual(0, s.ClientCloses);
            clock.Advance(1);
            relay.Reap();
            Assert.AreEqual(1, s.ClientCloses, "quiet for the drain time: closed");
            Assert.AreEqual(1, s.UpstreamCloses);
        }

        [TestMethod]
        public void HalfClose_SendUnderWay_NotCutAtTheDrainTime_ButAtTheIdleTimeout()
        {
            // A slow reader after its FIN: one relay write waits on a full socket buffer for
            // longer than the drain time. It is moving, only slowly; it must not be cut.
            FakeClock clock = new FakeClock();
            TestSession s = Relaying(clock, out TestRelay relay);
            Assert.IsTrue(s.DirectionFinished(true));
            s.Touched(); // the upstream's answer read, its send to the phone begun
            clock.Advance(5000);
            relay.Reap();
            Assert.AreEqual(0, s.ClientCloses, "a send under way for 5 s is not silence");
            s.Moved(false, 65536);
            clock.Advance(1000);
            relay.Reap();
            Assert.AreEqual(1, s.ClientCloses, "silent for the drain time once the send is done");

            TestSession stuck = relay.Accept(0, Other);
            Assert.IsTrue(stuck.StartRelay());
            Assert.IsTrue(stuck.DirectionFinished(true));
            stuck.Touched();
            clock.Advance(199999);
            relay.Reap();
            Assert.AreEqual(0, stuck.ClientCloses);
            clock.Advance(1);
            relay.Reap();
            Assert.AreEqual(1, stuck.ClientCloses, "a send that never ends: the idle timeout");
        }

        [TestMethod]
        public void Relayed_CountedWhenRelayingBegins_NotAtAccept()
        {
            FakeClock clock = new FakeClock();
            TestSession s = Accepted(clock, out TestRelay relay);
            Assert.AreEqual(1, relay.SnapshotTotal().Accepted);
            Assert.AreEqual(0, relay.SnapshotTotal().Relayed, "still reading its hello: not relayed yet");
            Assert.IsTrue(s.StartRelay());
            Assert.AreEqual(1, relay.SnapshotTotal().Relayed);

            TestSession waiting = relay.Accept(0, Other);
            clock.Advance(10000);
            relay.Reap(); // the hello never came
            Assert.AreEqual(1, waiting.ClientCloses);
            waiting.RefuseUnfinished(); // what the pump does once its read is cut
            waiting.Finish();
            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.HelloTimeout));
            Assert.AreEqual(1, relay.SnapshotTotal().Relayed, "a refused session is never counted as relayed");
        }

        [TestMethod]
        public void HalfClose_BothSidesFinish_CloseAtOnce()
        {
            TestRelay relay = Relay(new FakeClock(), 4);
            TestSession s = relay.Accept(0, Phone);
            Assert.IsTrue(s.StartRelay());
            Assert.IsTrue(s.DirectionFinished(false), "upstream FIN first");
            Assert.IsFalse(s.DirectionFinished(true), "then the client's: both done");
        }

        [TestMethod]
        public void Idle_ClosedAtTheIdleTimeout_EachByteRenewsIt()
        {
            FakeClock clock = new FakeClock();
            TestSession s = Relaying(clock, out TestRelay relay);
            clock.Advance(199000);
            s.Moved(true, 1);
            clock.Advance(199000);
            relay.Reap();
            Assert.AreEqual(0, s.ClientCloses);
            clock.Advance(1000);
            relay.Reap();
            Assert.AreEqual(1, s.ClientCloses);
            Assert.AreEqual(1, s.UpstreamCloses);
            Assert.IsTrue(s.TimedOut);
        }

        [TestMethod]
        public void Hello_ClosedAtTheHelloTimeout_CountedAsHelloTimeout()
        {
            FakeClock clock = new FakeClock();
            TestSession s = Accepted(clock, out TestRelay relay);
            clock.Advance(9999);
            relay.Reap();
            Assert.AreEqual(0, s.ClientCloses);
            clock.Advance(1);
            relay.Reap();
            Assert.AreEqual(1, s.ClientCloses);
            Assert.AreEqual(0, s.UpstreamCloses, "nothing upstream yet");
            s.RefuseUnfinished();
            s.Finish();
            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.HelloTimeout));
            Assert.AreEqual(0, relay.ActiveSessions);
        }

        [TestMethod]
        public void Dial_PrimaryThenFallback_FailureRememberedForTheNextClient()
        {
            FakeClock clock = new FakeClock();
            ListResolver dns = new ListResolver().Add("fallback.test", 0x0A000002);
            TestRelay relay = Relay(clock, 4, dns);
            TestSession s = relay.Accept(0, Phone);
            Assert.IsTrue(s.StartRelay(), "the primary does not resolve: the fallback serves");
            Assert.AreEqual(1, s.Connects);
            Assert.AreEqual("10.0.0.2:5222", s.ConnectedTo(0));
            Assert.AreEqual(2, dns.Calls);

            TestSession next = relay.Accept(0, Other);
            Assert.IsTrue(next.StartRelay());
            Assert.AreEqual("10.0.0.2:5222", next.ConnectedTo(0), "the primary's failure is cached: straight to the cached fallback");
            Assert.AreEqual(2, dns.Calls);
        }

        [TestMethod]
        public void Dial_NothingResolves_CountedAsUpstreamFailure()
        {
            TestRelay relay = Relay(new FakeClock(), 4, new ListResolver());
            TestSession s = relay.Accept(0, Phone);
            Assert.IsFalse(s.StartRelay());
            Assert.AreEqual((int)SessionStep.Done, (int)s.Step);
            Assert.AreEqual(0, s.Connects);
            Assert.AreEqual(1, relay.SnapshotTotal().UpstreamFailures);
            Assert.AreEqual(0, relay.ActiveSessions, "its place is back");
        }

        [TestMethod]
        public void Dial_ConnectTimeout_ClosesTheUpstreamAttemptOnly_FallbackGetsItsOwnDeadline()
        {
            FakeClock clock = new FakeClock();
            TestSession s = Accepted(clock, out TestRelay relay);
            s.HoldConnects = true;
            Assert.AreEqual((int)SessionStep.Connect, (int)s.Sends("WA\u0006\u0005").Run());
            clock.Advance(5000);
            relay.Reap();
            Assert.AreEqual(1, s.UpstreamCloses);
            Assert.AreEqual(0, s.ClientCloses);
            Assert.AreEqual((int)SessionStep.Connect, (int)s.Do(1), "a connect that finishes after the reaper gave up is not used: the fallback is dialled");
            clock.Advance(4999);
            relay.Reap();
            Assert.AreEqual(2, s.UpstreamCloses, "the late connect closed, the fallback's attempt not yet");
            s.HoldConnects = false;
            Assert.AreEqual((int)SessionStep.Relay, (int)s.Do(1));
        }

        [TestMethod]
        public void Replay_ProxyHeaderThenTheClientsBytes()
        {
            TestRelay relay = Relay(new FakeClock(), 4);
            TestSession s = relay.Accept(0, Phone);
            Assert.IsTrue(s.Sends("WA").Sends("\u0006\u0005").StartRelay());
            byte[] sent = s.SentUpstream;
            Assert.AreEqual("PROXY TCP4 198.51.100.7 127.0.0.1 40000 5222\r\nWA", Bytes.Text(sent, 0, sent.Length),
                "admitted on the first read: what came with it is replayed, the rest is the pump's");
            Assert.AreEqual(2, (int)s.BytesToUpstream, "the replay counts as relayed, the header does not");
        }

        [TestMethod]
        public void Admission_ClientGoneBeforeDeciding_ClosedEarly()
        {
            TestRelay relay = Relay(new FakeClock(), 4);
            TestSession s = relay.Accept(0, Phone);
            Assert.AreEqual((int)SessionStep.Done, (int)s.Finishes().Run());
            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.ClosedEarly));
            Assert.AreEqual(0, relay.ActiveSessions);
        }

        [TestMethod]
        public void Admission_HelloLargerThanTheFirstBuffer_MovesToALargerOne_ElseMalformed()
        {
            RelayConfig config = TestRelay.Config(4, 0, 0);
            config.Routes = new RouteConfig[] { ConfigDefaults.MediaRoute(7777) };
            TestRelay relay = new TestRelay(config, new FakeResolver("*", 0x0A000001), new FakeClock());
            HelloBuilder big = new HelloBuilder();
            big.Padding = 3000;
            byte[] hello = big.Build();

            TestSession grows = relay.Accept(0, Phone);
            grows.BufferSize = 1024;
            Assert.IsTrue(grows.Sends(hello).StartRelay(), "1 KB, then a larger buffer for the rest of the hello");
            Assert.AreEqual(hello.Length, grows.SentUpstream.Length, "replayed whole");

            TestSession cannot = relay.Accept(0, Other);
            cannot.BufferSize = 1024;
            cannot.LargestBuffer = 0;
            Assert.AreEqual((int)SessionStep.Done, (int)cannot.Sends(hello).Run());
            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.Malformed));
        }

        [TestMethod]
        public void PerClientCap_ThirdSessionOfOneAddressRefused_OthersServed()
        {
            TestRelay relay = Relay(new FakeClock(), 8, null, 2, 0);
            TestSession a = relay.Accept(0, Phone);
            TestSession b = relay.Accept(0, Phone);
            Assert.IsNotNull(a);
            Assert.IsNotNull(b);
            Assert.IsNull(relay.Accept(0, Phone), "third from the same address");
            Assert.IsNotNull(relay.Accept(0, Other), "another address");
            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.ClientLimit));
            Assert.AreEqual(2, relay.ActiveClients);
            a.Finish();
            Assert.IsNotNull(relay.Accept(0, Phone), "a place of that address came free");
        }

        [TestMethod]
        public void Full_SessionIdleLongEnough_GivesItsPlace_ElseRefused()
        {
            FakeClock clock = new FakeClock();
            TestRelay relay = Relay(clock, 2, null, 0, 30);
            TestSession quiet = relay.Accept(0, Phone);
            TestSession busy = relay.Accept(0, Other);
            Assert.IsTrue(quiet.StartRelay());
            Assert.IsTrue(busy.StartRelay());

            NetAddress newcomer = NetAddress.FromIPv4(0x0A0A0A0A);
            clock.Advance(29000);
            Assert.AreEqual((int)Verdict.Refuse, (int)relay.TryAdmit(relay.GetRoute(0), newcomer), "nobody idle 30 s yet: full");

            clock.Advance(2000);
            busy.Moved(true, 10);
            Assert.AreEqual((int)Verdict.NeedMore, (int)relay.TryAdmit(relay.GetRoute(0), newcomer), "the quiet one is evicted");
            Assert.AreEqual(1, quiet.ClientCloses);
            Assert.AreEqual(0, busy.ClientCloses, "the busy one is kept");
            int since = relay.Now;
            Assert.AreEqual((int)Verdict.NeedMore, (int)relay.TryReserveAfterEviction(relay.GetRoute(0), newcomer, since), "its place is free once its pump ends");
            quiet.Finish();
            Assert.AreEqual((int)Verdict.Go, (int)relay.TryReserveAfterEviction(relay.GetRoute(0), newcomer, since));
            RouteCounters total = relay.SnapshotTotal();
            Assert.AreEqual(1, total.Refused(RefusalReason.Evicted));
            Assert.AreEqual(1, total.Refused(RefusalReason.Full));
        }

        [TestMethod]
        public void AcceptProxy_HeaderGivesTheClient_ForCapAndUpstreamHeader()
        {
            FakeClock clock = new FakeClock();
            RelayConfig config = TestRelay.Config(4, 1, 0);
            RouteConfig route = ConfigDefaults.ChatRoute(8222);
            route.AcceptProxy = true;
            route.AcceptProxyFrom = new string[] { "10.9.9.0/24" };
            route.ProxyProtocolVersion = 2;
            TestRelay relay = TestRelay.OneRoute(config, route, clock);
            byte[] stream = Bytes.Ascii("PROXY TCP4 198.51.100.7 203.0.113.10 40001 8222\r\nWA\u0006\u0005");
            byte[] first = new byte[20];
            byte[] rest = new byte[stream.Length - 20];
            System.Array.Copy(stream, first, 20);
            System.Array.Copy(stream, 20, rest, 0, rest.Length);

            TestSession s = relay.Accept(0, 0x0A090909); // the load balancer
            Assert.AreEqual((int)SessionStep.ReadClient, (int)s.Sends(first).Run(), "half a header: read on");
            Assert.AreEqual((int)SessionStep.Relay, (int)s.Sends(rest).Run());
            byte[] sent = s.SentUpstream;
            ProxyHeaderReader header = new ProxyHeaderReader();
            Assert.AreEqual(ProxyHeaderReader.Done, header.Read(sent, 0, sent.Length));
            Assert.AreEqual(ProxyHeader.V2Length, header.Length);
            Assert.AreEqual(Phone, header.SourceAddress.IPv4, "upstream sees the original client");
            Assert.AreEqual(40001, header.SourcePort);
            Assert.AreEqual("WA", Bytes.Text(sent, header.Length, 2), "then the client's bytes, the incoming header gone");
            Assert.AreEqual(sent.Length, header.Length + 4);

            TestSession again = relay.Accept(0, 0x0A090909);
            Assert.IsNotNull(again, "the load balancer's own address is not capped");
            Assert.AreEqual((int)SessionStep.Done, (int)again.Sends(stream).Run(), "the same phone, over its cap of 1");
            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.ClientLimit));

            TestSession bad = relay.Accept(0, 0x0A090909);
            Assert.AreEqual((int)SessionStep.Done, (int)bad.Sends("WA\u0006\u0005").Run());
            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.BadProxyHeader));
        }

        [TestMethod]
        public void AcceptProxy_Ipv6ClientBehindTheBalancer_CountedByItsSlash64_SentAsTcp6()
        {
            // PROXY v2 headers (INET6) from the balancer: a board reads no IPv6 text, so the v1
            // TCP6 line in is the host's (Host/Relay/Ipv6SessionTests); the line out is both's.
            TestRelay relay = TestRelay.BehindBalancer();
            string[] phones = new string[] { "2001:db8:7:1::a", "2001:db8:7:1::b", "2001:db8:7:1::c", "2001:db8:7:2::a" };
            string[] phoneBytes = new string[] { "20010db800070001000000000000000a", "20010db800070001000000000000000b", "20010db800070001000000000000000c", "20010db800070002000000000000000a" };
            int relayed = 0;
            for (int i = 0; i < phones.Length; i++)
            {
                TestSession s = relay.Accept(0, 0x0A090909);
                byte[] header = Bytes.Hex("0D0A0D0A000D0A515549540A" + "21" + "21" + "0024" + phoneBytes[i] + "20010db8000000000000000000000010" + "9C41" + "201E" + "57410605");
                if (s.Sends(header).Run() == SessionStep.Relay)
                {
                    relayed++;
                    byte[] sent = s.SentUpstream;
                    Assert.AreEqual("PROXY TCP6 " + phones[i] + " 2001:db8::10 40001 8222\r\n", Bytes.Text(sent, 0, sent.Length - 4));
                }
            }

            Assert.AreEqual(3, relayed, "two of the first /64 (its cap), the third refused, the other /64 served");
            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.ClientLimit));
        }

        // A relay of 4 slots on the fake clock, and the phone's session on route 0 (accepted).
        private static TestSession Accepted(FakeClock clock, out TestRelay relay)
        {
            relay = Relay(clock, 4);
            return relay.Accept(0, Phone);
        }

        // The same session, relaying.
        private static TestSession Relaying(FakeClock clock, out TestRelay relay)
        {
            TestSession s = Accepted(clock, out relay);
            Assert.IsTrue(s.StartRelay());
            return s;
        }

        private static TestRelay Relay(FakeClock clock, int sessions)
        {
            return Relay(clock, sessions, null, 0, 0);
        }

        private static TestRelay Relay(FakeClock clock, int sessions, ListResolver dns)
        {
            return Relay(clock, sessions, dns, 0, 0);
        }

        private static TestRelay Relay(FakeClock clock, int sessions, ListResolver dns, int perClient, int evictSeconds)
        {
            RelayConfig config = TestRelay.Config(sessions, perClient, evictSeconds);
            RouteConfig chat = ConfigDefaults.ChatRoute(5222);
            chat.UpstreamHost = "primary.test";
            chat.FallbackHost = "fallback.test";
            config.Routes = new RouteConfig[] { chat };
            return new TestRelay(config, dns != null ? (Pigeon.Net.IResolver)dns : new FakeResolver("*", 0x0A000001), clock);
        }
    }
}
