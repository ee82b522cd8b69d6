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

        internal static JsonObject Pin()
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

        /// <summary>Every packages.config of a board project (firmware/*/, tests/*/).</summary>
        public static IEnumerable<object[]> PackagesConfigs()
        {
            foreach (string top in new[] { "firmware", "tests" })
            {
                foreach (string dir in Directory.GetDirectories(Path.Combine(Root, top)).OrderBy(d => d, System.StringComparer.Ordinal))
                {
                    if (File.Exists(Path.Combine(dir, "packages.config")))
                    {
                        yield return new object[] { top + "/" + Path.GetFileName(dir) + "/packages.config" };
                    }
                }
            }
        }

        /// <summary>Every board project (.nfproj under firmware/ and tests/) with its packages.config.</summary>
        public static IEnumerable<object[]> BoardProjects()
        {
            foreach (string top in new[] { "firmware", "tests" })
            {
                foreach (string file in Directory.GetFiles(Path.Combine(Root, top), "*.nfproj", SearchOption.AllDirectories).OrderBy(d => d, System.StringComparer.Ordinal))
                {
                    string rel = Path.GetRelativePath(Root, file).Replace('\\', '/');
                    if (!rel.Contains("/bin/") && !rel.Contains("/obj/"))
                    {
                        yield return new object[] { rel, Path.GetDirectoryName(rel)!.Replace('\\', '/') + "/packages.config" };
                    }
                }
            }
        }

        /// <summary>A project's text with the shared .props it imports from tests/ (Pigeon.DeviceTests.props).</summary>
        internal static string ProjectText(string project)
        {
            string text = File.ReadAllText(Path.Combine(Root, project));
            foreach (Match m in Regex.Matches(text, @"<Import Project=""\.\.\\([A-Za-z.]+\.props)"" />"))
            {
                text += File.ReadAllText(Path.Combine(Root, Path.GetDirectoryName(Path.GetDirectoryName(project))!, m.Groups[1].Value));
            }

            return text;
        }

        [TestMethod]
        [DynamicData(nameof(PackagesConfigs))]
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
        public void PackagesConfigs_CoverEveryBoardProject()
        {
            string[] configs = PackagesConfigs().Select(r => (string)r[0]).ToArray();
            string[] projects = BoardProjects().Select(r => (string)r[1]).ToArray();
            Assert.IsTrue(projects.Length >= 6, "board projects: " + projects.Length);
            CollectionAssert.AreEquivalent(projects, configs, "one packages.config beside each .nfproj");
        }

        [TestMethod]
        public void NanoBoardProps_CoreLibrary_IsThePinnedVersion()
        {
            // dotnet build restores mscorlib by this version (firmware/NanoBoard.props).
            string props = File.ReadAllText(Path.Combine(Root, "firmware", "NanoBoard.props"));
            Assert.AreEqual((string)Pin()["packages"]!["nanoFramework.CoreLibrary"]!, Regex.Match(props, "<NanoCoreLibraryVersion>([^<]+)</NanoCoreLibraryVersion>").Groups[1].Value);
        }

        [TestMethod]
        [DataRow("Pigeon.Core.Board")]
        [DataRow("Pigeon.Reach.Board")]
        [DataRow("Pigeon.Portal.Board")]
        public void BoardCoreLibraries_ListOnlyTheCoreLibrary(string library)
        {
            // The core's libraries and the portal reference nothing of nanoFramework but mscorlib
            // (NanoGateTests); a
            // second package here would be a native declaration the library does not need to match.
            CollectionAssert.AreEqual(new[] { "nanoFramework.CoreLibrary" }, PackagesConfig("firmware/" + library + "/packages.config").Keys.ToArray());
            string text = File.ReadAllText(Path.Combine(Root, "firmware", library, library + ".nfproj"));
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
        [DynamicData(nameof(BoardProjects))]
        public void Nfproj_HintPaths_UseThePackagesConfigVersions(string project, string packages)
        {
            Dictionary<string, string> listed = PackagesConfig(packages);
            string text = ProjectText(project);
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
        public void NanoReferences_EachDeclarationAssembly_IsVersionedLikeItsPinnedPackage()
        {
            // A declaration folder is named after the assembly; the package that ships it is found by
            // the hint paths (packages\<id>.<version>\lib\<assembly>.dll) and pinned in firmware-pin.json.
            JsonObject pinned = Pin()["packages"]!.AsObject();
            Dictionary<string, string> packageOf = new Dictionary<string, string>();
            foreach (object[] row in BoardProjects())
            {
                foreach (Match m in Regex.Matches(ProjectText((string)row[0]), @"packages\\([A-Za-z0-9.]+?)\.\d+\.\d+\.\d+\\lib\\([A-Za-z0-9.]+)\.(dll|exe)"))
                {
                    packageOf[m.Groups[2].Value] = m.Groups[1].Value;
                }
            }

            string refs = Path.Combine(Root, "firmware", "NanoReferences");
            string proj = File.ReadAllText(Path.Combine(refs, "NanoReferences.proj"));
            string[] folders = Directory.GetDirectories(refs).Select(Path.GetFileName).Where(n => n != "obj" && n != "bin").ToArray()!;
            Assert.IsTrue(folders.Length >= 10, "declaration folders: " + folders.Length);
            foreach (string assembly in folders)
            {
                Assert.IsTrue(packageOf.ContainsKey(assembly), assembly + ": no board project references this assembly; delete its declarations");
                string info = File.ReadAllText(Path.Combine(refs, assembly, "AssemblyInfo.cs"));
                string version = Regex.Match(info, @"AssemblyVersion\(""([0-9.]+)""\)").Groups[1].Value;
                Assert.AreEqual((string)pinned[packageOf[assembly]]! + ".0", version, assembly + " declares the version of " + packageOf[assembly]);
                StringAssert.Contains(proj, "<NanoReference Include=\"" + assembly + "\"", "NanoReferences.proj builds " + assembly);
            }

            Assert.AreEqual(folders.Length, Regex.Matches(proj, "<NanoReference Include=").Count, "NanoReferences.proj lists exactly the folders");
        }

        [TestMethod]
        public void DeviceTests_CodeUnderTest_IsTheAppSourcesAsLibrariesLikeOnTheBoard()
        {
            // The code under test is the board's assemblies: Pigeon.Core.Board, Pigeon.Reach.Board,
            // Pigeon.Portal.Board and a library of the app's sources without Program.cs (one entry point).
            string shared = File.ReadAllText(Path.Combine(Root, "tests", "Pigeon.DeviceTests.props"));
            StringAssert.Contains(shared, "<ProjectReference Include=\"$(MSBuildThisFileDirectory)Pigeon.DeviceTests.Target\\Pigeon.DeviceTests.Target.nfproj\" />");
            StringAssert.Contains(shared, "<ProjectReference Include=\"$(MSBuildThisFileDirectory)..\\firmware\\Pigeon.Core.Board\\Pigeon.Core.Board.nfproj\" />");
            StringAssert.Contains(shared, "<ProjectReference Include=\"$(MSBuildThisFileDirectory)..\\firmware\\Pigeon.Portal.Board\\Pigeon.Portal.Board.nfproj\" />");
            foreach (object[] row in BoardProjects())
            {
                Assert.IsFalse(ProjectText((string)row[0]).Contains("firmware\\Pigeon.Core\\**"), row[0] + ": the core comes from Pigeon.Core.Board, not compiled in again");
                Assert.IsFalse(ProjectText((string)row[0]).Contains("firmware\\Pigeon.Portal\\**"), row[0] + ": the portal comes from Pigeon.Portal.Board, not compiled in again");
            }

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
            // nanoFramework's test launcher loads the assembly named NFUnitTest.
            StringAssert.Contains(File.ReadAllText(Path.Combine(Root, "tests", "Pigeon.DeviceTests.props")), "<AssemblyName>NFUnitTest</AssemblyName>");
            string dir = Path.Combine(Root, "tests", "Pigeon.DeviceTests");
            StringAssert.Contains(File.ReadAllText(Path.Combine(dir, "nano.runsettings")), "<IsRealHardware>False</IsRealHardware>");
            string board = File.ReadAllText(Path.Combine(dir, "nano.board.runsettings"));
            StringAssert.Contains(board, "<IsRealHardware>True</IsRealHardware>");
            StringAssert.Contains(board, "<RealHardwarePort>");
        }
    }
}
