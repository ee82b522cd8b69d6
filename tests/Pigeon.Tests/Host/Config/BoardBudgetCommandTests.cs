using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Host;
using Pigeon.Relay;
using Pigeon.Tests.Host.Hardware;
using Pigeon.Budget;

namespace Pigeon.Tests.Host.Config
{
    /// <summary>
    /// `Pigeon.Host config check [FILE] --board NAME`: the relay sessions a board profile gives a
    /// config, the line flash.ps1 -DryRun prints (docs/device.md, "Budget"), and the promise of
    /// issue 10: at least 5 sessions on every 16-socket board with the portal and port mapping.
    /// </summary>
    [TestClass]
    public class BoardBudgetCommandTests
    {
        private static (int Code, string Out, string Err) Run(params string[] args)
        {
            StringWriter output = new StringWriter();
            StringWriter error = new StringWriter();
            int code = HostConfig.RunCommand(new[] { "config", "check" }.Concat(args).ToArray(), output, error);
            return (code, output.ToString(), error.ToString());
        }

        [TestMethod]
        [DynamicData(nameof(BoardProfileTests.Boards), typeof(BoardProfileTests))]
        public void Board_DefaultConfig_PrintsSessionsFirstThenTheArithmetic(string board)
        {
            var r = Run("--board", board);
            Assert.AreEqual(0, r.Code, r.Err + r.Out);
            string[] lines = r.Out.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
            StringAssert.StartsWith(lines[0], "sessions: ");
            StringAssert.StartsWith(lines[1], "sockets: ");
            StringAssert.StartsWith(lines[2], "heap: ");
            StringAssert.Contains(lines[2], "the profile's estimate");
            StringAssert.Contains(r.Out, "board: " + board + " (");
            StringAssert.Contains(r.Out, "the board's default config: OK");
        }

        [TestMethod]
        [DynamicData(nameof(BoardProfileTests.Boards), typeof(BoardProfileTests))]
        public void Board_With16Sockets_HoldsAtLeastFiveSessionsWithPortalAndPortMapping(string board)
        {
            JsonObject p = JsonNode.Parse(File.ReadAllText(Path.Combine(BoardProfileTests.RepoRoot(), "hardware", "boards", board + ".json")))!.AsObject();
            int sockets = (int)p["maxSockets"]!;
            SessionBudget b = SessionBudget.ForBoard(ConfigDefaults.Relay(true), sockets, (int)p["managedHeapKB"]! * 1024);
            if (sockets >= 16)
            {
                Assert.IsTrue(b.Sessions >= 5, board + ": " + string.Join(" | ", b.Describe("estimate")));
                Assert.IsTrue(b.Reach, board + ": port mapping and upstream checks run");
                Assert.AreEqual(SessionBudget.PortalSocketsFor(SessionBudget.PortalSlots), b.PortalSockets, board + ": the LAN portal with its slots");
            }

            StringAssert.StartsWith(Run("--board", board).Out, "sessions: " + b.Sessions.ToString() + " ");
        }

        [TestMethod]
        public void Board_WithAFile_UsesItsRoutesAndSessions()
        {
            string file = Path.Combine(Path.GetTempPath(), "pigeon-budget-" + Guid.NewGuid().ToString("N") + ".json");
            try
            {
                // Four routes (443 plain: a board cannot terminate TLS) and a ceiling of 3: the config wins.
                PigeonConfig config = ConfigDefaults.Create(true);
                config.Relay.Routes = new RouteConfig[] { ConfigDefaults.ChatRoute(443), ConfigDefaults.ChatRoute(5222), ConfigDefaults.MediaRoute(587), ConfigDefaults.MediaRoute(7777) };
                config.Relay.MaxSessions = 3;
                File.WriteAllBytes(file, ConfigDocument.Write(config));
                var r = Run(file, "--board", "esp32-devkitc");
                Assert.AreEqual(0, r.Code, r.Err + r.Out);
                StringAssert.StartsWith(r.Out, "sessions: 3 (sockets allow 4, ");
                StringAssert.Contains(r.Out, "- 4 listeners (443, 5222, 587, 7777) -");
                StringAssert.Contains(r.Out, file + ": OK");
            }
            finally
            {
                File.Delete(file);
            }
        }

        [TestMethod]
        public void Board_ConfigWithErrors_NoBudgetAndExit1()
        {
            string file = Path.Combine(Path.GetTempPath(), "pigeon-budget-" + Guid.NewGuid().ToString("N") + ".json");
            try
            {
                File.WriteAllText(file, "{\"schemaVersion\": 1, \"relay\": {\"maxSessions\": 0}}");
                var r = Run(file, "--board", "esp32-devkitc");
                Assert.AreEqual(1, r.Code, r.Out);
                Assert.IsFalse(r.Out.Contains("sessions: "), r.Out);
                StringAssert.Contains(r.Out, "error: relay.maxSessions");
            }
            finally
            {
                File.Delete(file);
            }
        }

        [TestMethod]
        public void Board_UnknownNameOrMissingName_Exit2NamingTheBoards()
        {
            var unknown = Run("--board", "esp8266");
            Assert.AreEqual(2, unknown.Code);
            StringAssert.Contains(unknown.Err, "unknown board \"esp8266\"; known boards: ");
            StringAssert.Contains(unknown.Err, "esp32-devkitc");
            var missing = Run("--board");
            Assert.AreEqual(2, missing.Code);
            StringAssert.Contains(missing.Err, "needs a board name");
            Assert.AreEqual(2, Run().Code, "no FILE and no --board");
        }
    }
}
