using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Host.Service;
using Pigeon.Relay;
using Pigeon.Tests.Host.Reach;
using Pigeon.Tests.Host.Relay;
using Pigeon.Tests.Support;

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

        private static string TempDir()
        {
            string dir = Path.Combine(Path.GetTempPath(), "pigeon-tally-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }

        /// <summary>A relay with a plain route to a draining upstream and an SNI route; idle unless used.</summary>
        private static RelayServer IdleRelay(out int plainPort, out int sniPort, out System.Net.Sockets.TcpListener upstream)
        {
            upstream = LoopbackRig.Listen();
            plainPort = LoopbackRig.FreePort();
            sniPort = LoopbackRig.FreePort();
            RelayConfig config = LoopbackRig.Config(maxSessions: 4);
            config.Routes = new[] { LoopbackRig.Plain(plainPort, LoopbackRig.PortOf(upstream)), LoopbackRig.Sni(sniPort, LoopbackRig.PortOf(upstream)) };
            return LoopbackRig.StartRelay(config);
        }

        /// <summary>One session relaying <paramref name="bytes"/> and one refused plain-text client on the SNI route.</summary>
        private static void Traffic(RelayServer relay, int plainPort, int sniPort, System.Net.Sockets.TcpListener upstream, int bytes)
        {
            Thread drain = new Thread(() =>
            {
                using Socket s = upstream.AcceptSocket();
                byte[] b = new byte[65536];
                while (s.Receive(b) > 0)
                {
                }
            });
            drain.Start();
            using (Socket client = LoopbackRig.Connect(plainPort))
            {
                client.Send(new byte[bytes]);
                client.Shutdown(SocketShutdown.Send);
                LoopbackRig.ClosedWithin(client, 5000);
            }

            drain.Join(10000);
            using (Socket junk = LoopbackRig.Connect(sniPort))
            {
                junk.Send(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n\r\n"));
                Assert.IsTrue(LoopbackRig.ClosedWithin(junk, 5000));
            }

            DateTime end = DateTime.UtcNow.AddSeconds(10);
            while ((relay.SnapshotTotal().BytesToUpstream < bytes || relay.SnapshotTotal().RefusedTotal < 1 || relay.ActiveSessions > 0) && DateTime.UtcNow < end)
            {
                Thread.Sleep(20);
            }
        }

        [TestMethod]
        [Timeout(60000)]
        public void Tick_CountsServedSessionsBytesAndRefusals_FromTheRelay()
        {
            string dir = TempDir();
            RelayServer relay = IdleRelay(out int plain, out int sni, out var upstream);
            try
            {
                FakeClock clock = new FakeClock(Day0);
                TallyRecorder recorder = new TallyRecorder(relay, clock, dir, new ListLog());
                recorder.Load();
                Traffic(relay, plain, sni, upstream, 3_000_000);
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
            finally
            {
                relay.Stop();
                upstream.Stop();
                Directory.Delete(dir, true);
            }
        }

        [TestMethod]
        [Timeout(60000)]
        public void Restart_KeepsTheLast24Hours_AndDropsWhatIsOlder()
        {
            string dir = TempDir();
            RelayServer first = IdleRelay(out int plain, out int sni, out var upstream);
            FakeClock clock = new FakeClock(Day0);
            try
            {
                TallyRecorder recorder = new TallyRecorder(first, clock, dir, new ListLog());
                recorder.Load();
                Traffic(first, plain, sni, upstream, 1_500_000);
                recorder.Stop(); // saves
            }
            finally
            {
                first.Stop();
                upstream.Stop();
            }

            Assert.IsTrue(File.Exists(Path.Combine(dir, TallyFile.FileName)));
            RelayServer second = IdleRelay(out _, out _, out var upstream2); // a new process: its counters start at zero
            try
            {
                clock.Advance(5 * Hour);
                TallyRecorder restarted = new TallyRecorder(second, clock, dir, new ListLog());
                restarted.Load();
                Assert.AreEqual("last 24 h: 1 session served, 1.5 MB relayed, 1 refused (mostly: not TLS on a media port)", restarted.Line());
                clock.Advance(20 * Hour); // 25 h after the traffic
                Assert.AreEqual("last 24 h: 0 sessions served, 0.0 MB relayed, 0 refused", restarted.Line());
            }
            finally
            {
                second.Stop();
                upstream2.Stop();
                Directory.Delete(dir, true);
            }
        }

        [TestMethod]
        [Timeout(60000)]
        public void DailyLine_LoggedOnceADay_AndNotEarlyAfterARestart()
        {
            string dir = TempDir();
            RelayServer relay = IdleRelay(out int plain, out int sni, out var upstream);
            try
            {
                FakeClock clock = new FakeClock(Day0);
                ListLog log = new ListLog();
                TallyRecorder recorder = new TallyRecorder(relay, clock, dir, log);
                recorder.Load();
                Traffic(relay, plain, sni, upstream, 2_000_000);
                for (int minute = 1; minute < 24 * 60; minute++)
                {
                    clock.Advance(60 * 1000);
                    recorder.Tick();
                }

                Assert.AreEqual(0, Daily(log), "nothing before a day has passed");
                clock.Advance(60 * 1000);
                recorder.Tick();
                Assert.AreEqual(1, Daily(log));
                // The traffic happened at Day0; 24 h later it has just left the window.
                StringAssert.StartsWith(log.Lines[log.Lines.Count - 1], "info: last 24 h: ");
                clock.Advance(60 * 1000);
                recorder.Tick();
                Assert.AreEqual(1, Daily(log), "once, not every minute after");
                recorder.Stop();

                // Restart 6 hours later: the next line is due 24 h after the last one, not 24 h after the restart, nor at once.
                clock.Advance(6 * Hour);
                ListLog log2 = new ListLog();
                TallyRecorder restarted = new TallyRecorder(relay, clock, dir, log2);
                restarted.Load();
                restarted.Tick();
                Assert.AreEqual(0, Daily(log2));
                clock.Advance(18 * Hour);
                restarted.Tick();
                Assert.AreEqual(1, Daily(log2));
            }
            finally
            {
                relay.Stop();
                upstream.Stop();
                Directory.Delete(dir, true);
            }
        }

        [TestMethod]
        [Timeout(60000)]
        public void DamagedFile_IsReported_CountingStartsAgain_AndTheFileIsRewritten()
        {
            string dir = TempDir();
            RelayServer relay = IdleRelay(out _, out _, out var upstream);
            try
            {
                string path = Path.Combine(dir, TallyFile.FileName);
                File.WriteAllText(path, "{\"version\":1,\"pid\":1,\"savedAtMs\":1,\"lastLoggedMs\":1,\"buckets\":[{\"startMs\":1,\"sessions\":-5,\"bytes\":0,\"refused\":{}}]}");
                ListLog log = new ListLog();
                TallyRecorder recorder = new TallyRecorder(relay, new FakeClock(Day0), dir, log);
                recorder.Load();
                Assert.IsTrue(log.Lines.Exists(l => l.StartsWith("warn: activity: ", StringComparison.Ordinal) && l.Contains("counting from now")), string.Join("\n", log.Lines));
                recorder.Tick();
                DailyTally check = new DailyTally(TallyRecorder.ReasonNames());
                TallyHeader header = TallyFile.Read(File.ReadAllBytes(path), check);
                Assert.IsNotNull(header, "rewritten as a good file");
                Assert.AreEqual(Environment.ProcessId, header.Pid);
                Assert.AreEqual(Day0, header.SavedAtMs);
            }
            finally
            {
                relay.Stop();
                upstream.Stop();
                Directory.Delete(dir, true);
            }
        }

        private static int Daily(ListLog log)
        {
            return log.Lines.FindAll(l => l.StartsWith("info: last 24 h: ", StringComparison.Ordinal)).Count;
        }
    }
}
