using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Tests.Host.Hardware;

namespace Pigeon.Tests.Host.Device
{
    /// <summary>
    /// The nanoFramework packages and the firmware version move together: every device project's
    /// packages.config and its .nfproj hint paths list exactly the versions in
    /// firmware/Pigeon.Device/firmware-pin.json, which flash.ps1 reads for --fwversion.
    /// </summary>
    [TestClass]
    public class FirmwarePinTests
    {
        private static string Root => BoardProfileTests.RepoRoot();

        private static JsonObject Pin()
        {
            return JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "firmware", "Pigeon.Device", "firmware-pin.json")))!.AsObject();
        }

        private static Dictionary<string, string> PackagesConfig(string relative)
        {
            return XDocument.Load(Path.Combine(Root, relative)).Root!.Elements("package")
                .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute("version")!);
        }

        [TestMethod]
        public void Pin_FirmwareVersion_IsFourPartAndCoreLibraryIs1_17_11()
        {
            JsonObject pin = Pin();
            StringAssert.Matches((string)pin["nanoffFirmwareVersion"]!, new Regex(@"^\d+\.\d+\.\d+\.\d+$"));
            Assert.AreEqual("1.17.11", (string)pin["packages"]!["nanoFramework.CoreLibrary"]!);
        }

        [TestMethod]
        [DataRow("firmware/Pigeon.Device/packages.config")]
        [DataRow("tests/Pigeon.DeviceTests/packages.config")]
        [DataRow("tests/Pigeon.DeviceTests.Target/packages.config")]
        [DataRow("firmware/Pigeon.Core.Board/packages.config")]
        [DataRow("firmware/Pigeon.Portal.Board/packages.config")]
        public void PackagesConfig_Versions_EqualThePin(string relative)
        {
            JsonObject pinned = Pin()["packages"]!.AsObject();
            Dictionary<string, string> listed = PackagesConfig(relative);
            foreach (KeyValuePair<string, string> p in listed)
            {
                Assert.IsTrue(pinned.ContainsKey(p.Key), relative + " lists " + p.Key + ", which firmware-pin.json does not pin");
                Assert.AreEqual((string)pinned[p.Key]!, p.Value, relative + ": " + p.Key);
            }

            Assert.IsTrue(listed.ContainsKey("nanoFramework.CoreLibrary"), relative);
            if (!relative.EndsWith(".Board/packages.config"))
            {
                Assert.IsTrue(listed.ContainsKey("nanoFramework.System.Net") && listed.ContainsKey("nanoFramework.System.Device.Wifi"), relative);
            }
        }

        [TestMethod]
        [DataRow("Pigeon.Core.Board")]
        [DataRow("Pigeon.Portal.Board")]
        public void BoardLibraries_ListOnlyTheCoreLibrary(string project)
        {
            // The core and the portal reference nothing but mscorlib (and the portal the core:
            // NanoGateTests); a second package here would be a native declaration they do not need to match.
            CollectionAssert.AreEqual(new[] { "nanoFramework.CoreLibrary" }, PackagesConfig("firmware/" + project + "/packages.config").Keys.ToArray());
            string text = File.ReadAllText(Path.Combine(Root, "firmware", project, project + ".nfproj"));
            Assert.AreEqual(1, Regex.Matches(text, "<Reference Include=").Count, "only mscorlib");
        }

        [TestMethod]
        public void DevicePackages_EveryPinnedRuntimePackage_IsListed()
        {
            Dictionary<string, string> listed = PackagesConfig("firmware/Pigeon.Device/packages.config");
            foreach (KeyValuePair<string, JsonNode> p in Pin()["packages"]!.AsObject())
            {
                if (p.Key != "nanoFramework.TestFramework")
                {
                    Assert.IsTrue(listed.ContainsKey(p.Key), "packages.config misses " + p.Key);
                }
            }
        }

        [TestMethod]
        [DataRow("firmware/Pigeon.Device/Pigeon.Device.nfproj", "firmware/Pigeon.Device/packages.config")]
        [DataRow("tests/Pigeon.DeviceTests/Pigeon.DeviceTests.nfproj", "tests/Pigeon.DeviceTests/packages.config")]
        [DataRow("tests/Pigeon.DeviceTests.Target/Pigeon.DeviceTests.Target.nfproj", "tests/Pigeon.DeviceTests.Target/packages.config")]
        [DataRow("firmware/Pigeon.Core.Board/Pigeon.Core.Board.nfproj", "firmware/Pigeon.Core.Board/packages.config")]
        [DataRow("firmware/Pigeon.Portal.Board/Pigeon.Portal.Board.nfproj", "firmware/Pigeon.Portal.Board/packages.config")]
        public void Nfproj_HintPaths_UseThePackagesConfigVersions(string project, string packages)
        {
            Dictionary<string, string> listed = PackagesConfig(packages);
            string text = File.ReadAllText(Path.Combine(Root, project));
            MatchCollection hints = Regex.Matches(text, @"packages\\([A-Za-z0-9.]+?)\.(\d+\.\d+\.\d+)\\lib\\");
            // Every listed package has a hint path (nanoFramework.Hardware.Esp32 too: digits in the name).
            Assert.IsTrue(hints.Count >= listed.Count && hints.Count >= 1, project + ": hint paths found: " + hints.Count);
            foreach (Match m in hints)
            {
                Assert.IsTrue(listed.ContainsKey(m.Groups[1].Value), project + " references " + m.Groups[1].Value + " not in " + packages);
                Assert.AreEqual(listed[m.Groups[1].Value], m.Groups[2].Value, project + ": " + m.Groups[1].Value);
            }
        }

        [TestMethod]
        [DataRow("firmware/Pigeon.Device/Pigeon.Device.nfproj")]
        [DataRow("tests/Pigeon.DeviceTests/Pigeon.DeviceTests.nfproj")]
        [DataRow("tests/Pigeon.DeviceTests.Target/Pigeon.DeviceTests.Target.nfproj")]
        [DataRow("firmware/Pigeon.Core.Board/Pigeon.Core.Board.nfproj")]
        [DataRow("firmware/Pigeon.Portal.Board/Pigeon.Portal.Board.nfproj")]
        public void Nfproj_WithoutTheExtension_FallsBackInsteadOfFailing(string project)
        {
            string text = File.ReadAllText(Path.Combine(Root, project));
            StringAssert.Contains(text, "NanoFramework.Fallback.targets\" Condition=\"!Exists('$(NanoFrameworkProjectSystemPath)NFProjectSystem.CSharp.targets')\"");
            StringAssert.Contains(text, "<LangVersion>10</LangVersion>");
            string sln = File.ReadAllText(Path.Combine(Root, "Firmware.sln"));
            StringAssert.Contains(sln, project.Replace('/', '\\'));
        }

        [TestMethod]
        public void DeviceTests_CodeUnderTest_IsTheAppSourcesAsLibrariesLikeOnTheBoard()
        {
            // One NFUnitTest holding the core too overflows the metadata processor's byte-code
            // table; the code under test is the board's assemblies: Pigeon.Core.Board,
            // Pigeon.Portal.Board and a library of the app's sources without Program.cs (one entry point).
            string tests = File.ReadAllText(Path.Combine(Root, "tests", "Pigeon.DeviceTests", "Pigeon.DeviceTests.nfproj"));
            StringAssert.Contains(tests, "<ProjectReference Include=\"..\\Pigeon.DeviceTests.Target\\Pigeon.DeviceTests.Target.nfproj\" />");
            StringAssert.Contains(tests, "<ProjectReference Include=\"..\\..\\firmware\\Pigeon.Core.Board\\Pigeon.Core.Board.nfproj\" />");
            StringAssert.Contains(tests, "<ProjectReference Include=\"..\\..\\firmware\\Pigeon.Portal.Board\\Pigeon.Portal.Board.nfproj\" />");
            Assert.IsFalse(tests.Contains("firmware\\Pigeon.Core\\") || tests.Contains("firmware\\Pigeon.Portal\\"), "NFUnitTest must not compile the core or the portal itself");
            string target = File.ReadAllText(Path.Combine(Root, "tests", "Pigeon.DeviceTests.Target", "Pigeon.DeviceTests.Target.nfproj"));
            StringAssert.Contains(target, "<OutputType>Library</OutputType>");
            StringAssert.Contains(target, "firmware\\Pigeon.Device\\Program.cs;");
            StringAssert.Contains(target, "firmware\\Pigeon.Sockets\\*.cs");
            StringAssert.Contains(target, "<ProjectReference Include=\"..\\..\\firmware\\Pigeon.Core.Board\\Pigeon.Core.Board.nfproj\" />");
            StringAssert.Contains(target, "<ProjectReference Include=\"..\\..\\firmware\\Pigeon.Portal.Board\\Pigeon.Portal.Board.nfproj\" />");
            Assert.IsFalse(target.Contains("firmware\\Pigeon.Core\\") || target.Contains("firmware\\Pigeon.Portal\\"), "the core and the portal come from their board libraries, not compiled in again");
        }

        [TestMethod]
        public void DeviceTests_AssemblyName_IsNFUnitTestWithBothRunSettings()
        {
            string dir = Path.Combine(Root, "tests", "Pigeon.DeviceTests");
            StringAssert.Contains(File.ReadAllText(Path.Combine(dir, "Pigeon.DeviceTests.nfproj")), "<AssemblyName>NFUnitTest</AssemblyName>");
            StringAssert.Contains(File.ReadAllText(Path.Combine(dir, "nano.runsettings")), "<IsRealHardware>False</IsRealHardware>");
            string board = File.ReadAllText(Path.Combine(dir, "nano.board.runsettings"));
            StringAssert.Contains(board, "<IsRealHardware>True</IsRealHardware>");
            StringAssert.Contains(board, "<RealHardwarePort>");
        }
    }
}
