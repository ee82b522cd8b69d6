using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Tests.Host.Device;

namespace Pigeon.Tests.Host.Gate
{
    /// <summary>
    /// The pitfall gates (<see cref="NanoPitfalls"/>) over every board assembly and every on-device
    /// test assembly: code that compiles and passes on .NET but kills nanoCLR or stops nanoFramework's
    /// metadata processor. The list of pitfalls, each with its upstream cause, is in docs/device.md
    /// ("Pitfalls the gates know"); a new one gets a scan in <see cref="NanoPitfalls"/>, a planted
    /// case here and a line there.
    /// </summary>
    [TestClass]
    public class NanoPitfallsTests
    {
        private const string Planted = @"
namespace Planted
{
    public class DataRowAttribute : System.Attribute { public DataRowAttribute(params object[] data) { } }
    public class NoteAttribute : System.Attribute { public NoteAttribute(string text) { } public string Extra; public System.Type Kind; }
    public enum Small : byte { A = 1 }
    public class SizeAttribute : System.Attribute { public SizeAttribute(Small s, string text) { } }

    public class Sample
    {
        private static readonly string[] s_names = new string[] { ""a"", ""b"" };
        private object[] _items = new object[2];

        public static int Fresh() { return System.Array.IndexOf(new string[3], ""x""); }
        public static int Local() { string[] names = new string[2]; names[0] = ""a""; return System.Array.IndexOf(names, ""a""); }
        public static int Field() { return System.Array.IndexOf(s_names, ""b""); }
        public int Objects() { return System.Array.IndexOf(_items, this); }
        public static int Parameter(System.Array any) { return System.Array.IndexOf(any, 1); }
        public static int Returned() { return System.Array.IndexOf(Names(), ""a"", 0, 1); }
        public static int Branches(bool b) { return System.Array.IndexOf(b ? new string[1] : s_names, ""a""); }
        public static int Mixed(bool b, int[] n, string[] s) { System.Array a = b ? (System.Array)n : s; return System.Array.IndexOf(a, 1); }
        public static int Caught(string t) { try { return t.Length; } catch (System.Exception) { return System.Array.IndexOf(new string[1], t); } }
        public static int Numbers(int[] n, bool b)
        {
            int[][] rows = new int[][] { n };
            return System.Array.IndexOf(new int[3], 1) + System.Array.IndexOf(new Small[2], Small.A) + System.Array.IndexOf(rows[0], 2)
                + System.Array.IndexOf(b ? n : new int[1], 3) + System.Array.IndexOf(new byte[] { 1 }, (byte)1);
        }

        public static string[] Names() { return s_names; }

        [DataRow(""a"", null)] public void Row(string a, string b) { }
        [DataRow(""a"", ""b"")] public void GoodRow(string a, string b) { }
        [Note(null)] public void NullFixed() { }
        [Note(""x"", Extra = null)] public void NullNamed() { }
        [Note(""x"", Kind = null)] public void NullType() { }
        [DataRow(null)] public void NullArray(object a) { }
        [Size(Small.A, null)] public void EnumThenNull() { }
        [Size(Small.A, ""ok""), Note(""x"", Kind = typeof(Sample))] public void Fine() { }
    }
}";

        private static NanoPitfalls s_scan;

        private static string NanoMscorlib()
        {
            string root = typeof(NanoPitfallsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "NuGetPackageRoot").Value!;
            string version = (string)FirmwarePinTests.Pin()["packages"]!["nanoFramework.CoreLibrary"]!;
            string path = Path.Combine(root, "nanoframework.corelibrary", version, "lib", "mscorlib.dll");
            Assert.IsTrue(File.Exists(path), "nanoFramework's mscorlib (restored with the board projects): " + path);
            return path;
        }

        /// <summary>One scanner for all: types resolve in mscorlib and the board assemblies.</summary>
        private static NanoPitfalls Scan()
        {
            if (s_scan == null)
            {
                List<string> references = new List<string> { NanoMscorlib() };
                references.AddRange(BoardAssembly.All().Where(b => b.Name != "NFUnitTest").Select(b => b.Path));
                s_scan = new NanoPitfalls(references);
            }

            return s_scan;
        }

