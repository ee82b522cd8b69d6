using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Host;
using Pigeon.Host.Service;
using Pigeon.Tests.Host.Reach;
using Pigeon.Tests.Support;

namespace Pigeon.Tests.Host.Service
{
    /// <summary>
    /// Issue 13, item 4: config.json, its .bak and .new copies (passwords, the metrics token) and
    /// the other files of the data folder are 0600 whatever the umask; a folder Pigeon makes is 0700.
    /// The umask is set to 000 (the loosest) around each test, in this process.
    /// </summary>
    [TestClass]
    [DoNotParallelize]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public class OwnerOnlyFileTests
    {
        private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        [DllImport("libc", EntryPoint = "umask")]
        private static extern uint SetUmask(uint mask);

        private static string TempDir()
        {
            return Path.Combine(Path.GetTempPath(), "pigeon-mode-" + Guid.NewGuid().ToString("N"));
        }

        private static void WithUmask000(Action body)
        {
            if (OperatingSystem.IsWindows())
            {
                Assert.Inconclusive("no umask or Unix modes on Windows");
            }

            uint before = SetUmask(0);
            try
            {
                body();
            }
            finally
            {
                SetUmask(before);
            }
        }

        [TestMethod]
        public void ConfigCopies_AreOwnerOnly_UnderUmask000()
        {
            WithUmask000(() =>
            {
                string dir = TempDir();
                ConfigStore store = new ConfigStore(new FolderFileStore(dir), false);
                store.Load();
                PigeonConfig config = ConfigDefaults.Create(false);
                config.Network.MetricsToken = "a-metrics-token-of-some-length";
                Assert.IsTrue(store.Save(config, new ValidationReport()));
                config.Network.DynDnsPassword = "dyndns secret";
                Assert.IsTrue(store.Save(config, new ValidationReport()));
                Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir), "the data folder");
                Assert.AreEqual(OwnerOnly, File.GetUnixFileMode(Path.Combine(dir, "config.json")));
                Assert.AreEqual(OwnerOnly, File.GetUnixFileMode(Path.Combine(dir, "config.json.bak")));

                // The pending copy exists only mid-save: write it the way step 1 does.
                FolderFileStore files = new FolderFileStore(dir);
                Assert.IsTrue(files.Write("config.json.new", new byte[] { 1, 2, 3 }, 0, 3));
                Assert.AreEqual(OwnerOnly, File.GetUnixFileMode(Path.Combine(dir, "config.json.new")));
                Directory.Delete(dir, true);
            });
        }

        [TestMethod]
        public void OlderWorldReadableCopies_BecomeOwnerOnly_WhenRewrittenOrRenamed()
        {
            WithUmask000(() =>
            {
                string dir = TempDir();
                Directory.CreateDirectory(dir);
                string main = Path.Combine(dir, "config.json");
                string other = Path.Combine(dir, "other.json");
                File.WriteAllText(main, "{}");
                File.WriteAllText(other, "{}");
                File.SetUnixFileMode(main, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                File.SetUnixFileMode(other, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                FolderFileStore files = new FolderFileStore(dir);
                Assert.IsTrue(files.Write("config.json", new byte[] { 0x7B, 0x7D }, 0, 2));
                Assert.AreEqual(OwnerOnly, File.GetUnixFileMode(main), "rewritten in place");
                Assert.IsTrue(files.Rename("other.json", "config.json.bak"));
                Assert.AreEqual(OwnerOnly, File.GetUnixFileMode(Path.Combine(dir, "config.json.bak")), "renamed");
                Directory.Delete(dir, true);
            });
        }

        [TestMethod]
        [Timeout(60000)]
        public void ActivityFile_IsOwnerOnly()
        {
            WithUmask000(() =>
            {
                using TallyRig rig = new TallyRig();
                TallyRecorder recorder = new TallyRecorder(rig.Relay, new FakeClock(1_790_000_000_000), rig.Folder, new ListLog());
                recorder.Load();
                recorder.Tick();
                Assert.AreEqual(OwnerOnly, File.GetUnixFileMode(Path.Combine(rig.Folder, TallyFile.FileName)));
            });
        }
    }
}
