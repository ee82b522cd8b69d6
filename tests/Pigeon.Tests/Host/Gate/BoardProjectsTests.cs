using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Tests.Host.Device;
using Pigeon.Tests.Host.Hardware;

namespace Pigeon.Tests.Host.Gate
{
    /// <summary>
    /// How the board projects are laid out (docs/device.md, "Building the board code"): every .nfproj
    /// is in Firmware.sln as a nanoFramework project, builds with the extension in Visual Studio and
    /// SDK-style everywhere else, and the shared core tests are split between the board test
    /// projects with every folder in exactly one of them.
    /// </summary>
    [TestClass]
    public class BoardProjectsTests
    {
        private const string NanoProjectType = "{11A8DD76-328B-46DF-9F39-F559912D0360}";

        private static string Root => BoardProfileTests.RepoRoot();

        [TestMethod]
        [DynamicData(nameof(FirmwarePinTests.BoardProjects), typeof(FirmwarePinTests))]
        public void Nfproj_IsInTheSolutionAsANanoFrameworkProject(string project, string packages)
        {
            string sln = File.ReadAllText(Path.Combine(Root, "Firmware.sln"));
            Match entry = Regex.Match(sln, @"Project\(""(\{[0-9A-F-]+\})""\) = ""[^""]+"", """ + Regex.Escape(project.Replace('/', '\\')) + @"""");
            Assert.IsTrue(entry.Success, project + " is not in Firmware.sln");
            Assert.AreEqual(NanoProjectType, entry.Groups[1].Value, project + ": Visual Studio opens it with the nanoFramework extension only under that project type");
            Assert.IsTrue(File.Exists(Path.Combine(Root, packages)), packages);
        }

        [TestMethod]
        [DynamicData(nameof(FirmwarePinTests.BoardProjects), typeof(FirmwarePinTests))]
        public void Nfproj_BuildsWithTheExtensionOrSdkStyle(string project, string packages)
        {
            // With the extension: its props and targets. Without it (dotnet build), or when
            // Pigeon.Tests asks for it (PigeonSdkBuild=true): NanoBoard.props and .targets instead.
            string text = File.ReadAllText(Path.Combine(Root, project));
            string up = project.StartsWith("tests/", StringComparison.Ordinal) ? @"..\..\firmware\" : @"..\";
            StringAssert.Contains(text, "<PigeonSdkBuild Condition=\"'$(PigeonSdkBuild)' == '' And !Exists('$(NanoFrameworkProjectSystemPath)NFProjectSystem.Default.props')\">true</PigeonSdkBuild>");
            StringAssert.Contains(text, "<Import Project=\"$(NanoFrameworkProjectSystemPath)NFProjectSystem.Default.props\" Condition=\"'$(PigeonSdkBuild)' != 'true'\" />");
            StringAssert.Contains(text, "<Import Project=\"$(NanoFrameworkProjectSystemPath)NFProjectSystem.props\" Condition=\"'$(PigeonSdkBuild)' != 'true'\" />");
            StringAssert.Contains(text, "<Import Project=\"$(NanoFrameworkProjectSystemPath)NFProjectSystem.CSharp.targets\" Condition=\"'$(PigeonSdkBuild)' != 'true'\" />");
            StringAssert.Contains(text, "<Import Project=\"" + up + "NanoBoard.props\" Condition=\"'$(PigeonSdkBuild)' == 'true'\" />");
            StringAssert.Contains(text, "<Import Project=\"" + up + "NanoBoard.targets\" Condition=\"'$(PigeonSdkBuild)' == 'true'\" />");
            Assert.IsTrue(text.IndexOf("NanoBoard.props", StringComparison.Ordinal) < text.IndexOf("<ProjectGuid>", StringComparison.Ordinal), "NanoBoard.props comes first (it imports the SDK)");
            Assert.IsTrue(text.IndexOf("NanoBoard.targets", StringComparison.Ordinal) > text.LastIndexOf("</ItemGroup>", StringComparison.Ordinal), "NanoBoard.targets comes last");
            StringAssert.Contains(text, "<LangVersion>10</LangVersion>");
            StringAssert.Contains(text, "NANOFRAMEWORK_1_0");
        }

        [TestMethod]
        public void SharedTests_EveryFolderIsInExactlyOneBoardTestProject()
        {
            // Each board test assembly stays well under nanoCLR's string table limit because the
            // shared tests are split by folder (BoardAssemblyLimitsTests); a folder left out would
            // not run on the board, a folder in two would run twice.
            string shared = Path.Combine(Root, "tests", "Pigeon.Tests");
            string[] folders = Directory.GetDirectories(shared).Select(Path.GetFileName)
                .Where(n => n != "Host" && n != "bin" && n != "obj" && n != "Support" && n != "Fixtures"
                    && Directory.GetFiles(Path.Combine(shared, n!), "*.cs", SearchOption.AllDirectories).Length > 0)
                .ToArray()!;
            Assert.IsTrue(folders.Length >= 6, "shared test folders: " + string.Join(", ", folders));
            Assert.AreEqual(0, Directory.GetFiles(shared, "*.cs").Length, "shared test files belong in a folder");
            string[] testProjects = Directory.GetFiles(Path.Combine(Root, "tests"), "Pigeon.DeviceTests*.nfproj", SearchOption.AllDirectories)
                .Where(p => !p.Contains("Target", StringComparison.Ordinal)).ToArray();
            Assert.IsTrue(testProjects.Length >= 3, "board test projects: " + testProjects.Length);
            Dictionary<string, List<string>> owners = folders.ToDictionary(f => f, f => new List<string>());
            foreach (string project in testProjects)
            {
                string text = File.ReadAllText(project);
                StringAssert.Contains(text, "<Import Project=\"..\\Pigeon.DeviceTests.props\" />", project);
                foreach (Match m in Regex.Matches(text, @"<Compile Include=""\.\.\\Pigeon\.Tests\\([A-Za-z]+)\\\*\*\\\*\.cs"""))
                {
                    Assert.IsTrue(owners.ContainsKey(m.Groups[1].Value), project + " compiles " + m.Groups[1].Value + ", which is not a shared test folder");
                    owners[m.Groups[1].Value].Add(Path.GetFileName(project));
                }

                Assert.IsFalse(Regex.IsMatch(text, @"Pigeon\.Tests\\\*\*"), project + " compiles all shared tests at once (the string table overflow)");
            }

            foreach (KeyValuePair<string, List<string>> o in owners)
            {
                Assert.AreEqual(1, o.Value.Count, "tests/Pigeon.Tests/" + o.Key + " is compiled by " + o.Value.Count + " board test projects: " + string.Join(", ", o.Value));
            }

            StringAssert.Contains(File.ReadAllText(Path.Combine(Root, "tests", "Pigeon.DeviceTests.props")), @"Pigeon.Tests\Support\**\*.cs");
        }
    }
}
