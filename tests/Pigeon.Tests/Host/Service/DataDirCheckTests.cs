using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Host;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Service
{
    /// <summary>`config check --data-dir DIR`, the service's ExecStartPre: what a start would use, unchanged.</summary>
    [TestClass]
    public class DataDirCheckTests
    {
        private static int Check(string dir, out string output)
        {
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            int code = HostConfig.RunCommand(new[] { "config", "check", "--data-dir", dir }, o, e);
            output = o.ToString() + e.ToString();
            return code;
        }

        private static ConfigStore Store(string dir)
        {
            ConfigStore store = new ConfigStore(new FolderFileStore(dir), false);
            store.Load();
            return store;
        }

        // A folder with two saves: the defaults in config.json.bak, maxSessions 100 in config.json.
        private static string SavedTwice()
        {
            string dir = TestFolder.Create("pigeon-check");
            ConfigStore store = Store(dir);
            PigeonConfig config = ConfigDefaults.Create(false);
            Assert.IsTrue(store.Save(config, new ValidationReport()));
            config.Relay.MaxSessions = 100;
            Assert.IsTrue(store.Save(config, new ValidationReport()));
            Assert.IsTrue(File.Exists(Path.Combine(dir, "config.json.bak")));
            return dir;
        }

        // Writes `content` (UTF-8) as DIR/`file`; `config check` then refuses the folder (exit 1) saying each of `said`.
        private static void RefusedWith(string dir, string file, string content, params string[] said)
        {
            File.WriteAllText(Path.Combine(dir, file), content, new UTF8Encoding(false));
            Assert.AreEqual(1, Check(dir, out string output), output);
            foreach (string words in said)
            {
                StringAssert.Contains(output, words);
            }
        }

        private static string[] Snapshot(string dir)
        {
            return Directory.GetFiles(dir).OrderBy(f => f).Select(f => Path.GetFileName(f) + ":" + Convert.ToHexString(File.ReadAllBytes(f))).ToArray();
        }

        [TestMethod]
        public void EmptyFolder_Ok_TheFirstStartWritesTheDefaults()
        {
            string dir = TestFolder.Create("pigeon-check");
            Assert.AreEqual(0, Check(dir, out string output), output);
            StringAssert.Contains(output, "none yet");
            Assert.AreEqual(0, Directory.GetFiles(dir).Length, "nothing written");
            Assert.AreEqual(0, Check(Path.Combine(dir, "missing"), out output), output);
            Assert.IsFalse(Directory.Exists(Path.Combine(dir, "missing")), "not created by a check");
        }

        [TestMethod]
        public void SavedConfig_Ok()
        {
            string dir = TestFolder.Create("pigeon-check");
            Assert.IsTrue(Store(dir).Save(ConfigDefaults.Create(false), new ValidationReport()));
            Assert.AreEqual(0, Check(dir, out string output), output);
            StringAssert.Contains(output, "OK, a start uses " + Path.Combine(dir, "config.json"));
        }

        [TestMethod]
        public void HandEditWithErrors_Refused_EvenThoughABackupExists()
        {
            RefusedWith(SavedTwice(), "config.json", "{ \"relay\": { \"maxSessions\": 0 } }", "error: relay.maxSessions", "does not fall back to config.json.bak");
        }

        [TestMethod]
        public void DamagedCopy_NotJsonAnyMore_RefusedWithItsErrors_NothingChanged()
        {
            // On a host a checksum that no longer matches is a hand edit: a copy that then does not
            // read is the operator's to fix, never quietly replaced by the backup.
            string dir = SavedTwice();
            string main = Path.Combine(dir, "config.json");
            byte[] bytes = File.ReadAllBytes(main);
            bytes[20] = (byte)'#'; // no longer JSON, and the seal no longer matches
            File.WriteAllBytes(main, bytes);
            string[] before = Snapshot(dir);
            Assert.AreEqual(1, Check(dir, out string output), output);
            StringAssert.Contains(output, "error: (document): The config is not valid JSON");
            StringAssert.Contains(output, "warning: (document): its checksum does not match its content: it was edited by hand, or damaged");
            StringAssert.Contains(output, "does not fall back to config.json.bak");
            CollectionAssert.AreEqual(before, Snapshot(dir), "a check changes nothing");
        }

        [TestMethod]
        public void HandEditedStoredCopy_ChecksumLeftIn_UsedAndSaidSo()
        {
            string dir = TestFolder.Create("pigeon-check");
            Assert.IsTrue(Store(dir).Save(ConfigDefaults.Create(false), new ValidationReport()));
            string main = Path.Combine(dir, "config.json");
            string text = File.ReadAllText(main);
            StringAssert.Contains(text, "\"checksum\": \"crc32:");
            File.WriteAllText(main, text.Replace("\"maxSessions\": 4096", "\"maxSessions\": 300"));
            Assert.AreEqual(0, Check(dir, out string output), output);
            StringAssert.Contains(output, "note: " + main + " was written or edited by hand");
            StringAssert.Contains(output, "OK, a start uses " + main);
        }

        [TestMethod]
        public void EveryCopyUnusable_WouldRunTheDefaults_Refused()
        {
            RefusedWith(TestFolder.Create("pigeon-check"), "config.json.bak", "{ \"relay\": { \"maxSessions\": \"many\" } }",
                "error: relay.maxSessions: must be a whole number", "a start would run the defaults in setup mode");
        }

        [TestMethod]
        public void ConfigOption_MissingFile_Refused()
        {
            string dir = TestFolder.Create("pigeon-check");
            StringWriter o = new StringWriter();
            Assert.AreEqual(1, HostConfig.RunCommand(new[] { "config", "check", "--config", Path.Combine(dir, "none.json") }, o, new StringWriter()));
            StringAssert.Contains(o.ToString(), "no such file");
        }

        [TestMethod]
        public void InterruptedSave_PendingCopyUsed_ButNotRenamedByTheCheck()
        {
            string dir = TestFolder.Create("pigeon-check");
            ConfigStore store = Store(dir);
            Assert.IsTrue(store.Save(ConfigDefaults.Create(false), new ValidationReport()));
            File.Move(Path.Combine(dir, "config.json"), Path.Combine(dir, "config.json.new")); // cut after step 3
            string[] before = Snapshot(dir);
            Assert.AreEqual(0, Check(dir, out string output), output);
            CollectionAssert.AreEqual(before, Snapshot(dir));
        }

        [TestMethod]
        public void PortalBeyondLoopbackWithoutPassword_Refused()
        {
            RefusedWith(TestFolder.Create("pigeon-check"), "config.json", "{ \"portal\": { \"listenAddress\": \"0.0.0.0\", \"port\": 8080 } }",
                "no admin password is set", "the start would be refused");
        }
    }
}
