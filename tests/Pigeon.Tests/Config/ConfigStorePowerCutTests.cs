// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using System.Threading;
using Pigeon.Config;
using Pigeon.Tests.Support;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Config
{
    [TestClass]
    public class ConfigStorePowerCutTests
    {
        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        [DataRow(2)]
        [DataRow(3)]
        public void Save_CutAtEveryStep_LoadsOldOrNewNeverGarbage(int scenario)
        {
            // Scenarios: 0 = first save over nothing (old = defaults, no file: only here may a
            // load give defaults); 1 = main file and backup good; 2 = main file damaged, backup
            // good; 3 = only a main file.
            string oldText = ConfigText.Write(scenario == 0 ? ConfigDefaults.Create(true) : ConfigStoreTests.Sample(scenario == 2 ? 1 : 2));
            string newText = ConfigText.Write(ConfigStoreTests.Sample(7));

            // Count the steps of an uninterrupted save.
            MemoryFileStore probe = Scenario(scenario);
            ConfigStore probeStore = new ConfigStore(probe, true);
            probeStore.Load();
            probe.ResetSteps();
            ValidationReport report = new ValidationReport();
            Assert.IsTrue(probeStore.Save(ConfigStoreTests.Sample(7), report), ConfigText.Describe(report));
            int total = probe.Steps;
            Assert.IsTrue(total > 1000, "a save writes the whole document byte by byte: " + total.ToString());

            int sawOld = 0;
            int sawNew = 0;
            int tried = 0;
            for (int cut = 0; cut <= total; cut++)
            {
                if (!TestScale.Tries(cut, total))
                {
                    continue;
                }

                tried++;
                MemoryFileStore files = Scenario(scenario);
                ConfigStore store = new ConfigStore(files, true);
                store.Load();
                files.CutAfter(cut);
                store.Save(ConfigStoreTests.Sample(7), new ValidationReport());
                files.PowerOn();

                ConfigLoadResult result = new ConfigStore(files, true).Load();
                string loaded = ConfigText.Write(result.Config);
                if (loaded == newText)
                {
                    sawNew++;
                }
                else
                {
                    Assert.AreEqual(oldText, loaded, "cut after " + cut.ToString() + " of " + total.ToString() + " steps: " + files.List());
                    sawOld++;
                    Assert.IsTrue(scenario == 0 || !result.UsedDefaults, "defaults while a good copy exists, cut " + cut.ToString());
                }

                // The store is usable afterwards: the next save and load give exactly that config.
                ConfigStore after = new ConfigStore(files, true);
                after.Load();
                Assert.IsTrue(after.Save(ConfigStoreTests.Sample(8), new ValidationReport()));
                Assert.AreEqual(ConfigText.Write(ConfigStoreTests.Sample(8)), ConfigText.Write(new ConfigStore(files, true).Load().Config),
                    "save after cut " + cut.ToString());
            }

            Assert.AreEqual(tried, sawOld + sawNew);
            Assert.IsTrue(sawOld > 0 && sawNew > 0);
            System.Console.WriteLine("power-cut scenario " + scenario.ToString() + ": " + tried.ToString() + " of " + (total + 1).ToString() + " cut points, "
                + sawOld.ToString() + " loaded the old config, " + sawNew.ToString() + " the new");
        }

        [TestMethod]
        public void Save_TwoCutsInARow_LastGoodNeverLost()
        {
            // A cut during a save, a load, then a cut during the next save: the load after that
            // must give the config of the last completed operation or the one being saved.
            int points = 0;
            MemoryFileStore probe = Scenario(1);
            ConfigStore probeStore = new ConfigStore(probe, true);
            probeStore.Load();
            probe.ResetSteps();
            probeStore.Save(ConfigStoreTests.Sample(7), new ValidationReport());
            int total = probe.Steps;
            string s2 = ConfigText.Write(ConfigStoreTests.Sample(2));
            string s7 = ConfigText.Write(ConfigStoreTests.Sample(7));
            string s9 = ConfigText.Write(ConfigStoreTests.Sample(9));
            for (int first = 0; first <= total; first += 37 * TestScale.PowerCutStride)
            {
                for (int second = 0; second <= total; second += 53 * TestScale.PowerCutStride)
                {
                    MemoryFileStore files = Scenario(1);
                    ConfigStore store = new ConfigStore(files, true);
                    store.Load();
                    files.CutAfter(first);
                    store.Save(ConfigStoreTests.Sample(7), new ValidationReport());
                    files.PowerOn();

                    ConfigStore second1 = new ConfigStore(files, true);
                    string before = ConfigText.Write(second1.Load().Config);
                    Assert.IsTrue(before == s2 || before == s7);
                    files.CutAfter(second);
                    second1.Save(ConfigStoreTests.Sample(9), new ValidationReport());
                    files.PowerOn();

                    string loaded = ConfigText.Write(new ConfigStore(files, true).Load().Config);
                    Assert.IsTrue(loaded == before || loaded == s9, "cuts " + first.ToString() + "/" + second.ToString() + ": " + files.List());
                    points++;
                }
            }

            System.Console.WriteLine("double power cuts: " + points.ToString() + " pairs");
        }

        [TestMethod]
        public void FactoryReset_CutAtEveryStep_OldOrDefaults()
        {
            string oldText = ConfigText.Write(ConfigStoreTests.Sample(2));
            string defaults = ConfigText.Write(ConfigDefaults.Create(true));
            MemoryFileStore probe = ConfigStoreTests.SavedTwice();
            ConfigStore probeStore = new ConfigStore(probe, true);
            probeStore.Load();
            probe.ResetSteps();
            probeStore.FactoryReset();
            int total = probe.Steps;
            for (int cut = 0; cut <= total; cut++)
            {
                if (!TestScale.Tries(cut, total))
                {
                    continue;
                }

                MemoryFileStore files = ConfigStoreTests.SavedTwice();
                ConfigStore store = new ConfigStore(files, true);
                store.Load();
                files.CutAfter(cut);
                store.FactoryReset();
                files.PowerOn();
                string loaded = ConfigText.Write(new ConfigStore(files, true).Load().Config);
                Assert.IsTrue(loaded == oldText || loaded == defaults, "cut " + cut.ToString());
            }
        }

        [TestMethod]
        public void Load_EveryByteOfMainCopyFlipped_DetectedFallsBack()
        {
            string previous = ConfigText.Write(ConfigStoreTests.Sample(1));
            MemoryFileStore files = ConfigStoreTests.SavedTwice();
            byte[] good = files.Read("config.json");
            int flips = 0;
            for (int i = 0; i < good.Length; i += TestScale.PowerCutStride)
            {
                byte[] damaged = files.Raw("config.json");
                damaged[i] ^= (byte)(1 << (i % 8));
                ConfigLoadResult result = new ConfigStore(files, true).Load();
                Assert.AreEqual(ConfigSource.Backup, result.Source, "flip at byte " + i.ToString());
                Assert.IsTrue(result.FellBack);
                Assert.AreEqual(previous, ConfigText.Write(result.Config));
                damaged[i] = good[i];
                flips++;
            }

            System.Console.WriteLine("bit flips: " + flips.ToString() + " bytes of the main copy, each detected");
        }

        [TestMethod]
        public void Load_EveryByteOfPendingCopyFlipped_NotUsed()
        {
            // A finished .new with no main file (cut between the rename steps), damaged: the backup is used.
            MemoryFileStore files = ConfigStoreTests.SavedTwice();
            byte[] main = files.Read("config.json");
            files.Delete("config.json");
            files.Put("config.json.new", main);
            for (int i = 0; i < main.Length; i += 3)
            {
                MemoryFileStore copy = new MemoryFileStore();
                byte[] damaged = new byte[main.Length];
                System.Array.Copy(main, damaged, main.Length);
                damaged[i] ^= 0xFF;
                copy.Put("config.json.new", damaged);
                copy.Put("config.json.bak", files.Read("config.json.bak"));
                ConfigLoadResult result = new ConfigStore(copy, true).Load();
                Assert.AreEqual(ConfigSource.Backup, result.Source, "flip at byte " + i.ToString());
            }
        }

        [TestMethod]
        public void SaveAndLoad_Concurrent_NeverTorn()
        {
            MemoryFileStore files = new MemoryFileStore();
            ConfigStore store = new ConfigStore(files, true);
            store.Load();
            string a = ConfigText.Write(ConfigStoreTests.Sample(1));
            string b = ConfigText.Write(ConfigStoreTests.Sample(2));
            store.Save(ConfigStoreTests.Sample(1), new ValidationReport());
            PigeonConfig ca = ConfigStoreTests.Sample(1);
            PigeonConfig cb = ConfigStoreTests.Sample(2);
            int[] bad = new int[1];
            int[] done = new int[1];
            Thread writer = new Thread(() =>
            {
                for (int i = 0; i < 60; i++)
                {
                    store.Save((i % 2) == 0 ? cb : ca, new ValidationReport());
                }

                done[0] = 1;
            });
            writer.Start();
            int reads = 0;
            while (done[0] == 0 || reads < 20)
            {
                string seen = (reads % 2) == 0 ? ConfigText.Write(store.Current) : ConfigText.Write(store.Load().Config);
                if (seen != a && seen != b)
                {
                    bad[0]++;
                }

                reads++;
            }

            writer.Join();
            Assert.AreEqual(0, bad[0]);
            Assert.IsTrue(reads >= 20);
        }

        private static MemoryFileStore Scenario(int scenario)
        {
            if (scenario == 0)
            {
                return new MemoryFileStore();
            }

            MemoryFileStore files = ConfigStoreTests.SavedTwice();
            if (scenario == 2)
            {
                files.Raw("config.json")[5] ^= 0x10;
            }
            else if (scenario == 3)
            {
                files.Delete("config.json.bak");
            }

            return files;
        }
    }
}
