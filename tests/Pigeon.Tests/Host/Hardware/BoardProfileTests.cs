using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Pigeon.Tests.Host.Hardware
{
    /// <summary>
    /// Every board profile in hardware/boards is valid against hardware/board.schema.json, agrees
    /// with nanoFramework's partition tables and socket limits, and carries what flash.ps1 reads.
    /// </summary>
    [TestClass]
    public class BoardProfileTests
    {
        internal static string RepoRoot()
        {
            string path = typeof(BoardProfileTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .First(a => a.Key == "RepoRoot").Value;
            return Path.GetFullPath(path);
        }

        private static string BoardsDir => Path.Combine(RepoRoot(), "hardware", "boards");

        public static IEnumerable<object[]> Boards()
        {
            return Directory.GetFiles(Path.Combine(RepoRoot(), "hardware", "boards"), "*.json")
                .OrderBy(f => f)
                .Select(f => new object[] { Path.GetFileNameWithoutExtension(f) });
        }

        private static JsonObject Load(string board)
        {
            return JsonNode.Parse(File.ReadAllText(Path.Combine(BoardsDir, board + ".json")))!.AsObject();
        }

        // Parsed once: JsonSchema.Net registers a schema under its $id globally and refuses a second one.
        private static readonly Lazy<JsonSchema> s_schema = new Lazy<JsonSchema>(
            () => JsonSchema.FromText(File.ReadAllText(Path.Combine(RepoRoot(), "hardware", "board.schema.json"))));

        private static JsonSchema Schema()
        {
            return s_schema.Value;
        }

        [TestMethod]
        public void Boards_Directory_HoldsEveryRequiredKindOfBoard()
        {
            List<JsonObject> all = Boards().Select(b => Load((string)b[0])).ToList();
            Assert.IsTrue(all.Any(b => (string)b["chip"]! == "esp32" && (int)b["psramMB"]! == 0 && b["ethernet"] == null), "a classic ESP32 without PSRAM");
            Assert.IsTrue(all.Any(b => (string)b["chip"]! == "esp32" && (int)b["psramMB"]! > 0), "an ESP32-WROVER (PSRAM)");
            Assert.IsTrue(all.Any(b => (string)b["chip"]! == "esp32s3"), "an ESP32-S3");
            Assert.IsTrue(all.Any(b => (string)b["chip"]! == "esp32c3"), "an ESP32-C3");
            Assert.IsTrue(all.Any(b => b["ethernet"] != null && (bool)b["recommended"]!), "a recommended wired-Ethernet board");
        }

        [TestMethod]
        [DynamicData(nameof(Boards))]
        public void Profile_AgainstSchema_IsValid(string board)
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(BoardsDir, board + ".json")));
            EvaluationResults results = Schema().Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            string errors = string.Join("; ", (results.Details ?? new List<EvaluationResults>())
                .Where(d => d.Errors != null)
                .SelectMany(d => d.Errors!.Select(e => d.InstanceLocation + ": " + e.Value)));
            Assert.IsTrue(results.IsValid, board + ": " + errors);
        }

        [TestMethod]
        public void Schema_WithABrokenProfile_RejectsIt()
        {
            // The schema must be able to fail: a profile without a deploy address and with a
            // lower-case address is refused.
            JsonObject broken = Load("esp32-devkitc");
            broken.Remove("nanoffTarget");
            broken["deployAddress"] = "0x1e0000";
            using JsonDocument doc = JsonDocument.Parse(broken.ToJsonString());
            Assert.IsFalse(Schema().Evaluate(doc.RootElement).IsValid);
        }

        [TestMethod]
        [DynamicData(nameof(Boards))]
        public void Profile_Name_EqualsFileName(string board)
        {
            Assert.AreEqual(board, (string)Load(board)["name"]!);
        }

        /// <summary>
        /// nf-interpreter targets/ESP32/_IDF/&lt;chip&gt;/partitions_nanoclr_&lt;n&gt;mb.csv (July 2026):
        /// 'deploy' starts at 0x1E0000 on the classic ESP32 for every flash size and at 0x1B0000 on
        /// the S3 and C3; the LittleFS 'config' partition (I:\) is 256 KB on 4 MB, 2 MB on 8 MB and
        /// 3 MB on 16 MB parts.
        /// </summary>
        [TestMethod]
        [DynamicData(nameof(Boards))]
        public void Profile_DeployAddressAndConfigSize_MatchThePartitionTable(string board)
        {
            JsonObject p = Load(board);
            string chip = (string)p["chip"]!;
            string expected = chip == "esp32" ? "0x1E0000" : "0x1B0000";
            Assert.AreEqual(expected, (string)p["deployAddress"]!, board);
            int flash = (int)p["flashSizeMB"]!;
            int config = flash == 4 ? 256 : flash == 8 ? 2048 : 3072;
            Assert.AreEqual(config, (int)p["configPartitionKB"]!, board);
        }

        /// <summary>
        /// nf-interpreter at the pinned firmware (47ef80bdf): every target's sdkconfig sets
        /// CONFIG_LWIP_MAX_SOCKETS=16 (ESP32_C3 too since PR #3362: sdkconfig.default_rev3.esp32c3),
        /// except ESP32_C3_BETA (sdkconfig.default.esp32c3: 8).
        /// </summary>
        [TestMethod]
        [DynamicData(nameof(Boards))]
        public void Profile_MaxSockets_MatchesTheFirmwareImage(string board)
        {
            JsonObject p = Load(board);
            Assert.AreEqual((string)p["nanoffTarget"]! == "ESP32_C3_BETA" ? 8 : 16, (int)p["maxSockets"]!, board);
        }

        [TestMethod]
        [DynamicData(nameof(Boards))]
        public void Profile_NanoffTarget_FitsTheChip(string board)
        {
            JsonObject p = Load(board);
            string target = (string)p["nanoffTarget"]!;
            switch ((string)p["chip"]!)
            {
                case "esp32c3":
                    Assert.IsTrue(target == "ESP32_C3" || target == "ESP32_C3_BETA", target);
                    break;
                case "esp32s3":
                    Assert.IsTrue(target.StartsWith("ESP32_S3_", StringComparison.Ordinal), target);
                    break;
                default:
                    Assert.IsTrue(target.StartsWith("ESP32_", StringComparison.Ordinal) && !target.StartsWith("ESP32_S", StringComparison.Ordinal) && !target.StartsWith("ESP32_C", StringComparison.Ordinal), target);
                    Assert.AreEqual((int)p["psramMB"]! > 0, target.Contains("PSRAM", StringComparison.Ordinal) || target == "ESP_WROVER_KIT", "PSRAM boards need a PSRAM image: " + target);
                    break;
            }
        }

        [TestMethod]
        [DynamicData(nameof(Boards))]
        public void Profile_Pins_AvoidFlashPsramAndEthernetPins(string board)
        {
            JsonObject p = Load(board);
            int led = (int)p["led"]!["pin"]!;
            int button = (int)p["button"]!["pin"]!;
            Assert.AreNotEqual(led, button, board);
            var reserved = new HashSet<int>();
            if ((string)p["chip"]! == "esp32")
            {
                reserved.UnionWith(new[] { 6, 7, 8, 9, 10, 11 }); // SPI flash
                if ((int)p["psramMB"]! > 0)
                {
                    reserved.UnionWith(new[] { 16, 17 }); // WROVER PSRAM
                }

                Assert.IsFalse(new[] { 34, 35, 36, 39 }.Contains(led), "GPIO34-39 are input-only: no LED there");
            }

            if (p["ethernet"] is JsonObject eth)
            {
                reserved.UnionWith(new[] { (int)eth["mdcPin"]!, (int)eth["mdioPin"]!, (int)eth["powerPin"]! });
                reserved.UnionWith(new[] { 19, 21, 22, 25, 26, 27 }); // RMII data lines
                string clock = (string)eth["clock"]!;
                reserved.Add(clock == "gpio0-in" || clock == "gpio0-out" ? 0 : clock == "gpio16-out" ? 16 : 17);
            }

            Assert.IsFalse(reserved.Contains(led), board + ": LED pin " + led + " is taken");
            Assert.IsFalse(reserved.Contains(button), board + ": button pin " + button + " is taken");
        }

        [TestMethod]
        public void FlashScript_FieldsItReads_AreRequiredBySchema()
        {
            string script = File.ReadAllText(Path.Combine(RepoRoot(), "flash.ps1"));
            var used = Regex.Matches(script, @"\$boardProfile\.(?!PSObject)([A-Za-z]+)").Select(m => m.Groups[1].Value).ToHashSet();
            foreach (Match m in Regex.Matches(script, @"foreach \(\$field in ([^)]*)\)"))
            {
                foreach (Match f in Regex.Matches(m.Groups[1].Value, "'([A-Za-z]+)'"))
                {
                    used.Add(f.Groups[1].Value);
                }
            }

            Assert.IsTrue(used.Contains("nanoffTarget") && used.Contains("deployAddress"), "flash.ps1 reads the target and address: " + string.Join(",", used));
            JsonArray required = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "hardware", "board.schema.json")))!["required"]!.AsArray();
            var requiredNames = required.Select(n => (string)n!).ToHashSet();
            foreach (string field in used)
            {
                Assert.IsTrue(requiredNames.Contains(field), "flash.ps1 reads '" + field + "' but the schema does not require it");
            }
        }

        [TestMethod]
        [DynamicData(nameof(Boards))]
        public void Profile_HasAReadmeAndARowInTheTable(string board)
        {
            Assert.IsTrue(File.Exists(Path.Combine(BoardsDir, board + ".md")), "hardware/boards/" + board + ".md");
            string table = File.ReadAllText(Path.Combine(RepoRoot(), "hardware", "README.md"));
            Assert.IsTrue(table.Contains("(boards/" + board + ".md)", StringComparison.Ordinal), "hardware/README.md links " + board);
        }
    }
}
