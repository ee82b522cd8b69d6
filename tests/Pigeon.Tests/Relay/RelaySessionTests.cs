// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;
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
            TestRelay relay = Relay(clock, 4);
            TestSession s = relay.Accept(0, Phone);
            Assert.IsTrue(s.StartRelay());
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
            TestRelay relay = Relay(clock, 4);
            TestSession s = relay.Accept(0, Phone);
            Assert.IsTrue(s.StartRelay());
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
            TestRelay relay = Relay(clock, 4);
            TestSession s = relay.Accept(0, Phone);
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
            TestRelay relay = Relay(clock, 4);
            TestSession s = relay.Accept(0, Phone);
            Assert.IsTrue(s.StartRelay());
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
            TestRelay relay = Relay(clock, 4);
            TestSession s = relay.Accept(0, Phone);
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
            Assert.AreEqual(RelaySession.TargetLookup, s.NextTarget(), "primary not cached yet");
            Assert.IsFalse(s.LookupTarget(), "primary does not resolve");
            Assert.AreEqual(RelaySession.TargetLookup, s.NextTarget());
            Assert.IsTrue(s.LookupTarget());
            Assert.AreEqual(0x0A000002u, s.TargetAddress);
            Assert.AreEqual(5222, s.TargetPort);
            Assert.AreEqual(RelaySession.TargetNone, s.NextTarget(), "nothing after the fallback");

            TestSession next = relay.Accept(0, Other);
            Assert.AreEqual(RelaySession.TargetReady, next.NextTarget(), "the primary's failure is cached: straight to the cached fallback");
            Assert.AreEqual(0x0A000002u, next.TargetAddress);
            Assert.AreEqual(2, dns.Calls);
        }

        [TestMethod]
        public void Dial_ConnectTimeout_ClosesTheUpstreamAttemptOnly()
        {
            FakeClock clock = new FakeClock();
            TestRelay relay = Relay(clock, 4);
            TestSession s = relay.Accept(0, Phone);
            Assert.AreEqual(RelaySession.TargetLookup, s.NextTarget());
            Assert.IsTrue(s.LookupTarget());
            clock.Advance(5000);
            relay.Reap();
            Assert.AreEqual(1, s.UpstreamCloses);
            Assert.AreEqual(0, s.ClientCloses);
            Assert.IsFalse(s.Connected(), "a connect that finishes after the reaper gave up is not used");
            Assert.AreEqual(RelaySession.TargetLookup, s.NextTarget(), "the fallback gets its own attempt");
            Assert.IsTrue(s.LookupTarget());
            clock.Advance(4999);
            relay.Reap();
            Assert.AreEqual(1, s.UpstreamCloses, "and its own deadline");
            Assert.IsTrue(s.Connected());
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

            clock.Advance(29000);
            Assert.AreEqual((int)RefusalReason.Full, relay.TryAdmit(relay.GetRoute(0), 0x0A0A0A0A), "nobody idle 30 s yet");

            clock.Advance(2000);
            busy.Moved(true, 10);
            Assert.AreEqual(Verdict.NeedMore, relay.TryAdmit(relay.GetRoute(0), 0x0A0A0A0A), "the quiet one is evicted");
            Assert.AreEqual(1, quiet.ClientCloses);
            Assert.AreEqual(0, busy.ClientCloses, "the busy one is kept");
            int since = relay.Now;
            Assert.AreEqual(Verdict.NeedMore, relay.TryReserveAfterEviction(relay.GetRoute(0), 0x0A0A0A0A, since), "its place is free once its pump ends");
            quiet.Finish();
            Assert.AreEqual(Verdict.Go, relay.TryReserveAfterEviction(relay.GetRoute(0), 0x0A0A0A0A, since));
            RouteCounters total = relay.SnapshotTotal();
            Assert.AreEqual(1, total.Refused(RefusalReason.Evicted));
            Assert.AreEqual(1, total.Refused(RefusalReason.Full));
        }

        [TestMethod]
        public void AcceptProxy_HeaderGivesTheClient_ForCapAndUpstreamHeader()
        {
            FakeClock clock = new FakeClock();
            RelayConfig config = Config(4, 1, 0);
            RouteConfig route = ConfigDefaults.ChatRoute(8222);
            route.AcceptProxy = true;
            route.ProxyProtocolVersion = 2;
            config.Routes = new RouteConfig[] { route };
            TestRelay relay = new TestRelay(config, new FakeResolver("*", 0x0A000001), clock);
            byte[] stream = Bytes.Ascii("PROXY TCP4 198.51.100.7 203.0.113.10 40001 8222\r\nWA\u0006\u0005");

            TestSession s = relay.Accept(0, 0x0A090909); // the load balancer
            Assert.AreEqual(Verdict.NeedMore, s.Admit(stream, 0, 20));
            Assert.AreEqual(Verdict.Go, s.Admit(stream, 0, stream.Length));
            Assert.AreEqual(stream.Length - 4, s.PayloadOffset, "the client's bytes start after the header");
            byte[] header = new byte[ProxyHeader.MaxLength];
            int n = s.WriteProxyHeader(header, 0);
            ProxyHeaderReader sent = new ProxyHeaderReader();
            Assert.AreEqual(ProxyHeaderReader.Done, sent.Read(header, 0, n));
            Assert.AreEqual(ProxyHeader.V2Length, n);
            Assert.AreEqual(Phone, sent.SourceAddress, "upstream sees the original client");
            Assert.AreEqual(40001, sent.SourcePort);

            TestSession again = relay.Accept(0, 0x0A090909);
            Assert.IsNotNull(again, "the load balancer's own address is not capped");
            Assert.AreEqual((int)RefusalReason.ClientLimit, again.Admit(stream, 0, stream.Length), "the same phone, over its cap of 1");

            TestSession bad = relay.Accept(0, 0x0A090909);
            byte[] garbage = Bytes.Ascii("WA\u0006\u0005");
            Assert.AreEqual((int)RefusalReason.BadProxyHeader, bad.Admit(garbage, 0, garbage.Length));
        }

        [TestMethod]
        public void TerminateTls_TlsStartsHandshake_ThenInnerHttpIsDecoy()
        {
            RelayConfig config = Config(4, 0, 0);
            RouteConfig route = ConfigDefaults.ChatRoute(443);
            route.TerminateTls = true;
            config.Routes = new RouteConfig[] { route };
            TestRelay relay = new TestRelay(config, new FakeResolver("*", 0x0A000001), new FakeClock());
            TestSession s = relay.Accept(0, Phone);
            byte[] hello = new HelloBuilder().Build();
            Assert.AreEqual(Verdict.StartTls, s.Admit(hello, 0, hello.Length));
            s.TlsStarted();
            byte[] inner = Bytes.Ascii("GET / HTTP/1.1\r\n\r\n");
            Assert.AreEqual(Verdict.Decoy, s.Admit(inner, 0, inner.Length));
            byte[] head = new byte[DecoyPage.MaxHeadLength];
            Assert.IsTrue(s.WriteDecoyHead(inner, 0, inner.Length, head, 0) > 0);
            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.Probe));

            TestSession chat = relay.Accept(0, Other);
            Assert.AreEqual(Verdict.StartTls, chat.Admit(hello, 0, hello.Length));
            chat.TlsStarted();
            Assert.AreEqual(Verdict.Go, chat.Admit(Bytes.Ascii("WA\u0006\u0005"), 0, 4));
            Assert.AreEqual(0, chat.PayloadOffset);
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
            RelayConfig config = Config(sessions, perClient, evictSeconds);
            RouteConfig chat = ConfigDefaults.ChatRoute(5222);
            chat.UpstreamHost = "primary.test";
            chat.FallbackHost = "fallback.test";
            config.Routes = new RouteConfig[] { chat };
            return new TestRelay(config, dns != null ? (Pigeon.Net.IResolver)dns : new FakeResolver("*", 0x0A000001), clock);
        }

        private static RelayConfig Config(int sessions, int perClient, int evictSeconds)
        {
            RelayConfig config = ConfigDefaults.Relay(true);
            config.MaxSessions = sessions;
            config.MaxSessionsPerClient = perClient;
            config.EvictIdleSeconds = evictSeconds;
            return config;
        }
    }
}
