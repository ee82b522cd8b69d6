using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Pigeon.Tests.Host.Gate
{
    /// <summary>
    /// nanoFramework's metadata processor refuses an assembly with more than 65,535 bytes of nanoCLR
    /// byte code ("Byte code table overflow ... impossible to compile such a large assembly": the
    /// byte code offset is 16 bits). The board therefore gets Pigeon in three assemblies, one per
    /// folder (docs/architecture.md; docs/device.md, "How it was checked", item 4):
    ///   - the library firmware/Pigeon.Core.Board (assembly Pigeon.Core): firmware/Pigeon.Core;
    ///   - the library firmware/Pigeon.Portal.Board (assembly Pigeon.Portal): firmware/Pigeon.Portal;
    ///   - the application firmware/Pigeon.Device: the device code + Pigeon.Sockets.
    /// The board build needs Visual Studio, so this gate measures what it can here: the IL method
    /// bodies of each library's nano build (firmware/Pigeon.Core.Nano, firmware/Pigeon.Portal.Nano)
    /// against an IL budget per board assembly.
    ///
    /// Measured IL -> byte code relation (metadata processor built from upstream source, IL as
    /// summed here, method headers and exception clauses included):
    ///   the whole core + config codec, 81,509 bytes of IL: converted;
    ///   the same grown to 90,452 bytes of IL: "Byte code table overflow";
    ///   library 57,427 IL -> 42,884 bytes of byte code (89 KB .pe), application 49,438 IL ->
    ///   36,489 bytes of byte code (76 KB .pe), NFUnitTest 47,234 IL -> 31,061: all converted;
    ///   both parts as one assembly, 106,807 IL: overflow with the table at 65,506 bytes.
    /// Byte code is ~0.74 x IL for this code, so the 65,535-byte table holds ~88,000 bytes of IL,
    /// which agrees with the two whole-core results. The budget, 75,000 IL (~56,000 bytes of byte
    /// code, 85% of the table), keeps ~8% under the largest assembly known to convert.
    /// </summary>
    [TestClass]
    public class BoardAssemblySizeTests
    {
        /// <summary>IL bytes one board assembly may hold: 81,509 converted, 90,452 did not.</summary>
        internal const int AssemblyBudget = 75_000;

        /// <summary>IL bytes (method bodies with headers) per namespace of the declaring (outermost) type.</summary>
        internal static Dictionary<string, int> IlByNamespace(string path)
        {
            Dictionary<string, int> sizes = new Dictionary<string, int>(StringComparer.Ordinal);
            using PEReader pe = new PEReader(File.OpenRead(path));
            MetadataReader md = pe.GetMetadataReader();
            foreach (TypeDefinitionHandle th in md.TypeDefinitions)
            {
                TypeDefinition outer = md.GetTypeDefinition(th);
                while (outer.IsNested)
                {
                    outer = md.GetTypeDefinition(outer.GetDeclaringType());
                }

                string ns = md.GetString(outer.Namespace);
                foreach (MethodDefinitionHandle mh in md.GetTypeDefinition(th).GetMethods())
                {
                    int rva = md.GetMethodDefinition(mh).RelativeVirtualAddress;
                    if (rva != 0)
                    {
                        sizes[ns] = sizes.GetValueOrDefault(ns) + pe.GetMethodBody(rva).Size;
                    }
                }
            }

            return sizes;
        }

        /// <summary>Null when within budget, else what to do.</summary>
        internal static string Check(string assembly, Dictionary<string, int> sizes, int budget)
        {
            int total = sizes.Values.Sum();
            if (total <= budget)
            {
                return null;
            }

            string byNs = string.Join(", ", sizes.OrderByDescending(p => p.Value).Select(p => (p.Key.Length == 0 ? "(none)" : p.Key) + " " + p.Value));
            return "the board assembly " + assembly + " has " + total + " bytes of IL, budget " + budget
                + ". nanoFramework's metadata processor refuses an assembly above 65,535 bytes of byte code"
                + " (\"Byte code table overflow\"): make it smaller, or move a folder nothing else in it depends on into its own"
                + " board assembly (docs/device.md, \"How it was checked\", item 4). IL by namespace: " + byNs;
        }

        [TestMethod]
        [DataRow(NanoGateTests.Core, "Pigeon.Core", 20_000)]
        [DataRow(NanoGateTests.Portal, "Pigeon.Portal", 10_000)]
        public void NanoBuild_EachBoardLibrary_StaysWithinTheByteCodeBudget(string key, string assembly, int atLeast)
        {
            string path = NanoGateTests.NanoAssemblyPath(key);
            Assert.IsTrue(File.Exists(path), "the nano build is missing: " + path);
            Dictionary<string, int> sizes = IlByNamespace(path);
            int total = sizes.Values.Sum();
            Console.WriteLine(assembly + ": " + total + " bytes of IL (" + string.Join(", ", sizes.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + " " + p.Value)) + ")");
            Assert.IsTrue(total > atLeast, "the measurement sees " + assembly + ": " + total);
            string problem = Check(assembly, sizes, AssemblyBudget);
            Assert.IsNull(problem, problem);
        }

        [TestMethod]
        public void Check_OverBudget_NamesTheAssemblyAndTheFix()
        {
            // The gate must be able to fail: the real sizes against a budget just below them.
            Dictionary<string, int> sizes = IlByNamespace(NanoGateTests.NanoAssemblyPath(NanoGateTests.Portal));
            int total = sizes.Values.Sum();
            string over = Check("Pigeon.Portal", sizes, total - 1);
            Assert.IsNotNull(over);
            StringAssert.Contains(over, "Pigeon.Portal has " + total);
            StringAssert.Contains(over, "Byte code table overflow");
            Assert.IsNull(Check("Pigeon.Portal", sizes, total), "exactly at the budget is within it");
        }

        [TestMethod]
        public void BoardProjects_OneFolderOneAssembly()
        {
            // The budgets above hold only if each board project compiles exactly its own folder.
            string root = Pigeon.Tests.Host.Hardware.BoardProfileTests.RepoRoot();
            string core = File.ReadAllText(Path.Combine(root, "firmware", "Pigeon.Core.Board", "Pigeon.Core.Board.nfproj"));
            StringAssert.Contains(core, "<Compile Include=\"..\\Pigeon.Core\\**\\*.cs\"");
            StringAssert.Contains(core, "<AssemblyName>Pigeon.Core</AssemblyName>");
            StringAssert.Contains(core, "<OutputType>Library</OutputType>");
            string portal = File.ReadAllText(Path.Combine(root, "firmware", "Pigeon.Portal.Board", "Pigeon.Portal.Board.nfproj"));
            StringAssert.Contains(portal, "<Compile Include=\"..\\Pigeon.Portal\\**\\*.cs\"");
            StringAssert.Contains(portal, "<AssemblyName>Pigeon.Portal</AssemblyName>");
            StringAssert.Contains(portal, "<OutputType>Library</OutputType>");
            StringAssert.Contains(portal, "<ProjectReference Include=\"..\\Pigeon.Core.Board\\Pigeon.Core.Board.nfproj\" />");
            Assert.IsFalse(portal.Contains("Pigeon.Core\\**"), "the portal library compiles the core's sources too");
            string app = File.ReadAllText(Path.Combine(root, "firmware", "Pigeon.Device", "Pigeon.Device.nfproj"));
            StringAssert.Contains(app, "<ProjectReference Include=\"..\\Pigeon.Core.Board\\Pigeon.Core.Board.nfproj\" />");
            StringAssert.Contains(app, "<ProjectReference Include=\"..\\Pigeon.Portal.Board\\Pigeon.Portal.Board.nfproj\" />");
            Assert.IsFalse(app.Contains("Pigeon.Core\\") && app.Contains("<Compile Include=\"..\\Pigeon.Core"), "the application compiles core sources");
            Assert.IsFalse(app.Contains("<Compile Include=\"..\\Pigeon.Portal"), "the application compiles portal sources");
        }
    }
}
