using System;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Host.Service;
using Pigeon.Tests.Host.Relay;
using Pigeon.Tests.Host.Reach;
using Pigeon.Tests.Support;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Service
{
    /// <summary>
    /// The 24-hour line from a real relay on 127.0.0.1, with the tally's clock (the relay's
    /// IClock seam) moved by hand: a day passes in a test without waiting.
    /// </summary>
    [TestClass]
    [DoNotParallelize]
    public class TallyRecorderTests
    {
        private const long Hour = 3600 * 1000;
        private const long Day0 = 1_790_000_000_000;

        [TestMethod]
        [Timeout(60000)]
        public void Tick_CountsServedSessionsBytesAndRefusals_FromTheRelay()
        {
            using TallyRig rig = new TallyRig();
            FakeClock clock = new FakeClock(Day0);
            TallyRecorder recorder = new TallyRecorder(rig.Relay, clock, rig.Folder, new ListLog());
            recorder.Load();
            rig.Traffic(3_000_000);
            recorder.Tick();
            TallySum sum = recorder.Sum();
            Assert.AreEqual(1, sum.Sessions, "the refused client is not a session served");
            Assert.AreEqual(3_000_000, sum.Bytes);
            Assert.AreEqual(1, sum.Refused);
            Assert.AreEqual("notTls", sum.TopReason);
            Assert.AreEqual("last 24 h: 1 session served, 3.0 MB relayed, 1 refused (mostly: not TLS on a media port)", recorder.Line());
            Assert.IsTrue(recorder.AllocatedBytes > 0, "its own allocations are counted (the benchmark subtracts them)");

            // Sampling again without traffic adds nothing (deltas, not totals).
            clock.Advance(Hour);
            recorder.Tick();
            Assert.AreEqual(1, recorder.Sum().Sessions);
            Assert.AreEqual(3_000_000, recorder.Sum().Bytes);
        }

        [TestMethod]
        [Timeout(60000)]
        public void Tick_WhileAClientIsStillSilent_CountsItOnlyOnceRefused_NeverAsServed()
        {
            // A sample taken while a session reads its first bytes (the status page asks for the
            // line at any moment) must not count it as served and then, once refused, again.
            using TallyRig rig = new TallyRig();
            FakeClock clock = new FakeClock(Day0);
            TallyRecorder recorder = new TallyRecorder(rig.Relay, clock, rig.Folder, new ListLog());
            recorder.Load();
            using (System.Net.Sockets.Socket silent = Loopback.Client(rig.SniPort))
            {
                DateTime end = DateTime.UtcNow.AddSeconds(10);
                while (rig.Relay.ActiveSessions == 0 && DateTime.UtcNow < end)
                {
                    System.Threading.Thread.Sleep(10);
                }

                Assert.AreEqual(1, rig.Relay.ActiveSessions, "the silent client holds a session");
                recorder.Tick();
                Assert.AreEqual(0, recorder.Sum().Sessions, "a session still reading its hello is not served");
                silent.Send(System.Text.Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n\r\n"));
                Assert.IsTrue(Loopback.ClosedWithin(silent, 5000));
            }

            DateTime wait = DateTime.UtcNow.AddSeconds(10);
            while (rig.Relay.ActiveSessions > 0 && DateTime.UtcNow < wait)
            {
                System.Threading.Thread.Sleep(10);
            }

            recorder.Tick();
            Assert.AreEqual(0, recorder.Sum().Sessions);
            Assert.AreEqual(1, recorder.Sum().Refused);
        }

        [TestMethod]
        [Timeout(60000)]
        public void Restart_KeepsTheLast24Hours_AndDropsWhatIsOlder()
        {
            FakeClock clock = new FakeClock(Day0);
            string folder;
            using (TallyRig first = new TallyRig())
            {
                folder = first.Folder;
                TallyRecorder recorder = new TallyRecorder(first.Relay, clock, folder, new ListLog());
                recorder.Load();
                first.Traffic(1_500_000);
                recorder.Stop(); // saves
                Assert.IsTrue(File.Exists(Path.Combine(folder, TallyFile.FileName)));

                // A new process: its relay's counters start at zero, the file is read back.
                using TallyRig second = new TallyRig(folder);
                clock.Advance(5 * Hour);
                TallyRecorder restarted = new TallyRecorder(second.Relay, clock, folder, new ListLog());
                restarted.Load();
                Assert.AreEqual("last 24 h: 1 session served, 1.5 MB relayed, 1 refused (mostly: not TLS on a media port)", restarted.Line());
                clock.Advance(20 * Hour); // 25 h after the traffic
                Assert.AreEqual("last 24 h: 0 sessions served, 0.0 MB relayed, 0 refused", restarted.Line());
            }
        }

        [TestMethod]
        [Timeout(60000)]
        public void DailyLine_LoggedOnceADay_AndNotEarlyAfterARestart()
        {
            using TallyRig rig = new TallyRig();
            FakeClock clock = new FakeClock(Day0);
            ListLog log = new ListLog();
            TallyRecorder recorder = new TallyRecorder(rig.Relay, clock, rig.Folder, log);
            recorder.Load();
            rig.Traffic(2_000_000);
            for (int minute = 1; minute < 24 * 60; minute++)
            {
                clock.Advance(60 * 1000);
                recorder.Tick();
            }

            Assert.AreEqual(0, Daily(log), "nothing before a day has passed");
            clock.Advance(60 * 1000);
            recorder.Tick();
            Assert.AreEqual(1, Daily(log));
            StringAssert.StartsWith(log.Lines[log.Lines.Count - 1], "info: last 24 h: ");
            clock.Advance(60 * 1000);
            recorder.Tick();
            Assert.AreEqual(1, Daily(log), "once, not every minute after");
            recorder.Stop();

            // Restart 6 hours later: the next line is due 24 h after the last one, not 24 h after the restart, nor at once.
            clock.Advance(6 * Hour);
            ListLog log2 = new ListLog();
            TallyRecorder restarted = new TallyRecorder(rig.Relay, clock, rig.Folder, log2);
            restarted.Load();
            restarted.Tick();
            Assert.AreEqual(0, Daily(log2));
            clock.Advance(18 * Hour);
            restarted.Tick();
            Assert.AreEqual(1, Daily(log2));
        }

        [TestMethod]
        [Timeout(60000)]
        public void DamagedFile_IsReported_CountingStartsAgain_AndTheFileIsRewritten()
        {
            using TallyRig rig = new TallyRig();
            Directory.CreateDirectory(rig.Folder);
            string path = Path.Combine(rig.Folder, TallyFile.FileName);
            File.WriteAllText(path, "{\"version\":1,\"pid\":1,\"savedAtMs\":1,\"lastLoggedMs\":1,\"buckets\":[{\"startMs\":1,\"sessions\":-5,\"bytes\":0,\"refused\":{}}]}");
            ListLog log = new ListLog();
            TallyRecorder recorder = new TallyRecorder(rig.Relay, new FakeClock(Day0), rig.Folder, log);
            recorder.Load();
            Assert.IsTrue(log.Lines.Exists(l => l.StartsWith("warn: activity: ", StringComparison.Ordinal) && l.Contains("counting from now")), string.Join("\n", log.Lines));
            recorder.Tick();
            DailyTally check = new DailyTally(TallyRecorder.ReasonNames());
            TallyHeader header = TallyFile.Read(File.ReadAllBytes(path), check);
            Assert.IsNotNull(header, "rewritten as a good file");
            Assert.AreEqual(Environment.ProcessId, header.Pid);
            Assert.AreEqual(Day0, header.SavedAtMs);
        }

        private static int Daily(ListLog log)
        {
            return log.Lines.FindAll(l => l.StartsWith("info: last 24 h: ", StringComparison.Ordinal)).Count;
        }
    }
}
