using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Counters;
using Pigeon.Relay;
using Pigeon.Tests.Support;

namespace Pigeon.Tests.Host.Relay
{
    /// <summary>
    /// Host-only: the TLS stage of a terminateTls route and its web site, driven without sockets
    /// like the shared RelaySessionTests (RelaySession.Host.cs, which the board's assembly leaves
    /// out: a board terminates no TLS).
    /// </summary>
    [TestClass]
    public class TlsSessionTests
    {
        private const uint Phone = 0xC6336407;
        private const uint Other = 0xC6336408;

        [TestMethod]
        public void TerminateTls_HandshakeThenInnerHttp_AnsweredAsAWebSite_NothingDialled()
        {
            RelayConfig config = TestRelay.Config(4, 0, 0);
            RouteConfig route = ConfigDefaults.ChatRoute(443);
            route.TerminateTls = true;
            TestRelay relay = TestRelay.OneRoute(config, route, new FakeClock());
            byte[] hello = new HelloBuilder().Build();

            TestSession s = relay.Accept(0, Phone);
            s.HoldHandshakes = true;
            Assert.AreEqual((int)SessionStep.Handshake, (int)s.Sends(hello).Run());
            Assert.AreEqual(hello.Length, s.StepCount, "the handshake is fed the whole hello read so far");
            Assert.AreEqual((int)SessionStep.WaitClient, (int)s.Sends("GET / HTTP/1.1\r\nHost: x\r\n\r\n").Do(1), "answered, kept alive for the next request");
            Assert.IsTrue(s.SentClientText.StartsWith("HTTP/1.1 200 OK\r\n"), s.SentClientText);
            Assert.AreEqual((int)SessionStep.Done, (int)s.Sends("GET /b HTTP/1.1\r\nHost: x\r\n\r\n").Finishes().Run(), "the next request answered, then its FIN");
            Assert.AreEqual(2, ((TestWebSite)relay.Web).Answers);
            Assert.IsFalse(s.ClientShutDown, "the prober finished first");
            Assert.AreEqual(0, s.Connects);
            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.Probe), "one prober, counted once");

            TestSession chat = relay.Accept(0, Other);
            Assert.IsTrue(chat.Sends(hello).Sends("WA\u0006\u0005").StartRelay(), "a chat opening inside the TLS is relayed");
            byte[] sent = chat.SentUpstream;
            Assert.AreEqual("WA", Bytes.Text(sent, sent.Length - 4, 2), "only the inner bytes are replayed");

            TestSession bad = relay.Accept(0, Other);
            bad.HoldHandshakes = true;
            Assert.AreEqual((int)SessionStep.Done, (int)bad.Sends(hello).Fail(RefusalReason.TlsFailed));
            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.TlsFailed));
        }

        [TestMethod]
        public void TerminateTls_WhatNoChatClientSends_AWebServersAnswer_ThenClosed()
        {
            TestRelay relay = TlsRelay(new FakeClock(), 4, null);
            TestSession s = relay.Accept(0, Phone);
            Assert.AreEqual((int)SessionStep.Done, (int)s.Sends(new HelloBuilder().Build()).Sends(Bytes.Hex("0102030405")).Run());
            Assert.IsTrue(s.SentClientText.StartsWith("HTTP/1.1 400 Bad Request\r\n"), s.SentClientText);
            Assert.IsTrue(s.ClientShutDown, "a FIN after the answer");
            Assert.AreEqual(0, s.Connects);
            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.NotChatClient));
        }

        [TestMethod]
        public void Signal_ClientHelloInsideTheTls_PassedThroughToItsHost_NoProxyHeader()
        {
            TestRelay relay = TlsRelay(new FakeClock(), 4, new string[] { "chat.signal.org", "*.cdn.signal.org" });
            HelloBuilder inner = new HelloBuilder();
            inner.Names = new string[] { "chat.signal.org" };
            byte[] signalHello = inner.Build();
            TestSession s = relay.Accept(0, Phone);
            Assert.IsTrue(s.Sends(new HelloBuilder().Build()).Sends(signalHello).StartRelay());
            Assert.AreEqual("10.0.0.1:4443", s.ConnectedTo(0), "the Signal host, on the route's signalPort");
            byte[] sent = s.SentUpstream;
            Assert.AreEqual(signalHello.Length, sent.Length, "the inner hello alone, untouched: no PROXY header");
            for (int i = 0; i < sent.Length; i++)
            {
                Assert.AreEqual(signalHello[i], sent[i]);
            }

            Assert.AreEqual(1, relay.SnapshotTotal().SignalRelayed);

            HelloBuilder other = new HelloBuilder();
            other.Names = new string[] { "evil.example" };
            TestSession refused = relay.Accept(0, Other);
            Assert.AreEqual((int)SessionStep.Done, (int)refused.Sends(new HelloBuilder().Build()).Sends(other.Build()).Run());
            Assert.AreEqual(0, refused.Connects);
            Assert.IsTrue(refused.SentClientText.StartsWith("HTTP/1.1 400"), "refused as a web server would answer it");
            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.SniNotAllowed));

            TestSession chat = relay.Accept(0, Other + 1);
            Assert.IsTrue(chat.Sends(new HelloBuilder().Build()).Sends("WA\u0006\u0005").StartRelay(), "WhatsApp chat on the same port");
            Assert.AreEqual("10.0.0.1:5222", chat.ConnectedTo(0));
            Assert.AreEqual(1, relay.SnapshotTotal().SignalRelayed);
        }

        [TestMethod]
        public void TlsHello_WaitsAsAWebServerWould_ButGivesItsPlaceUpWhenScarce()
        {
            FakeClock clock = new FakeClock();
            TestRelay relay = TlsRelay(clock, 8, null);
            TestSession slow = relay.Accept(0, Phone);
            clock.Advance(59999);
            relay.Reap();
            Assert.AreEqual(0, slow.ClientCloses, "a web server waits 60 s for the handshake and the request");
            clock.Advance(1);
            relay.Reap();
            Assert.AreEqual(1, slow.ClientCloses);

            TestSession[] crowd = new TestSession[6];
            for (int i = 0; i < crowd.Length; i++)
            {
                crowd[i] = relay.Accept(0, Other + (uint)i);
            }

            clock.Advance(10000);
            relay.Reap();
            Assert.AreEqual(1, crowd[0].ClientCloses, "6 of 8 places taken (with the first, still ending): the hello timeout is the slot defence");
        }

        private static TestRelay TlsRelay(FakeClock clock, int sessions, string[] signal)
        {
            RelayConfig config = TestRelay.Config(sessions, 0, 0);
            RouteConfig route = ConfigDefaults.ChatRoute(443);
            route.TerminateTls = true;
            route.ChatOpeningCheck = true;
            route.SignalSni = signal ?? new string[0];
            route.SignalPort = 4443;
            return TestRelay.OneRoute(config, route, clock);
        }
    }
}
