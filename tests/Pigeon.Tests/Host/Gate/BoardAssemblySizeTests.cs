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
    /// byte code offset is 16 bits). The board therefore gets Pigeon.Core in two parts
    /// (docs/device.md, "How it was checked", item 4):
    ///   - the library firmware/Pigeon.Core.Board (assembly Pigeon.Core): every namespace but Portal;
    ///   - the application firmware/Pigeon.Device: Pigeon.Portal + the device code + Pigeon.Sockets.
    /// The board build needs Visual Studio, so this gate measures what it can here: the IL method
    /// bodies of the nano build of the whole core (firmware/Pigeon.Core.Nano), grouped by the
    /// declaring type's namespace, against an IL budget per board assembly.
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

        /// <summary>
        /// The application's code this gate cannot see (Pigeon.Device, Pigeon.Device.Config,
        /// Pigeon.Sockets: they need the nanoFramework libraries). Measured 18,066 bytes of IL with
        /// the reach wiring; the allowance leaves room for it to grow by ~20%.
        /// </summary>
        internal const int DeviceCodeAllowance = 22_000;

        /// <summary>The core namespace compiled into the application, not the library.</summary>
        internal const string AppNamespace = "Pigeon.Portal";

        internal const int LibraryBudget = AssemblyBudget;
        internal const int PortalBudget = AssemblyBudget - DeviceCodeAllowance;

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

        internal static bool InApp(string ns) => ns == AppNamespace || ns.StartsWith(AppNamespace + ".", StringComparison.Ordinal);

        /// <summary>
        /// IL of the library part and of the core's part of the application. Compiler-generated
        /// types without a namespace (&lt;PrivateImplementationDetails&gt;) count for both: each
        /// assembly gets its own.
        /// </summary>
        internal static void Split(Dictionary<string, int> sizes, out int library, out int portal)
        {
            library = 0;
            portal = 0;
            foreach (KeyValuePair<string, int> p in sizes)
            {
                if (p.Key.Length == 0)
                {
                    library += p.Value;
                    portal += p.Value;
                }
                else if (InApp(p.Key))
                {
                    portal += p.Value;
                }
                else
                {
                    library += p.Value;
                }
            }
        }

        /// <summary>Null when within budget, else what to do.</summary>
        internal static string Check(Dictionary<string, int> sizes, int libraryBudget, int portalBudget)
        {
            Split(sizes, out int library, out int portal);
            string byNs = string.Join(", ", sizes.OrderByDescending(p => p.Value).Select(p => (p.Key.Length == 0 ? "(none)" : p.Key) + " " + p.Value));
            List<string> over = new List<string>();
            if (library > libraryBudget)
            {
                over.Add("the board library (Pigeon.Core.Board: the core without Portal) has " + library + " bytes of IL, budget " + libraryBudget);
            }

            if (portal > portalBudget)
            {
                over.Add("Pigeon.Portal (compiled into the Pigeon.Device application, beside ~" + DeviceCodeAllowance + " bytes of device code) has " + portal + " bytes of IL, budget " + portalBudget);
            }

            if (over.Count == 0)
            {
                return null;
            }

            return string.Join("; ", over) + ". nanoFramework's metadata processor refuses an assembly above 65,535 bytes of byte code"
                + " (\"Byte code table overflow\"): move a namespace nothing else depends on into its own board assembly"
                + " (docs/device.md, \"How it was checked\", item 4). IL by namespace: " + byNs;
        }

        [TestMethod]
        public void NanoBuild_BoardAssemblyParts_StayWithinTheByteCodeBudget()
        {
            string path = NanoGateTests.NanoAssemblyPath();
            Assert.IsTrue(File.Exists(path), "the nano build is missing: " + path);
            Dictionary<string, int> sizes = IlByNamespace(path);
            Split(sizes, out int library, out int portal);
            Assert.IsTrue(library > 20_000 && portal > 10_000, "the measurement sees the core: library " + library + ", portal " + portal);
            string problem = Check(sizes, LibraryBudget, PortalBudget);
            Assert.IsNull(problem, problem);
        }

        [TestMethod]
        public void Check_OverBudget_NamesThePartAndTheFix()
        {
            // The gate must be able to fail: the real sizes against budgets below them.
            Dictionary<string, int> sizes = IlByNamespace(NanoGateTests.NanoAssemblyPath());
            Split(sizes, out int library, out int portal);
            string libraryOver = Check(sizes, library - 1, PortalBudget);
            Assert.IsNotNull(libraryOver);
            StringAssert.Contains(libraryOver, "board library");
            Assert.IsFalse(libraryOver.Contains("Pigeon.Portal (compiled"), libraryOver);
            string portalOver = Check(sizes, LibraryBudget, portal - 1);
            Assert.IsNotNull(portalOver);
            StringAssert.Contains(portalOver, "Pigeon.Portal (compiled");
            StringAssert.Contains(portalOver, "Byte code table overflow");
            Assert.IsNull(Check(sizes, library, portal), "exactly at the budget is within it");
        }

        [TestMethod]
        public void Split_PortalAndItsSubNamespaces_GoToTheApp()
        {
            Dictionary<string, int> sizes = new Dictionary<string, int>
            {
                { "Pigeon.Portal", 100 },
                { "Pigeon.Portal.Pages", 10 },
                { "Pigeon.PortalX", 1000 },
                { "Pigeon.Config", 20 },
                { string.Empty, 3 },
            };
            Split(sizes, out int library, out int portal);
            Assert.AreEqual(1023, library);
            Assert.AreEqual(113, portal);
        }

        [TestMethod]
        public void BoardProjects_SplitTheCoreWhereTheGateDoes()
        {
            // The budgets above hold only if the projects put Portal/ (and only it) in the application.
            string root = Pigeon.Tests.Host.Hardware.BoardProfileTests.RepoRoot();
            string library = File.ReadAllText(Path.Combine(root, "firmware", "Pigeon.Core.Board", "Pigeon.Core.Board.nfproj"));
            StringAssert.Contains(library, "<Compile Include=\"..\\Pigeon.Core\\**\\*.cs\" Exclude=\"..\\Pigeon.Core\\Portal\\**;");
            StringAssert.Contains(library, "<AssemblyName>Pigeon.Core</AssemblyName>");
            StringAssert.Contains(library, "<OutputType>Library</OutputType>");
            string app = File.ReadAllText(Path.Combine(root, "firmware", "Pigeon.Device", "Pigeon.Device.nfproj"));
            StringAssert.Contains(app, "<Compile Include=\"..\\Pigeon.Core\\Portal\\**\\*.cs\"");
            StringAssert.Contains(app, "<ProjectReference Include=\"..\\Pigeon.Core.Board\\Pigeon.Core.Board.nfproj\" />");
            Assert.AreEqual(1, app.Split("Pigeon.Core\\").Length - 1, "the application compiles only Pigeon.Core\\Portal of the core");
            foreach (string dir in Directory.GetDirectories(Path.Combine(root, "firmware", "Pigeon.Core")))
            {
                string name = Path.GetFileName(dir);
                if (name != "bin" && name != "obj" && name != "Portal" && Directory.GetFiles(dir, "*.cs", SearchOption.AllDirectories).Length > 0)
                {
                    Assert.IsFalse(app.Contains("Pigeon.Core\\" + name + "\\"), "the application compiles " + name + " too");
                }
            }
        }
    }
}
