using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Pigeon.Tests.Host.Gate
{
    /// <summary>
    /// Every board assembly must stay well under two limits of one nanoFramework assembly
    /// (docs/device.md, "Board assemblies"):
    /// <list type="bullet">
    /// <item><b>byte code</b>: the metadata processor addresses it with 16 bits and refuses more than
    /// 65,535 bytes ("Byte code table overflow");</item>
    /// <item><b>string table</b>: nanoCLR reads every string ID at or above 0xFFFF - 860 = 64,675 as
    /// one of its 860 built-in strings (nf-interpreter src/CLR/Core/StringTable.cpp,
    /// <c>CLR_RT_Assembly::GetString</c>; StringTableData.cpp, <c>c_CLR_StringTable_Size</c>), while the
    /// metadata processor only refuses a table over 65,535 bytes. An assembly in between converts
    /// without a word and misreads its own names: the device tests as one assembly ran 0 tests.</item>
    /// </list>
    /// The gate is 80 % of each limit, with the figures computed as the processor builds them
    /// (<see cref="NanoTables"/>).
    /// </summary>
    [TestClass]
    public class BoardAssemblyLimitsTests
    {
        /// <summary>The metadata processor's byte code table limit (16-bit offsets).</summary>
        public const int ByteCodeLimit = 65535;

        /// <summary>The first string ID nanoCLR reads as a built-in: 0xFFFF - 860.</summary>
        public const int StringTableLimit = 0xFFFF - 860;

        /// <summary>The gate: 80 % of each limit.</summary>
        public const int ByteCodeGate = ByteCodeLimit * 8 / 10;

        /// <summary>See <see cref="ByteCodeGate"/>.</summary>
        public const int StringTableGate = StringTableLimit * 8 / 10;

        /// <summary>Null when <paramref name="tables"/> is within both budgets, else what is over and what to do.</summary>
        public static string Check(string assembly, NanoTables tables, int stringBudget, int byteCodeBudget)
        {
            List<string> over = new List<string>();
            if (tables.StringTableBytes > stringBudget)
            {
                over.Add("a string table of " + tables.StringTableBytes.ToString("N0") + " bytes, over the gate of " + stringBudget.ToString("N0")
                    + " (nanoCLR reads string IDs from " + StringTableLimit.ToString("N0") + " on as its built-in strings: the assembly would misread its own names)");
            }

            if (tables.ByteCodeBytes > byteCodeBudget)
            {
                string largest = string.Join(", ", tables.ByteCodeByMethod.OrderByDescending(p => p.Value).Take(3).Select(p => p.Key + " " + p.Value));
                over.Add(tables.ByteCodeBytes.ToString("N0") + " bytes of byte code, over the gate of " + byteCodeBudget.ToString("N0")
                    + " (the metadata processor refuses more than " + ByteCodeLimit.ToString("N0") + ": \"Byte code table overflow\"; largest methods: " + largest + ")");
            }

            if (over.Count == 0)
            {
                return null;
            }

            return assembly + " has " + string.Join(" and ", over) + ". Move code into another board assembly (a library like"
                + " firmware/Pigeon.Core.Board, or, for tests, another Pigeon.DeviceTests.* project): docs/device.md, \"Board assemblies\".";
        }

        [TestMethod]
        public void BoardAssemblies_StringTableAndByteCode_StayWellUnderNanoClrLimits()
        {
            List<string> problems = new List<string>();
            StringBuilder table = new StringBuilder("assembly | project | string table (limit " + StringTableLimit.ToString("N0") + ") | byte code (limit " + ByteCodeLimit.ToString("N0") + ")\n");
            foreach (BoardAssembly b in BoardAssembly.All())
            {
                NanoTables t = NanoTables.Measure(b.Path);
                Assert.IsTrue(t.StringTableBytes > 2000 && t.ByteCodeBytes > 2000, b + ": the measurement sees the assembly");
                table.Append(b.Name).Append(" | ").Append(b.Project).Append(" | ")
                    .Append(t.StringTableBytes.ToString("N0")).Append(" (").Append(100 * t.StringTableBytes / StringTableLimit).Append(" %) | ")
                    .Append(t.ByteCodeBytes.ToString("N0")).Append(" (").Append(100 * t.ByteCodeBytes / ByteCodeLimit).Append(" %)\n");
                string problem = Check(b.ToString(), t, StringTableGate, ByteCodeGate);
                if (problem != null)
                {
                    problems.Add(problem);
                }
            }

            Console.WriteLine(table.ToString());
            Assert.AreEqual(0, problems.Count, string.Join("\n", problems));
        }

        [TestMethod]
        public void BoardAssemblies_StoreNoStringWithAZeroCharacter()
        {
            // nanoCLR keeps strings zero-terminated: a literal holding \0 is cut short on the board
            // (a shared test's "GET\u0000" became "GET" and read past its end on nanoCLR).
            List<string> found = new List<string>();
            foreach (BoardAssembly b in BoardAssembly.All())
            {
                foreach (string s in NanoTables.Measure(b.Path).Strings)
                {
                    if (s.IndexOf('\0') >= 0)
                    {
                        found.Add(b.Project + ": \"" + s.Replace("\0", "\\0") + "\"");
                    }
                }
            }

            Assert.AreEqual(0, found.Count, "strings with a zero character (build the bytes as an array instead): " + string.Join("; ", found));
        }

        [TestMethod]
        public void Check_OverEitherGate_NamesTheLimitAndTheFix()
        {
            // The gate must be able to fail: the real figures against budgets just below them.
            BoardAssembly app = BoardAssembly.Of("firmware/Pigeon.Device/Pigeon.Device.nfproj");
            NanoTables t = NanoTables.Measure(app.Path);
            string strings = Check("Pigeon.Device", t, t.StringTableBytes - 1, ByteCodeGate);
            Assert.IsNotNull(strings);
            StringAssert.Contains(strings, "string table of " + t.StringTableBytes.ToString("N0"));
            StringAssert.Contains(strings, "built-in strings");
            StringAssert.Contains(strings, "another board assembly");
            Assert.IsFalse(strings.Contains("byte code"), strings);
            string code = Check("Pigeon.Device", t, StringTableGate, t.ByteCodeBytes - 1);
            Assert.IsNotNull(code);
            StringAssert.Contains(code, "Byte code table overflow");
            StringAssert.Contains(code, "largest methods: ");
            Assert.IsNull(Check("Pigeon.Device", t, t.StringTableBytes, t.ByteCodeBytes), "exactly at the budget is within it");
        }

        [TestMethod]
        public void Strings_AreDistinctNamesLiteralsAndMemberAttributeArguments()
        {
            NanoTables t = Compile(@"
[assembly: System.Reflection.AssemblyDescription(""not stored"")]
namespace Rules.Demo
{
    public class NoteAttribute : System.Attribute { public NoteAttribute(string text) { } }
    public class Sample
    {
        private int alpha;
        private static int beta;
        public const int Gamma = 3;
        [Note(""eta"")]
        public string Delta() { alpha = beta; return ""epsilon"" + ""é中"" + alpha; }
        public string Again() { return ""epsilon""; }
    }
}");
            foreach (string s in new[] { "", "Rules.Demo", "Sample", "NoteAttribute", "alpha", "beta", "Delta", "Again", ".ctor", "Concat", "epsilon", "eta", "Demo" })
            {
                if (s == "Demo")
                {
                    continue; // a namespace is stored whole, not by part
                }

                Assert.IsTrue(t.Strings.Contains(s), "stored: \"" + s + "\"");
            }

            Assert.IsFalse(t.Strings.Contains("Gamma"), "a constant's name is not stored");
            Assert.IsFalse(t.Strings.Contains("not stored"), "assembly-level attribute arguments are not stored");
            Assert.IsFalse(t.Strings.Contains("Demo"), "namespaces are stored whole");
            Assert.AreEqual(t.Strings.Sum(s => Encoding.UTF8.GetByteCount(s) + 1), t.StringTableBytes, "UTF-8 plus a zero each");
            NanoTables once = Compile(@"namespace Rules.Demo { public class Sample { public string A() { return ""é中""; } } }");
            NanoTables twice = Compile(@"namespace Rules.Demo { public class Sample { public string A() { return ""é中""; } public string B() { return ""é中""; } } }");
            Assert.AreEqual(once.StringTableBytes + 2, twice.StringTableBytes, "a literal used twice is stored once (only the name B is new: 1 + 1 bytes)");
            Assert.IsTrue(once.Strings.Contains("é中") && Encoding.UTF8.GetByteCount("é中") == 5, "non-ASCII counts in UTF-8 bytes");
        }

        [TestMethod]
        public void ByteCode_TokensShrinkToTwoBytesAndOtherOperandsStay()
        {
            // Optimised IL, predictable: ldarg.0, ldc.i4 1000, add, ret = 1 + 5 + 1 + 1.
            Assert.AreEqual(8, Method("public static int Add(int a) { return a + 1000; }", "Add"));
            // ldstr (5 -> 3), ret.
            Assert.AreEqual(4, Method("public static string S() { return \"x\"; }", "S"));
            // call (5 -> 3), pop, ret.
            Assert.AreEqual(5, Method("public static string S() { return \"x\"; } public static void C() { S(); }", "C"));
            // ldc.i8 keeps its 8 bytes: ldc.i8, ret.
            Assert.AreEqual(10, Method("public static long L() { return 0x1122334455667788; }", "L"));
        }

        [TestMethod]
        public void ByteCode_SwitchAndExceptionHandlers()
        {
            // ldarg.0, switch with 4 targets (1 + 4 + 16 -> 1 + 1 + 8), br.s, 4 x (ldc.i4.s + ret), ldc.i4.0, ret.
            int sw = Method("public static int W(int k) { switch (k) { case 0: return 10; case 1: return 20; case 2: return 30; case 3: return 40; } return 0; }", "W");
            Assert.AreEqual(1 + 10 + 2 + (4 * 3) + 2, sw);
            // A try/catch adds 12 bytes per handler and a count byte to the same body without it.
            int plain = Method("public static int F(string s) { return s.Length; }", "F");
            int guarded = Method("public static int F(string s) { try { return s.Length; } catch (System.Exception) { return -1; } }", "F");
            Assert.IsTrue(guarded - plain >= 13, plain + " -> " + guarded);
            NanoTables t = Compile("namespace R { public static class K { public static int F(string s) { try { return s.Length; } catch (System.Exception) { return -1; } } } }");
            // ldarg.0, callvirt (3), stloc.0, leave.s, pop, ldc.i4.m1, stloc.0, leave.s, ldloc.0, ret = 14, + 13.
            Assert.AreEqual(14 + 13, t.ByteCodeByMethod["R.K::F"]);
        }

        private static int Method(string members, string name)
        {
            NanoTables t = Compile("namespace R { public static class K { " + members + " } }");
            return t.ByteCodeByMethod["R.K::" + name];
        }

        /// <summary>Compiles C# (optimised) to a temporary assembly and measures it.</summary>
        private static NanoTables Compile(string source)
        {
            CSharpCompilation compilation = CSharpCompilation.Create(
                "Rules",
                new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp10)) },
                new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
            string path = Path.Combine(Path.GetTempPath(), "pigeon-nanotables-" + Guid.NewGuid().ToString("N") + ".dll");
            try
            {
                Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(path);
                Assert.IsTrue(result.Success, string.Join("\n", result.Diagnostics));
                return NanoTables.Measure(path);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
