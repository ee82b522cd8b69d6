using System;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Host.Service;
using Pigeon.Tests.Support;

namespace Pigeon.Tests.Host.Service
{
    /// <summary>`pigeon status`: the tally file of the relay on this machine, and whether it still runs.</summary>
    [TestClass]
    public class StatusCommandTests
    {
        private const long Now = 1_790_000_000_000;

        private static string WriteTally(long savedAt, int pid)
        {
            string dir = Path.Combine(Path.GetTempPath(), "pigeon-status-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            DailyTally tally = new DailyTally(TallyRecorder.ReasonNames());
            tally.Add(savedAt - 3600 * 1000, 12, 45_600_000, new long[] { 2 });
            File.WriteAllBytes(Path.Combine(dir, TallyFile.FileName), TallyFile.Write(tally, new TallyHeader { Pid = pid, SavedAtMs = savedAt, LastLoggedMs = savedAt }));
            return dir;
        }

        private static int Run(string dir, long now, out string output)
        {
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            int code = StatusCommand.Run(new[] { "status", "--data-dir", dir }, o, e, new FakeClock(now));
            output = o.ToString() + e.ToString();
            return code;
        }

        [TestMethod]
        public void Running_PrintsTheLine_Exit0()
        {
            string dir = WriteTally(Now - 20_000, Environment.ProcessId); // this test process stands in for the relay
            Assert.AreEqual(0, Run(dir, Now, out string output), output);
            StringAssert.Contains(output, "pigeon: running (pid " + Environment.ProcessId + ")");
            StringAssert.Contains(output, "(20 s ago)");
            StringAssert.Contains(output, "last 24 h: 12 sessions served, 45.6 MB relayed, 2 refused (mostly: relay full)");
            Directory.Delete(dir, true);
        }

        [TestMethod]
        public void StaleFile_NotRunning_Exit3_TheWindowStillSlides()
        {
            string dir = WriteTally(Now - 10 * 60_000, Environment.ProcessId);
            Assert.AreEqual(3, Run(dir, Now, out string output), output);
            StringAssert.Contains(output, "pigeon: not running (last seen ");
            StringAssert.Contains(output, "12 sessions served");
            Assert.AreEqual(3, Run(dir, Now + 24L * 3600 * 1000, out output), output);
            StringAssert.Contains(output, "last 24 h: 0 sessions served");
            Directory.Delete(dir, true);
        }

        [TestMethod]
        public void NoFile_Exit1_SaysSo()
        {
            string dir = Path.Combine(Path.GetTempPath(), "pigeon-status-none-" + Guid.NewGuid().ToString("N"));
            Assert.AreEqual(1, Run(dir, Now, out string output), output);
            StringAssert.Contains(output, "no relay has run here yet");
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            Assert.AreEqual(2, StatusCommand.Run(new[] { "status", "--bogus" }, o, e, new FakeClock(Now)));
            StringAssert.Contains(e.ToString(), "usage: pigeon status");
        }
    }
}
