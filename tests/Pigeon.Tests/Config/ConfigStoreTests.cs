// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;
using Pigeon.Tests.Support;
using Pigeon.Text;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Config
{
    [TestClass]
    public class ConfigStoreTests
    {
        [TestMethod]
        public void Load_NoFiles_DefaultsSetupModeFirstStart()
        {
            ConfigStore store = new ConfigStore(new MemoryFileStore(), true);
            ConfigLoadResult result = store.Load();
            Assert.IsTrue(result.UsedDefaults);
            Assert.IsTrue(result.SetupMode);
            Assert.IsTrue(result.FirstStart);
            Assert.IsFalse(result.FellBack);
            Assert.AreEqual(ConfigText.Write(ConfigDefaults.Create(true)), ConfigText.Write(result.Config));
        }

        [TestMethod]
        public void Save_ThenLoad_SameConfigFromPrimary()
        {
            MemoryFileStore files = new MemoryFileStore();
            ConfigStore store = new ConfigStore(files, true);
            store.Load();
            PigeonConfig c = Sample(1);
            ValidationReport report = new ValidationReport();
            Assert.IsTrue(store.Save(c, report), ConfigText.Describe(report));
            ConfigLoadResult result = new ConfigStore(files, true).Load();
            Assert.AreEqual(ConfigSource.Primary, result.Source);
            Assert.AreEqual("config.json", result.FileUsed);
            Assert.IsFalse(result.SetupMode);
            Assert.AreEqual(ConfigText.Write(c), ConfigText.Write(result.Config));
        }

        [TestMethod]
        public void Save_Invalid_FalseWithErrorsAndNothingWritten()
        {
            MemoryFileStore files = new MemoryFileStore();
            ConfigStore store = new ConfigStore(files, true);
            store.Load();
            PigeonConfig c = Sample(1);
            c.Relay.MaxSessions = 0;
            c.SetupAp.Channel = 0;
            ValidationReport report = new ValidationReport();
            Assert.IsFalse(store.Save(c, report));
            Assert.AreEqual(2, report.ErrorCount);
            Assert.AreEqual(0, files.Writes);
        }

        [TestMethod]
        public void Save_Unchanged_NoFlashWrite()
        {
            MemoryFileStore files = new MemoryFileStore();
            ConfigStore store = new ConfigStore(files, true);
            store.Load();
            ValidationReport report = new ValidationReport();
            Assert.IsTrue(store.Save(Sample(1), report));
            files.ResetSteps();
            Assert.IsTrue(store.Save(Sample(1), report));
            Assert.AreEqual(0, files.Writes);

            // also after a restart: the loaded copy is compared, not the object
            ConfigStore restarted = new ConfigStore(files, true);
            restarted.Load();
            Assert.IsTrue(restarted.Save(restarted.Current, report));
            Assert.AreEqual(0, files.Writes);
            Assert.IsTrue(restarted.Save(Sample(2), report));
            Assert.AreEqual(1, files.Writes);
        }

        [TestMethod]
        public void Current_IsACopy_ChangesNeedSave()
        {
            ConfigStore store = new ConfigStore(new MemoryFileStore(), true);
            store.Load();
            PigeonConfig c = store.Current;
            c.Wifi.Ssid = "changed";
            Assert.AreEqual("", store.Current.Wifi.Ssid);
        }

        [TestMethod]
        public void Load_PrimaryDamaged_FallsBackToBackupAndSaysSo()
        {
            MemoryFileStore files = SavedTwice();
            files.Raw("config.json")[10] ^= 0x01;
            ConfigLoadResult result = new ConfigStore(files, true).Load();
            Assert.AreEqual(ConfigSource.Backup, result.Source);
            Assert.IsTrue(result.FellBack);
            Assert.IsTrue(result.PrimaryDamaged);
            Assert.IsTrue(result.FallbackReason.IndexOf("checksum") >= 0, result.FallbackReason);
            Assert.AreEqual(ConfigText.Write(Sample(1)), ConfigText.Write(result.Config));
        }

        [TestMethod]
        public void Load_AllCopiesDamaged_DefaultsSetupMode()
        {
            MemoryFileStore files = SavedTwice();
            files.Raw("config.json")[10] ^= 0x01;
            files.Raw("config.json.bak")[20] ^= 0x80;
            ConfigLoadResult result = new ConfigStore(files, true).Load();
            Assert.IsTrue(result.UsedDefaults);
            Assert.IsTrue(result.SetupMode);
            Assert.IsTrue(result.FellBack);
            Assert.IsFalse(result.FirstStart);
        }

        [TestMethod]
        public void Save_AfterFallback_KeepsGoodBackup()
        {
            MemoryFileStore files = SavedTwice();
            files.Raw("config.json")[10] ^= 0x01;
            ConfigStore store = new ConfigStore(files, true);
            store.Load();
            ValidationReport report = new ValidationReport();
            Assert.IsTrue(store.Save(Sample(3), report));
            Assert.AreEqual(ConfigText.Write(Sample(1)), ConfigText.Write(LoadOnly(files, "config.json.bak")));
            Assert.AreEqual(ConfigText.Write(Sample(3)), ConfigText.Write(new ConfigStore(files, true).Load().Config));
        }

        [TestMethod]
        public void Load_HandWrittenUnsealedFile_Accepted()
        {
            MemoryFileStore files = new MemoryFileStore();
            files.Put("config.json", Utf8.GetBytes(ConfigFixtures.Full));
            ConfigLoadResult result = new ConfigStore(files, true).Load();
            Assert.AreEqual(ConfigSource.Primary, result.Source);
            Assert.AreEqual(2, result.Report.WarningCount);
        }

        [TestMethod]
        public void Load_HandWrittenWithErrors_RejectedWithPaths()
        {
            MemoryFileStore files = new MemoryFileStore();
            files.Put("config.json", Utf8.GetBytes("{\"relay\":{\"maxSessions\":0},\"portal\":{\"port\":443}}"));
            ConfigLoadResult result = new ConfigStore(files, false).Load();
            Assert.IsTrue(result.UsedDefaults);
            Assert.IsTrue(result.PrimaryRejected);
            Assert.IsFalse(result.PrimaryDamaged);
            Assert.IsTrue(result.RejectedReport.HasErrorAt("relay.maxSessions"));
            Assert.IsTrue(result.RejectedReport.HasErrorAt("portal.port"));
        }

        [TestMethod]
        public void Load_HandEdits_EditedStoredCopyUsedMarkedAndSealedOnSave()
        {
            MemoryFileStore files = SavedTwice();
            Edit(files, "home-2", (byte)'7'); // what an editor leaves: the checksum line untouched
            ConfigStore store = new ConfigStore(files, true);
            store.HandEdits = true;
            ConfigLoadResult result = store.Load();
            Assert.AreEqual(ConfigSource.Primary, result.Source);
            Assert.IsTrue(result.EditedByHand);
            Assert.IsFalse(result.FellBack);
            Assert.AreEqual("home-7", result.Config.Wifi.Ssid);
            ValidationReport report = new ValidationReport();
            Assert.IsTrue(store.Save(Sample(3), report), ConfigText.Describe(report));
            ConfigStore again = new ConfigStore(files, true);
            again.HandEdits = true;
            Assert.IsFalse(again.Load().EditedByHand, "the save sealed it anew");
        }

        [TestMethod]
        public void Load_HandEdits_EditedCopyWithErrors_RejectedNotDamaged()
        {
            MemoryFileStore files = SavedTwice();
            Edit(files, "\"maxSessions\": 4", (byte)'0');
            ConfigStore store = new ConfigStore(files, true);
            store.HandEdits = true;
            ConfigLoadResult result = store.Load();
            Assert.IsTrue(result.PrimaryRejected);
            Assert.IsFalse(result.PrimaryDamaged);
            Assert.IsTrue(result.RejectedReport.HasErrorAt("relay.maxSessions"));
        }

        [TestMethod]
        public void Load_BoardRule_EditedStoredCopyIsDamage()
        {
            MemoryFileStore files = SavedTwice();
            Edit(files, "home-2", (byte)'7');
            ConfigLoadResult result = new ConfigStore(files, true).Load();
            Assert.AreEqual(ConfigSource.Backup, result.Source);
            Assert.IsTrue(result.PrimaryDamaged);
            Assert.IsFalse(result.EditedByHand);
        }

        [TestMethod]
        [DataRow("not json at all")]
        [DataRow("{\"schemaVersion\": 7}")]
        [DataRow("{\"relay\":{\"maxSessions\":5,\"maxSessions\":6}}")]
        public void Load_BadPrimary_NeverThrowsFallsBack(string content)
        {
            MemoryFileStore files = SavedTwice();
            files.Put("config.json", Utf8.GetBytes(content));
            ConfigLoadResult result = new ConfigStore(files, true).Load();
            Assert.AreEqual(ConfigSource.Backup, result.Source);
            Assert.IsTrue(result.RejectedReport.ErrorCount > 0);
        }

        [TestMethod]
        public void FactoryReset_SecretsGoneDefaultsStored()
        {
            MemoryFileStore files = SavedTwice();
            ConfigStore store = new ConfigStore(files, true);
            store.Load();
            store.FactoryReset();
            Assert.IsFalse(files.Exists("config.json.bak"));
            Assert.IsFalse(files.Exists("config.json.new"));
            string stored = Utf8.Decode(files.Raw("config.json"), 0, files.Raw("config.json").Length);
            Assert.AreEqual(-1, stored.IndexOf("correct horse"));
            Assert.AreEqual(-1, stored.IndexOf("dyn-secret"));
            Assert.AreEqual(-1, stored.IndexOf("metrics-secret"));
            Assert.AreEqual(-1, stored.IndexOf("pbkdf2"));
            ConfigLoadResult result = new ConfigStore(files, true).Load();
            Assert.AreEqual(ConfigSource.Primary, result.Source);
            Assert.IsTrue(result.SetupMode);
            Assert.IsFalse(AdminPassword.IsSet(result.Config.Admin));
            Assert.AreEqual(ConfigText.Write(ConfigDefaults.Create(true)), ConfigText.Write(result.Config));
            Assert.AreEqual("", store.Current.Wifi.Password);
        }

        [TestMethod]
        public void Save_StorageFull_FalseAndOldKept()
        {
            MemoryFileStore files = SavedTwice();
            ConfigStore store = new ConfigStore(files, true);
            store.Load();
            files.CutAfter(100); // the write fails part-way, as on a full or failing flash
            ValidationReport report = new ValidationReport();
            Assert.IsFalse(store.Save(Sample(3), report));
            Assert.IsTrue(report.ErrorCount > 0);
            files.PowerOn();
            Assert.AreEqual(ConfigText.Write(Sample(2)), ConfigText.Write(new ConfigStore(files, true).Load().Config));
        }

        /// <summary>A valid board config that differs with <paramref name="n"/> and carries secrets.</summary>
        public static PigeonConfig Sample(int n)
        {
            ValidationReport report = new ValidationReport();
            PigeonConfig c = ConfigText.Read(ConfigFixtures.Full, true, report);
            c.Relay.IdleTimeoutSeconds = 100 + n;
            c.Wifi.Ssid = "home-" + n.ToString();
            return c;
        }

        /// <summary>A store with Sample(1) in the backup and Sample(2) in the main file.</summary>
        public static MemoryFileStore SavedTwice()
        {
            MemoryFileStore files = new MemoryFileStore();
            ConfigStore store = new ConfigStore(files, true);
            store.Load();
            ValidationReport report = new ValidationReport();
            Assert.IsTrue(store.Save(Sample(1), report), ConfigText.Describe(report));
            Assert.IsTrue(store.Save(Sample(2), report), ConfigText.Describe(report));
            return files;
        }

        // Replaces the last byte of the first match of ASCII `find` in config.json.
        private static void Edit(MemoryFileStore files, string find, byte replacement)
        {
            byte[] raw = files.Raw("config.json");
            for (int at = 0; at + find.Length <= raw.Length; at++)
            {
                int k = 0;
                while (k < find.Length && raw[at + k] == (byte)find[k])
                {
                    k++;
                }

                if (k == find.Length)
                {
                    raw[at + k - 1] = replacement;
                    return;
                }
            }

            Assert.IsTrue(false, find + " not found");
        }

        private static PigeonConfig LoadOnly(MemoryFileStore files, string name)
        {
            MemoryFileStore single = new MemoryFileStore();
            single.Put("config.json", files.Read(name));
            ConfigLoadResult result = new ConfigStore(single, true).Load();
            Assert.AreEqual(ConfigSource.Primary, result.Source);
            return result.Config;
        }
    }
}