        [TestMethod]
        [DynamicData(nameof(BoardAssembly.Projects), typeof(BoardAssembly))]
        public void BoardAssembly_SearchesNoArrayOfAReferenceTypeWithArrayIndexOf(string project)
        {
            List<string> found = Scan().ArraySearches(BoardAssembly.Of(project).Path);
            Assert.AreEqual(0, found.Count, project + ":\n" + string.Join("\n", found));
        }

        [TestMethod]
        [DynamicData(nameof(BoardAssembly.Projects), typeof(BoardAssembly))]
        public void BoardAssembly_HasNoNullStringAmongAttributeArguments(string project)
        {
            List<string> found = Scan().NullAttributeArguments(BoardAssembly.Of(project).Path);
            Assert.AreEqual(0, found.Count, project + ":\n" + string.Join("\n", found));
        }

        [TestMethod]
        public void Gates_PlantedAssembly_RefuseEachPitfallByAssemblyTypeAndMethod()
        {
            // The gates must be able to fail: an assembly compiled against nanoFramework's mscorlib
            // with Array.IndexOf(new string[3], "x"), [DataRow("a", null)] and their relatives.
            string path = Compile(Planted);
            try
            {
                List<string> searches = Scan().ArraySearches(path);
                string all = string.Join("\n", searches);
                foreach (string method in new[] { "Fresh", "Local", "Field", "Objects", "Parameter", "Returned", "Branches", "Mixed", "Caught" })
                {
                    Assert.AreEqual(1, searches.Count(s => s.StartsWith("Planted: Planted.Sample::" + method + " calls System.Array::", StringComparison.Ordinal)), method + " refused once:\n" + all);
                }

                Assert.AreEqual(9, searches.Count, "nothing else refused (Numbers searches value-type arrays only):\n" + all);
                StringAssert.Contains(searches.Single(s => s.Contains("::Fresh ")), "calls System.Array::IndexOf on a System.String[] (an array of a reference type)");
                StringAssert.Contains(searches.Single(s => s.Contains("::Field ")), "System.Array::IndexOf on a System.String[]");
                StringAssert.Contains(searches.Single(s => s.Contains("::Objects ")), "a System.Object[] (an array of a reference type)");
                StringAssert.Contains(searches.Single(s => s.Contains("::Parameter ")), "a value whose array type cannot be told (System.Array)");
                StringAssert.Contains(searches.Single(s => s.Contains("::Fresh ")), "Pigeon.Text.TextList.IndexOf");

                List<string> attributes = Scan().NullAttributeArguments(path);
                all = string.Join("\n", attributes);
                Assert.AreEqual(6, attributes.Count, all);
                StringAssert.Contains(all, "Planted: Planted.Sample::Row [DataRowAttribute] argument 1, element 2 is a null string: nanoFramework's metadata processor stops on it");
                StringAssert.Contains(all, "Planted: Planted.Sample::NullFixed [NoteAttribute] argument 1 is a null string");
                StringAssert.Contains(all, "Planted: Planted.Sample::NullNamed [NoteAttribute] Extra = is a null string");
                StringAssert.Contains(all, "Planted: Planted.Sample::NullType [NoteAttribute] Kind = is a null type");
                StringAssert.Contains(all, "Planted: Planted.Sample::NullArray [DataRowAttribute] argument 1 is a null array");
                StringAssert.Contains(all, "Planted: Planted.Sample::EnumThenNull [SizeAttribute] argument 2 is a null string"); // a byte-sized enum read right
            }
            finally
            {
                File.Delete(path);
            }
        }

        /// <summary>Compiles C# against nanoFramework's mscorlib, as the board projects are, to a temporary file.</summary>
        private static string Compile(string source)
        {
            CSharpCompilation compilation = CSharpCompilation.Create(
                "Planted",
                new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp10)) },
                new[] { MetadataReference.CreateFromFile(NanoMscorlib()) },
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
            string path = Path.Combine(Path.GetTempPath(), "pigeon-pitfalls-" + Guid.NewGuid().ToString("N") + ".dll");
            Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(path);
            Assert.IsTrue(result.Success, string.Join("\n", result.Diagnostics));
            return path;
        }
    }
}
