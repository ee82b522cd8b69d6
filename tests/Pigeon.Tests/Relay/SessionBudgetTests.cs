// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Relay;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Relay
{
    [TestClass]
    public class SessionBudgetTests
    {
        // The rows of docs/device.md's budget table: classic ESP32 (16 sockets, ~100 KB heap),
        // four WhatsApp routes, portal = listener + 2 slots + the socket it accepts to answer
        // "503 busy", 1 UDP (SNTP), 1 for port mapping + health checks, 4 KB + 2 KB buffers,
        // 40 KB reserved.
        [TestMethod]
        public void Compute_ClassicEsp32RunMode_ThreeSessionsLimitedBySockets()
        {
            SessionBudget b = SessionBudget.Compute(5, 16, 4, 4, 1, SessionBudget.ReachSockets, 100 * 1024, 40 * 1024, 4096, 2048);
            Assert.AreEqual(3, b.SessionsBySockets);
            Assert.AreEqual(3, b.Sessions);
            Assert.AreEqual("sockets", b.LimitedBy);
            Assert.AreEqual(4096 + 2048 + SessionBudget.SessionOverheadBytes, b.HeapPerSession);
        }

        [TestMethod]
        public void Compute_Esp32C3WithFourRoutes_NoSessionFits()
        {
            // ESP32-C3: portal = listener + 1 slot + the 503 socket.
            SessionBudget b = SessionBudget.Compute(5, 8, 4, 3, 1, 0, 120 * 1024, 40 * 1024, 4096, 2048);
            Assert.AreEqual(0, b.Sessions);
            Assert.AreEqual("sockets", b.LimitedBy);
        }

        [TestMethod]
        public void Compute_Esp32C3WithTwoRoutes_OneSession()
        {
            SessionBudget b = SessionBudget.Compute(5, 8, 2, 3, 1, 0, 120 * 1024, 40 * 1024, 4096, 2048);
            Assert.AreEqual(1, b.Sessions);
        }

        [TestMethod]
        public void Compute_Esp32C3WithTwoRoutesAndReach_NoSessionFits()
        {
            // Why the board runs no port mapping / health checks on 8-socket boards: the one
            // socket they hold would be half of the only session.
            SessionBudget b = SessionBudget.Compute(5, 8, 2, 3, 1, SessionBudget.ReachSockets, 120 * 1024, 40 * 1024, 4096, 2048);
            Assert.AreEqual(0, b.Sessions);
            Assert.AreEqual("sockets", b.LimitedBy);
        }

        [TestMethod]
        public void Compute_ReachSockets_CountedBeforeSessions()
        {
            // 16 - 4 listeners - 3 portal - 1 UDP = 8 = 4 sessions; the reach socket leaves 7 = 3
            // sessions: the odd socket stays spare, no session is counted on it.
            SessionBudget without = SessionBudget.Compute(8, 16, 4, 3, 1, 0, 2048 * 1024, 0, 2048, 2048);
            SessionBudget with = SessionBudget.Compute(8, 16, 4, 3, 1, SessionBudget.ReachSockets, 2048 * 1024, 0, 2048, 2048);
            Assert.AreEqual(4, without.Sessions);
            Assert.AreEqual(3, with.Sessions);
            Assert.AreEqual(3, with.SessionsBySockets);
        }

        [TestMethod]
        public void Compute_SmallHeap_LimitedByHeap()
        {
            // 16 sockets would allow 4; 60 KB - 40 KB reserved = 20 KB / 8 KB = 2.
            SessionBudget b = SessionBudget.Compute(5, 16, 4, 2, 1, 0, 60 * 1024, 40 * 1024, 4096, 2048);
            Assert.AreEqual(2, b.SessionsByHeap);
            Assert.AreEqual(2, b.Sessions);
            Assert.AreEqual("heap", b.LimitedBy);
        }

        [TestMethod]
        public void Compute_ConfigAsksForLess_ConfigWins()
        {
            SessionBudget b = SessionBudget.Compute(2, 16, 4, 2, 1, 0, 2048 * 1024, 40 * 1024, 4096, 2048);
            Assert.AreEqual(2, b.Sessions);
            Assert.AreEqual("config", b.LimitedBy);
        }

        [TestMethod]
        public void Compute_PortalTakesMoreSockets_RelayLosesSessionsNotTheOtherWay()
        {
            // The portal's share is fixed before sessions are counted: more portal clients means
            // fewer sessions, never a session without its two sockets.
            SessionBudget one = SessionBudget.Compute(8, 16, 4, 2, 1, 0, 2048 * 1024, 0, 2048, 2048);
            SessionBudget three = SessionBudget.Compute(8, 16, 4, 4, 1, 0, 2048 * 1024, 0, 2048, 2048);
            Assert.AreEqual(4, one.Sessions);
            Assert.AreEqual(3, three.Sessions);
        }

        [TestMethod]
        public void Compute_NegativeInputs_ZeroSessionsNoThrow()
        {
            SessionBudget b = SessionBudget.Compute(-1, -16, -4, -2, -1, -1, -1, -1, -1, -1);
            Assert.AreEqual(0, b.Sessions);
            Assert.AreEqual(0, b.SessionsBySockets);
        }
    }
}
