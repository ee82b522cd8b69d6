using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Host;
using Pigeon.Host.Service;
using Pigeon.Tests.Host.Reach;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Service
{
    /// <summary>`pigeon setup` and its environment form: a working relay config without a browser.</summary>
    [TestClass]
    public class SetupCommandTests
    {
        private const string Password = "a long admin password";

        private static int Setup(out string output, params string[] args)
        {
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            int code = SetupCommand.Run(new[] { "setup" }.Concat(args).ToArray(), o, e, _ => null);
            output = o.ToString() + e.ToString();
            return code;
        }

        private static string PasswordFile(string dir, string text)
        {
            string file = Path.Combine(dir, "admin-password.txt");
            File.WriteAllText(file, text);
            return file;
        }

        [TestMethod]
        public void Setup_EmptyFolder_MakesAWorkingRelayConfigAndPrintsTheLinks()
        {
            string dir = TestFolder.Create("pigeon-setup");
            string data = Path.Combine(dir, "data");
            Assert.AreEqual(0, Setup(out string output, "--public-host", "relay.example.org", "--admin-password-file", PasswordFile(dir, Password + "\n"), "--data-dir", data), output);
            StringAssert.Contains(output, "public host: relay.example.org");
            StringAssert.Contains(output, "admin password: set from ");
            StringAssert.Contains(output, "share (first choice, chat port 443 with TLS on): https://wa.me/proxy?host=relay.example.org&chatPort=443&mediaPort=587&chatTLS=true");
            StringAssert.Contains(output, "share (second choice, chat port 5222 with TLS off): https://wa.me/proxy?host=relay.example.org&chatPort=5222&mediaPort=587&chatTLS=false");

            // What a start uses: the check passes, the password (without the file's line feed) logs in.
            StringWriter check = new StringWriter();
            Assert.AreEqual(0, HostConfig.RunCommand(new[] { "config", "check", "--data-dir", data }, check, new StringWriter()), check.ToString());
            PigeonConfig config = HostConfig.OpenStore(Path.Combine(data, "config.json")).Load().Config;
            Assert.AreEqual("relay.example.org", config.Network.PublicHost);
            Assert.IsTrue(AdminPassword.Verify(config.Admin, Password, new Pbkdf2PasswordHasher()));
            Assert.AreEqual(4, config.Relay.Routes.Length, "the host's WhatsApp routes");
        }

        [TestMethod]
        public void Setup_SameValuesAgain_NothingRewritten()
        {
            string dir = TestFolder.Create("pigeon-setup");
            string file = PasswordFile(dir, Password);
            Assert.AreEqual(0, Setup(out string first, "--public-host", "relay.example.org", "--admin-password-file", file, "--data-dir", dir), first);
            byte[] before = File.ReadAllBytes(Path.Combine(dir, "config.json"));
            Assert.AreEqual(0, Setup(out string again, "--public-host", "relay.example.org", "--admin-password-file", file, "--data-dir", dir), again);
            StringAssert.Contains(again, "already so, not rewritten");
            CollectionAssert.AreEqual(before, File.ReadAllBytes(Path.Combine(dir, "config.json")));
            Assert.IsFalse(File.Exists(Path.Combine(dir, "config.json.bak")), "no second save");
        }

        [TestMethod]
        public void Setup_RefusedValues_Exit1WithTheReason_NothingWritten()
        {
            string dir = TestFolder.Create("pigeon-setup");
            Assert.AreEqual(1, Setup(out string output, "--public-host", "not a host!", "--data-dir", dir), output);
            StringAssert.Contains(output, "error: network.publicHost: must be a host name");
            Assert.AreEqual(1, Setup(out output, "--admin-password-file", PasswordFile(dir, "short"), "--data-dir", dir), output);
            StringAssert.Contains(output, "8");
            Assert.AreEqual(1, Setup(out output, "--admin-password-file", Path.Combine(dir, "none.txt"), "--data-dir", dir), output);
            StringAssert.Contains(output, "cannot read");
            Assert.AreEqual(1, Setup(out output, "--portal-address", "0.0.0.0", "--data-dir", dir), output);
            StringAssert.Contains(output, "no admin password is set");
            Assert.IsFalse(File.Exists(Path.Combine(dir, "config.json")), "nothing written");
            Assert.AreEqual(0, Setup(out output, "--portal-address", "0.0.0.0", "--admin-password-file", PasswordFile(dir, Password), "--data-dir", dir), output);
        }

        [TestMethod]
        public void Setup_ConfigWithErrors_RefusedNotOverwritten()
        {
            string dir = TestFolder.Create("pigeon-setup");
            string main = Path.Combine(dir, "config.json");
            File.WriteAllText(main, "{ \"relay\": { \"maxSessions\": 0 } }");
            Assert.AreEqual(1, Setup(out string output, "--public-host", "relay.example.org", "--data-dir", dir), output);
            StringAssert.Contains(output, "error: relay.maxSessions");
            Assert.AreEqual("{ \"relay\": { \"maxSessions\": 0 } }", File.ReadAllText(main));
        }

        [TestMethod]
        public void Setup_NothingToSet_Usage()
        {
            Assert.AreEqual(2, Setup(out string output), output);
            StringAssert.Contains(output, "usage: pigeon setup");
            Assert.AreEqual(2, Setup(out output, "--public-host"), output);
        }

        [TestMethod]
        public void Environment_AppliedBeforeTheStart_AndLogged()
        {
            string dir = TestFolder.Create("pigeon-setup");
            string file = PasswordFile(dir, Password);
            Dictionary<string, string> environment = new Dictionary<string, string>
            {
                ["PIGEON_DATA_DIR"] = Path.Combine(dir, "data"),
                ["PIGEON_PUBLIC_HOST"] = "203.0.113.7",
                ["PIGEON_ADMIN_PASSWORD_FILE"] = file,
                ["PIGEON_PORTAL_ADDRESS"] = "0.0.0.0",
            };
            HostOptions options = HostOptions.Parse(new string[0], name => environment.TryGetValue(name, out string value) ? value : null);
            Assert.AreEqual(Path.Combine(dir, "data"), options.DataDir);
            ListLog log = new ListLog();
            HostApp app = new HostApp(options, log);
            List<string> errors = new List<string>();
            Assert.IsTrue(app.Load(errors), string.Join("\n", errors));
            Assert.AreEqual("203.0.113.7", app.Config.Network.PublicHost);
            Assert.AreEqual("0.0.0.0", app.Config.Portal.ListenAddress);
            Assert.IsNull(PortalExposure.Refusal(app.Config), "the password came first");
            Assert.IsTrue(log.Lines.Any(l => l.Contains("setup from the environment: public host: 203.0.113.7")), string.Join("\n", log.Lines));

            environment["PIGEON_ADMIN_PASSWORD_FILE"] = PasswordFile(dir, "short");
            errors.Clear();
            options = HostOptions.Parse(new string[0], name => environment.TryGetValue(name, out string value) ? value : null);
            Assert.IsFalse(new HostApp(options, log).Load(errors), "a refused value stops the start");
            Assert.IsTrue(errors.Any(e => e.StartsWith("admin password")), string.Join("\n", errors));
        }
    }
}
