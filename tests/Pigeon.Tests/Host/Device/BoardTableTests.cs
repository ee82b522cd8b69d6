using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Tests.Host.Hardware;

namespace Pigeon.Tests.Host.Device
{
    /// <summary>
    /// firmware/Pigeon.Device/BoardTable.cs (what the board uses at run time, found by target
    /// name) says the same as hardware/boards/*.json (what flash.ps1 and the docs use).
    /// </summary>
    [TestClass]
    public class BoardTableTests
    {
        private static readonly Regex s_entry = new Regex(
            @"new BoardInfo\(""(?<name>[a-z0-9-]+)"", ""(?<target>[A-Z0-9_]+)"", (?<sockets>\d+), (?<heap>\d+), (?<led>\d+), (?<ledHigh>true|false), (?<button>\d+), (?<buttonLow>true|false), (?<eth>true|false)\)");

        private static MatchCollection Entries()
        {
            string code = File.ReadAllText(Path.Combine(BoardProfileTests.RepoRoot(), "firmware", "Pigeon.Device", "BoardTable.cs"));
            return s_entry.Matches(code);
        }

        [TestMethod]
        public void BoardTable_EveryProfile_HasOneEntry()
        {
            string[] names = Entries().Select(m => m.Groups["name"].Value).OrderBy(n => n).ToArray();
            string[] profiles = BoardProfileTests.Boards().Select(b => (string)b[0]).OrderBy(n => n).ToArray();
            CollectionAssert.AreEqual(profiles, names);
        }

        [TestMethod]
        public void BoardTable_Entries_MatchTheirProfiles()
        {
            foreach (Match m in Entries())
            {
                string name = m.Groups["name"].Value;
                JsonObject p = JsonNode.Parse(File.ReadAllText(Path.Combine(BoardProfileTests.RepoRoot(), "hardware", "boards", name + ".json")))!.AsObject();
                Assert.AreEqual((string)p["nanoffTarget"]!, m.Groups["target"].Value, name);
                Assert.AreEqual((int)p["maxSockets"]!, int.Parse(m.Groups["sockets"].Value), name);
                Assert.AreEqual((int)p["managedHeapKB"]!, int.Parse(m.Groups["heap"].Value), name);
                Assert.AreEqual((int)p["led"]!["pin"]!, int.Parse(m.Groups["led"].Value), name);
                Assert.AreEqual((bool)p["led"]!["activeHigh"]!, bool.Parse(m.Groups["ledHigh"].Value), name);
                Assert.AreEqual((int)p["button"]!["pin"]!, int.Parse(m.Groups["button"].Value), name);
                Assert.AreEqual((bool)p["button"]!["activeLow"]!, bool.Parse(m.Groups["buttonLow"].Value), name);
                Assert.AreEqual(p["ethernet"] != null, bool.Parse(m.Groups["eth"].Value), name);
            }
        }

        [TestMethod]
        public void BoardTable_Targets_AreDistinct()
        {
            string[] targets = Entries().Select(m => m.Groups["target"].Value).ToArray();
            Assert.AreEqual(targets.Length, targets.Distinct().Count(), "one image per target: " + string.Join(",", targets));
        }
    }
}
