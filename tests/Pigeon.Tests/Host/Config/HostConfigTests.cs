using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Host;
using Pigeon.Net;
using Pigeon.Tests.Support;
using Pigeon.Text;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Config
{
    /// <summary>Host-only: golden files on disk, the real PBKDF2, the folder store, the CLI.</summary>
    [TestClass]
    public class HostConfigTests
    {
        private static string FixturePath(string name)
        {
            return Path.Combine(AppContext.BaseDirectory, "Fixtures", "config", name);
        }

        [TestMethod]
        [DataRow("full.json", ConfigFixtures.Full)]
        [DataRow("minimal.json", ConfigFixtures.Minimal)]
        [DataRow("v0.json", ConfigFixtures.Version0)]
        [DataRow("v1.json", ConfigFixtures.Version1)]
        public void Fixtures_ConstantsEqualFiles(string file, string constant)
        {
            Assert.AreEqual(File.ReadAllText(FixturePath(file), Encoding.UTF8), constant);
        }

        [TestMethod]
        public void Fixtures_EveryFileHasAConstant()
        {
            string[] files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "config")).Select(Path.GetFileName).OrderBy(n => n).ToArray();
            CollectionAssert.AreEqual(new[] { "full.json", "minimal.json", "v0.json", "v1.json" }, files);
        }

        [TestMethod]
        public void Pbkdf2_Rfc7914Vector_CoreAndDotNetAgree()
        {
            // RFC 7914 section 11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64.
            byte[] expected = Convert.FromHexString("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
            byte[] core = Pbkdf2.Derive(new DotNetHmac(), Encoding.UTF8.GetBytes("passwd"), Encoding.UTF8.GetBytes("salt"), 1, 64);
            byte[] host = new Pbkdf2PasswordHasher().Derive(Encoding.UTF8.GetBytes("passwd"), Encoding.UTF8.GetBytes("salt"), 1, 64);
            CollectionAssert.AreEqual(expected, core);
            CollectionAssert.AreEqual(expected, host);
            byte[] core1000 = Pbkdf2.Derive(new DotNetHmac(), Encoding.UTF8.GetBytes("pw"), new byte[16], 1000, 32);
            CollectionAssert.AreEqual(Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes("pw"), new byte[16], 1000, HashAlgorithmName.SHA256, 32), core1000);
        }

        [TestMethod]
        public void AdminPassword_GoldenHash_VerifiesWithHostPbkdf2()
        {
            PigeonConfig c = ConfigText.Read(ConfigFixtures.Full, false, new ValidationReport());
            IPasswordHasher hasher = new Pbkdf2PasswordHasher();
            Assert.IsTrue(AdminPassword.Verify(c.Admin, "pigeon-admin-1", hasher));
            Assert.IsFalse(AdminPassword.Verify(c.Admin, "pigeon-admin-2", hasher));
        }

        [TestMethod]
        public void AdminPassword_SetWithHostHasher_SaltedAndDifferentEachTime()
        {
            var hasher = new Pbkdf2PasswordHasher(1000);
            AdminConfig a = new AdminConfig();
            AdminConfig b = new AdminConfig();
            Assert.IsTrue(AdminPassword.Set(a, "same-password", hasher));
            Assert.IsTrue(AdminPassword.Set(b, "same-password", hasher));
            Assert.AreNotEqual(a.PasswordHash, b.PasswordHash);
            Assert.IsTrue(AdminPassword.Verify(a, "same-password", hasher));
            Assert.AreEqual(600000, new Pbkdf2PasswordHasher().Iterations);
        }

        [TestMethod]
        public void Utf8_SurrogatePair_FourBytesAndBack()
        {
            string text = "a\ud83d\udc26z";
            byte[] bytes = Utf8.GetBytes(text);
            CollectionAssert.AreEqual(Encoding.UTF8.GetBytes(text), bytes);
            Assert.AreEqual(text, Utf8.Decode(bytes, 0, bytes.Length));
            Assert.AreEqual(6, Utf8.ByteCount(text));
        }

        [TestMethod]
        public void Codec_DuplicateKey_PathNamed()
        {
            ValidationReport report = new ValidationReport();
            Assert.IsNull(ConfigText.Read("{\"relay\":{\"routes\":[{\"name\":\"a\",\"name\":\"b\"}]}}", false, report));
            Assert.AreEqual("relay.routes[0].name", report.GetError(0).Path);
        }

        [TestMethod]
        public void FolderStore_SaveLoadAndLayout()
        {
            string dir = TestFolder.Create("pigeon-config-test");
            try
            {
                var store = new ConfigStore(new FolderFileStore(dir), false);
                Assert.IsTrue(store.Load().FirstStart);
                PigeonConfig c = ConfigDefaults.Create(false);
                c.Wifi.Ssid = "one";
                Assert.IsTrue(store.Save(c, new ValidationReport()));
                c.Wifi.Ssid = "two";
                Assert.IsTrue(store.Save(c, new ValidationReport()));
                CollectionAssert.AreEquivalent(new[] { "config.json", "config.json.bak" }, Directory.GetFiles(dir).Select(Path.GetFileName).ToArray());
                string text = File.ReadAllText(Path.Combine(dir, "config.json"));
                StringAssert.Contains(text, "\"ssid\": \"two\"");
                StringAssert.Contains(text, "\"checksum\": \"crc32:");
                using (JsonDocumentProbe.Parse(text))
                {
                    // the stored copy is still plain JSON
                }

                ConfigLoadResult loaded = new ConfigStore(new FolderFileStore(dir), false).Load();
                Assert.AreEqual(ConfigSource.Primary, loaded.Source);
                Assert.AreEqual("two", loaded.Config.Wifi.Ssid);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [TestMethod]
        public void HostApp_FirstStart_CreatesDefaultConfigInDataDir()
        {
            string dir = TestFolder.Create("pigeon-config-test");
            try
            {
                var options = HostOptions.Parse(new[] { "--data-dir", Path.Combine(dir, "data") });
                var app = new HostApp(options, new NullLog());
                var errors = new List<string>();
                Assert.IsTrue(app.Load(errors), string.Join("\n", errors));
                Assert.IsTrue(File.Exists(Path.Combine(dir, "data", "config.json")));
                Assert.AreEqual(4, app.Config.Relay.Routes.Length);
                Assert.IsNotNull(app.Store);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [TestMethod]
        public void HostApp_ConfigFileWithErrors_RefusedWithEveryPath()
        {
            string dir = TestFolder.Create("pigeon-config-test");
            try
            {
                string file = Path.Combine(dir, "my.json");
                File.WriteAllText(file, "{\"relay\":{\"maxSessions\":0,\"routes\":[{\"name\":\"a\",\"listenPort\":70000,\"upstreamHost\":\"x.example\",\"upstreamPort\":1}]}}");
                var app = new HostApp(HostOptions.Parse(new[] { "--config", file }), new NullLog());
                var errors = new List<string>();
                Assert.IsFalse(app.Load(errors));
                Assert.IsTrue(errors.Any(e => e.StartsWith("relay.maxSessions:")), string.Join("\n", errors));
                Assert.IsTrue(errors.Any(e => e.StartsWith("relay.routes[0].listenPort:")), string.Join("\n", errors));
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [TestMethod]
        public void HostApp_ConfigFile_PortalSaveGoesToThatFile()
        {
            string dir = TestFolder.Create("pigeon-config-test");
            try
            {
                string file = Path.Combine(dir, "my.json");
                File.WriteAllText(file, ConfigFixtures.Minimal);
                var app = new HostApp(HostOptions.Parse(new[] { "--config", file }), new NullLog());
                Assert.IsTrue(app.Load(new List<string>()));
                PigeonConfig c = app.Store.Current;
                c.Relay.IdleTimeoutSeconds = 77;
                Assert.IsTrue(app.Store.Save(c, new ValidationReport()));
                StringAssert.Contains(File.ReadAllText(file), "\"idleTimeoutSeconds\": 77");
                Assert.AreEqual(ConfigFixtures.Minimal, File.ReadAllText(file + ".bak"));
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [TestMethod]
        public void Cli_ConfigCheck_ErrorsWithPathsAndExitCode()
        {
            string dir = TestFolder.Create("pigeon-config-test");
            try
            {
                string bad = Path.Combine(dir, "bad.json");
                File.WriteAllText(bad, "{\"setupAp\":{\"channel\":14},\"portal\":{\"port\":443},\"extra\":1}");
                var output = new StringWriter();
                Assert.AreEqual(1, HostConfig.RunCommand(new[] { "config", "check", bad }, output, new StringWriter()));
                string text = output.ToString();
                StringAssert.Contains(text, "error: setupAp.channel: ");
                StringAssert.Contains(text, "error: portal.port: ");
                StringAssert.Contains(text, "warning: extra: ");
                StringAssert.Contains(text, "2 error(s)");

                string good = Path.Combine(dir, "good.json");
                File.WriteAllText(good, ConfigFixtures.Full);
                var ok = new StringWriter();
                Assert.AreEqual(0, HostConfig.RunCommand(new[] { "config", "check", good, "--device" }, ok, new StringWriter()));
                StringAssert.Contains(ok.ToString(), "OK");

                Assert.AreEqual(2, HostConfig.RunCommand(new[] { "config" }, new StringWriter(), new StringWriter()));
                Assert.AreEqual(1, HostConfig.RunCommand(new[] { "config", "check", Path.Combine(dir, "missing.json") }, new StringWriter(), new StringWriter()));
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [TestMethod]
        public void Cli_ConfigCheck_EditedStoredCopy_UsedAndSaidSo()
        {
            string dir = TestFolder.Create("pigeon-config-test");
            try
            {
                var store = new ConfigStore(new FolderFileStore(dir), false);
                store.Load();
                Assert.IsTrue(store.Save(ConfigDefaults.Create(false), new ValidationReport()));
                string file = Path.Combine(dir, "config.json");
                File.WriteAllText(file, File.ReadAllText(file).Replace("\"port\": 8080", "\"port\": 8081"));
                var output = new StringWriter();
                Assert.AreEqual(0, HostConfig.RunCommand(new[] { "config", "check", file }, output, new StringWriter()), output.ToString());
                StringAssert.Contains(output.ToString(), "was written or edited by hand");

                // The board's rule for the same file: its flash has no hand edits, only damage.
                output = new StringWriter();
                Assert.AreEqual(1, HostConfig.RunCommand(new[] { "config", "check", file, "--device" }, output, new StringWriter()));
                StringAssert.Contains(output.ToString(), "checksum does not match");
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [TestMethod]
        public void HostApp_EditedStoredCopy_StartUsesTheEditAndLogsIt()
        {
            string dir = TestFolder.Create("pigeon-config-test");
            try
            {
                var options = HostOptions.Parse(new[] { "--data-dir", dir });
                Assert.IsTrue(new HostApp(options, new NullLog()).Load(new List<string>()));
                string file = Path.Combine(dir, "config.json");
                File.WriteAllText(file, File.ReadAllText(file).Replace("\"idleTimeoutSeconds\": 200", "\"idleTimeoutSeconds\": 321"));
                var log = new Pigeon.Tests.Host.Reach.ListLog();
                var app = new HostApp(options, log);
                var errors = new List<string>();
                Assert.IsTrue(app.Load(errors), string.Join("\n", errors));
                Assert.AreEqual(321, app.Config.Relay.IdleTimeoutSeconds);
                Assert.IsTrue(log.Lines.Any(l => l.Contains(file + " was written or edited by hand")), string.Join("\n", log.Lines));
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [TestMethod]
        public void HostApp_DataDirCopyWithErrors_RefusedNotTheBackup()
        {
            string dir = TestFolder.Create("pigeon-config-test");
            try
            {
                var options = HostOptions.Parse(new[] { "--data-dir", dir });
                Assert.IsTrue(new HostApp(options, new NullLog()).Load(new List<string>()));
                var store = HostConfig.OpenStore(options);
                store.Load();
                PigeonConfig c = store.Current;
                c.Relay.IdleTimeoutSeconds = 99;
                Assert.IsTrue(store.Save(c, new ValidationReport())); // the first copy is now the backup
                string file = Path.Combine(dir, "config.json");
                File.WriteAllText(file, File.ReadAllText(file).Replace("\"idleTimeoutSeconds\": 99", "\"idleTimeoutSeconds\": \"99\"").Replace("\"maxSessions\": 4096", "\"maxSessions\": 0"));
                var errors = new List<string>();
                Assert.IsFalse(new HostApp(options, new NullLog()).Load(errors));
                Assert.IsTrue(errors.Any(e => e.StartsWith("relay.idleTimeoutSeconds: must be a whole number")), string.Join("\n", errors));
                Assert.IsTrue(errors.Any(e => e.StartsWith("relay.maxSessions: must be from 1")), "a type error does not hide the other errors: " + string.Join("\n", errors));
                Assert.IsTrue(errors.Any(e => e.Contains("does not fall back to config.json.bak")), string.Join("\n", errors));
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [TestMethod]
        public void Cli_FactoryReset_DefaultsAndNoBackup()
        {
            string dir = TestFolder.Create("pigeon-config-test");
            try
            {
                var options = HostOptions.Parse(new[] { "--data-dir", dir, "--factory-reset" });
                Assert.IsTrue(options.FactoryReset);
                var store = HostConfig.OpenStore(options);
                store.Load();
                PigeonConfig c = ConfigDefaults.Create(false);
                c.Network.DynDnsPassword = "dyn-secret";
                Assert.IsTrue(store.Save(c, new ValidationReport()));
                c.Wifi.Ssid = "x";
                Assert.IsTrue(store.Save(c, new ValidationReport()));
                Assert.AreEqual(0, HostConfig.FactoryReset(options, new NullLog()));
                CollectionAssert.AreEquivalent(new[] { "config.json" }, Directory.GetFiles(dir).Select(Path.GetFileName).ToArray());
                Assert.IsFalse(File.ReadAllText(Path.Combine(dir, "config.json")).Contains("dyn-secret"));
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        private sealed class DotNetHmac : IHmacSha256
        {
            public byte[] Compute(byte[] key, byte[] data)
            {
                return HMACSHA256.HashData(key, data);
            }
        }

        private sealed class NullLog : ILog
        {
            public void Info(string message)
            {
            }

            public void Warn(string message)
            {
            }
        }

        private static class JsonDocumentProbe
        {
            public static IDisposable Parse(string text)
            {
                return System.Text.Json.JsonDocument.Parse(text);
            }
        }
    }
}
