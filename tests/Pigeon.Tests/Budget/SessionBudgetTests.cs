// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Budget;
using Pigeon.Config;
using Pigeon.Relay;
using Pigeon.Upstream;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Budget
{
    [TestClass]
    public class SessionBudgetTests
    {
        // The rows of docs/device.md's budget: a 16-socket board (~100 KB heap), the board's two
        // default routes (5222, 7777), the portal's listener + 2 slots (no "busy" socket), 1 socket
        // for port mapping + health checks, SNTP on no socket (lwIP's raw UDP), buffers of
        // max(2 x 2 KB, 4 KB hello) = 4 KB, 40 KB + 16 KB reach kept.
        [TestMethod]
        public void ForBoard_DefaultConfigOn16Sockets_FiveSessionsWithPortMapping()
        {
            SessionBudget b = SessionBudget.ForBoard(ConfigDefaults.Relay(true), 16, 100 * 1024);
            Assert.AreEqual(5, b.Sessions);
            Assert.AreEqual(5, b.SessionsBySockets);
            Assert.IsTrue(b.Reach);
            Assert.AreEqual(2, b.Routes.Length);
            Assert.AreEqual(3, b.PortalSockets);
            Assert.AreEqual(4096 + SessionBudget.SessionOverheadBytes, b.HeapPerSession);
            Assert.AreEqual(SessionBudget.ReservedHeapBytes + SessionBudget.ReachHeapBytes, b.ReservedBytes);
            Assert.IsTrue(b.SessionsByHeap >= 5, "heap: " + b.SessionsByHeap.ToString());
        }

        [TestMethod]
        public void ForBoard_FourRoutes_FourSessions()
        {
            // The old default (443, 5222, 587, 7777): every route is a listening socket.
            RelayConfig relay = ConfigDefaults.Relay(true);
            relay.Routes = ConfigDefaults.WhatsAppRoutes();
            SessionBudget b = SessionBudget.ForBoard(relay, 16, 100 * 1024);
            Assert.AreEqual(4, b.Sessions);
            Assert.AreEqual("sockets", b.LimitedBy);
            Assert.AreEqual(4, b.Routes.Length);
            Assert.IsTrue(b.Reach);
        }

        [TestMethod]
        public void ForBoard_EightSockets_OneSessionWithoutPortMapping()
        {
            // ESP32_C3_BETA (8 sockets): 8 - 2 listeners - 2 portal (listener + 1 slot) - 1 port
            // mapping = 3 sockets: one session.
            SessionBudget b = SessionBudget.ForBoard(ConfigDefaults.Relay(true), 8, 120 * 1024);
            Assert.AreEqual(1, b.Sessions);
            Assert.IsTrue(b.Reach);
            Assert.AreEqual(2, b.PortalSockets);
        }

        [TestMethod]
        public void ForBoard_NoSessionWithAllRoutes_KeepsTheFirstRouteOfEachUpstream()
        {
            // 8 sockets, four routes: 8 - 4 - 2 - 1 = 1 socket, no session; chat 443 and media 587
            // (the first of each upstream) leave 3: one session.
            RelayConfig relay = ConfigDefaults.Relay(true);
            relay.Routes = ConfigDefaults.WhatsAppRoutes();
            SessionBudget b = SessionBudget.ForBoard(relay, 8, 120 * 1024);
            Assert.AreEqual(1, b.Sessions);
            Assert.AreEqual(2, b.Routes.Length);
            Assert.AreEqual(443, b.Routes[0].ListenPort);
            Assert.AreEqual(587, b.Routes[1].ListenPort);
            Assert.IsTrue(b.Reach);
        }

        [TestMethod]
        public void ForBoard_OnlyWithoutReach_DropsPortMappingForTheSession()
        {
            // 6 sockets, two routes, portal 2: with port mapping 6 - 2 - 2 - 1 = 1 socket, no
            // session; without it 2 sockets, one session: a session comes first.
            SessionBudget b = SessionBudget.ForBoard(ConfigDefaults.Relay(true), 6, 120 * 1024);
            Assert.AreEqual(1, b.Sessions);
            Assert.IsFalse(b.Reach);
            Assert.AreEqual(0, b.ReachSocketCount);
            Assert.AreEqual(SessionBudget.ReservedHeapBytes, b.ReservedBytes);
        }

        [TestMethod]
        public void ForBoard_SmallHeap_LimitedByHeap()
        {
            // 70 KB - 56 KB kept = 14 KB / 6 KB = 2 sessions.
            SessionBudget b = SessionBudget.ForBoard(ConfigDefaults.Relay(true), 16, 70 * 1024);
            Assert.AreEqual(2, b.Sessions);
            Assert.AreEqual("heap", b.LimitedBy);
        }

        [TestMethod]
        public void ForBoard_NoRelaySection_NothingAndNoThrow()
        {
            SessionBudget b = SessionBudget.ForBoard(null, 16, 100 * 1024);
            Assert.AreEqual(0, b.Sessions);
            Assert.AreEqual(0, b.Routes.Length);
        }

        [TestMethod]
        public void BufferBytesPerSession_OneArrayOfTwoBuffersAtLeastTheHello()
        {
            // The board's defaults: 2 x 2 KB and a 4 KB hello share one 4 KB array.
            Assert.AreEqual(4096, SessionBudget.BufferBytesPerSession(2048, 4096));
            Assert.AreEqual(8192, SessionBudget.BufferBytesPerSession(4096, 4096));
            Assert.AreEqual(16384, SessionBudget.BufferBytesPerSession(2048, 16384));
            // A half is never shorter than a PROXY line, a hello than 64 bytes.
            Assert.AreEqual(2 * ProxyHeader.MaxLength, SessionBudget.BufferBytesPerSession(1, 0));
            Assert.AreEqual(2 * ProxyHeader.MaxLength, SessionBudget.BufferBytesPerSession(-5, -5));
        }

        [TestMethod]
        public void Describe_FirstLineIsTheSessionsThenTheArithmetic()
        {
            SessionBudget b = SessionBudget.ForBoard(ConfigDefaults.Relay(true), 16, 100 * 1024);
            string[] lines = b.Describe("estimate");
            Assert.AreEqual("sessions: 5 (sockets allow 5, heap 7, the config asks for 5)", lines[0]);
            Assert.AreEqual("sockets: 16 - 2 listeners (5222, 7777) - 3 portal (listener + 2 slots) - 1 port mapping and upstream checks = 10 for sessions, 2 each: 5", lines[1]);
            Assert.IsTrue(lines[2].StartsWith("heap: 100 KB free (estimate) - 56 KB kept"), lines[2]);
            Assert.IsTrue(lines[2].EndsWith("6 KB each (4 KB buffer + 2 KB overhead, estimate): 7"), lines[2]);
            Assert.AreEqual("config: relay.maxSessions 5", lines[3]);
        }

        [TestMethod]
        public void Compute_ReachSockets_CountedBeforeSessions()
        {
            // 16 - 4 listeners - 3 portal = 9 = 4 sessions; the reach socket leaves 8 = 4 too, and
            // with a fifth route 7 = 3: the odd socket stays spare, no session is counted on it.
            SessionBudget without = SessionBudget.Compute(8, 16, 5, 3, 0, 2048 * 1024, 0, 4096);
            SessionBudget with = SessionBudget.Compute(8, 16, 5, 3, SessionBudget.ReachSockets, 2048 * 1024, 0, 4096);
            Assert.AreEqual(4, without.Sessions);
            Assert.AreEqual(3, with.Sessions);
            Assert.AreEqual(3, with.SessionsBySockets);
        }

        [TestMethod]
        public void Compute_ConfigAsksForLess_ConfigWins()
        {
            SessionBudget b = SessionBudget.Compute(2, 16, 2, 3, 1, 2048 * 1024, 40 * 1024, 4096);
            Assert.AreEqual(2, b.Sessions);
            Assert.AreEqual("config", b.LimitedBy);
        }

        [TestMethod]
        public void Compute_PortalTakesMoreSockets_RelayLosesSessionsNotTheOtherWay()
        {
            // The portal's share is fixed before sessions are counted: more portal slots means
            // fewer sessions, never a session without its two sockets.
            SessionBudget two = SessionBudget.Compute(8, 16, 2, SessionBudget.PortalSocketsFor(2), 1, 2048 * 1024, 0, 4096);
            SessionBudget four = SessionBudget.Compute(8, 16, 2, SessionBudget.PortalSocketsFor(4), 1, 2048 * 1024, 0, 4096);
            Assert.AreEqual(5, two.Sessions);
            Assert.AreEqual(4, four.Sessions);
        }

        [TestMethod]
        public void Compute_NegativeInputs_ZeroSessionsNoThrow()
        {
            SessionBudget b = SessionBudget.Compute(-1, -16, -4, -2, -1, -1, -1, -1);
            Assert.AreEqual(0, b.Sessions);
            Assert.AreEqual(0, b.SessionsBySockets);
        }
    }
}
