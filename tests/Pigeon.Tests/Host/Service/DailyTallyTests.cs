using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Host.Service;

namespace Pigeon.Tests.Host.Service
{
    /// <summary>The 24-hour window in ten-minute buckets, driven by hand-set times.</summary>
    [TestClass]
    public class DailyTallyTests
    {
        private const long Minute = 60 * 1000;
        private const long Hour = 60 * Minute;
        private const long Day0 = 1_790_000_000_000; // a wall time, ms since 1970

        private static DailyTally NewTally()
        {
            return new DailyTally(new[] { "full", "helloTimeout", "notTls", "sniNotAllowed", "malformed", "tlsOnChatPort", "closedEarly" });
        }

        [TestMethod]
        public void Sum_CountsTheLast24Hours_AndForgetsOlderBuckets()
        {
            DailyTally t = NewTally();
            t.Add(Day0, 2, 1_000_000, null);
            t.Add(Day0 + 5 * Hour, 3, 2_500_000, new long[] { 1, 0, 0, 4 });
            Assert.AreEqual(5, t.Sum(Day0 + 6 * Hour).Sessions);
            Assert.AreEqual(3_500_000, t.Sum(Day0 + 6 * Hour).Bytes);
            Assert.AreEqual(5, t.Sum(Day0 + 6 * Hour).Refused);

            // 24 h 20 min after the first bucket it has left the window; the second is still in.
            TallySum later = t.Sum(Day0 + 24 * Hour + 20 * Minute);
            Assert.AreEqual(3, later.Sessions);
            Assert.AreEqual(2_500_000, later.Bytes);
            Assert.AreEqual(0, t.Sum(Day0 + 30 * Hour).Sessions, "everything has left the window");
        }

        [TestMethod]
        public void Add_ReusesASlotADayLater_WithoutTheOldCounts()
        {
            DailyTally t = NewTally();
            t.Add(Day0, 7, 70, new long[] { 7 });
            t.Add(Day0 + 24 * Hour, 1, 10, null); // the same slot of the ring, a day later
            TallySum sum = t.Sum(Day0 + 24 * Hour);
            Assert.AreEqual(1, sum.Sessions);
            Assert.AreEqual(10, sum.Bytes);
            Assert.AreEqual(0, sum.Refused);
        }

        [TestMethod]
        public void Line_NamesTheCommonestReasonInPlainWords()
        {
            DailyTally t = NewTally();
            t.Add(Day0, 41, 230_500_000, new long[] { 1, 0, 0, 2 });
            Assert.AreEqual("last 24 h: 41 sessions served, 230.5 MB relayed, 3 refused (mostly: a server other than WhatsApp)", t.Sum(Day0).Line());
            Assert.AreEqual("last 24 h: 0 sessions served, 0.0 MB relayed, 0 refused", NewTally().Sum(Day0).Line());
            DailyTally one = NewTally();
            one.Add(Day0, 1, 49_999, new long[] { 0, 0, 0, 0, 0, 1 });
            Assert.AreEqual("last 24 h: 1 session served, 0.0 MB relayed, 1 refused (mostly: TLS switched on in the app)", one.Sum(Day0).Line());
        }

        [TestMethod]
        public void Clock_SetBack_KeepsCountingWithoutLosingTheWindow()
        {
            DailyTally t = NewTally();
            t.Add(Day0 + 2 * Hour, 4, 0, null);
            t.Add(Day0 + Hour, 1, 0, null); // the wall clock went back an hour
            Assert.AreEqual(5, t.Sum(Day0 + Hour).Sessions);
        }

        [TestMethod]
        public void AddRefused_ByName_UnknownNamesDropped()
        {
            DailyTally t = NewTally();
            t.AddRefused(Day0, "full", 3);
            t.AddRefused(Day0, "someFutureReason", 9);
            TallySum sum = t.Sum(Day0);
            Assert.AreEqual(3, sum.Refused);
            Assert.AreEqual("full", sum.TopReason);
        }
    }
}
