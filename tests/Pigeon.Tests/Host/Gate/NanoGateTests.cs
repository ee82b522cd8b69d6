using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Pigeon.Tests.Host.Gate
{
    /// <summary>
    /// The nanoFramework gate, over every board assembly (<see cref="BoardAssembly"/>: each .nfproj
    /// compiled against nanoFramework's real mscorlib with every test build): no generics, which
    /// nanoCLR 1.x cannot run; no attribute types C# 11+ emits; references only to mscorlib 1.17.11,
    /// the other board assemblies and the nanoFramework libraries the project pins; the core
    /// library (Pigeon.Core) to mscorlib alone, Reach to it, the portal to both.
    /// </summary>
    [TestClass]
    public class NanoGateTests
    {
        private static MetadataReader Open(string project, out PEReader pe)
        {
            pe = new PEReader(File.OpenRead(BoardAssembly.Of(project).Path));
            return pe.GetMetadataReader();
        }

        /// <summary>Names a board assembly may reference: mscorlib, the board assemblies, the pinned nanoFramework libraries.</summary>
        private static HashSet<string> AllowedReferences()
        {
            HashSet<string> names = new HashSet<string>(StringComparer.Ordinal) { "mscorlib" };
            foreach (BoardAssembly b in BoardAssembly.All())
            {
                names.Add(b.Name);
            }

            foreach (string dir in Directory.GetDirectories(Path.Combine(Pigeon.Tests.Host.Hardware.BoardProfileTests.RepoRoot(), "firmware", "NanoReferences")))
            {
                if (File.Exists(Path.Combine(dir, "AssemblyInfo.cs")))
                {
                    names.Add(Path.GetFileName(dir));
                }
            }

            return names;
        }

        [TestMethod]
        [DynamicData(nameof(BoardAssembly.Projects), typeof(BoardAssembly))]
        public void BoardAssembly_References_MscorlibBoardAssembliesAndPinnedLibrariesOnly(string project)
        {
            MetadataReader md = Open(project, out PEReader pe);
            using (pe)
            {
                List<string> refs = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToList();
                HashSet<string> allowed = AllowedReferences();
                string[] foreign = refs.Where(r => !allowed.Contains(r)).ToArray();
                Assert.AreEqual(0, foreign.Length, project + " references " + string.Join(", ", foreign) + ": not a board assembly nor a pinned nanoFramework library");
                AssemblyReference mscorlib = md.AssemblyReferences.Select(h => md.GetAssemblyReference(h)).Single(r => md.GetString(r.Name) == "mscorlib");
                Assert.AreEqual(new Version(1, 17, 11, 0), mscorlib.Version, project + ": built against nanoFramework.CoreLibrary 1.17.11");
                if (project == "firmware/Pigeon.Core.Board/Pigeon.Core.Board.nfproj")
                {
                    CollectionAssert.AreEqual(new[] { "mscorlib" }, refs, "the core library references only mscorlib: " + string.Join(", ", refs));
                }

                if (project == "firmware/Pigeon.Reach.Board/Pigeon.Reach.Board.nfproj")
                {
                    CollectionAssert.AreEquivalent(new[] { "mscorlib", "Pigeon.Core" }, refs, "Reach references mscorlib and the core library only: " + string.Join(", ", refs));
                }

                if (project == "firmware/Pigeon.Portal.Board/Pigeon.Portal.Board.nfproj")
                {
                    CollectionAssert.AreEquivalent(new[] { "mscorlib", "Pigeon.Core", "Pigeon.Reach" }, refs, "the portal references mscorlib, the core library and Reach only: " + string.Join(", ", refs));
                }
            }
        }

        [TestMethod]
        [DynamicData(nameof(BoardAssembly.Projects), typeof(BoardAssembly))]
        public void BoardAssembly_HasNoGenericDefinitionsOrInstantiations(string project)
        {
            MetadataReader md = Open(project, out PEReader pe);
            using (pe)
            {
                Assert.AreEqual(0, md.GetTableRowCount(TableIndex.GenericParam), project + ": GenericParam rows: a generic type or method is defined");
                Assert.AreEqual(0, md.GetTableRowCount(TableIndex.MethodSpec), project + ": MethodSpec rows: a generic method is called");
                Assert.AreEqual(0, md.GetTableRowCount(TableIndex.GenericParamConstraint), project + ": GenericParamConstraint rows");
                List<string> found = FindGenerics(md, pe);
                Assert.AreEqual(0, found.Count, project + ": generics: " + string.Join("; ", found));
            }
        }

        [TestMethod]
        [DynamicData(nameof(BoardAssembly.Projects), typeof(BoardAssembly))]
        public void BoardAssembly_DefinesNoCompilerEmbeddedAttributes(string project)
        {
            // C# 11+ makes Roslyn emit these; they shift nanoFramework's native tables (nanoframework.md).
            MetadataReader md = Open(project, out PEReader pe);
            using (pe)
            {
                string[] names = md.TypeDefinitions.Select(h => md.GetString(md.GetTypeDefinition(h).Name)).ToArray();
                Assert.IsFalse(names.Contains("EmbeddedAttribute"), project + ": EmbeddedAttribute emitted: LangVersion above 10?");
                Assert.IsFalse(names.Contains("RefSafetyRulesAttribute"), project + ": RefSafetyRulesAttribute emitted: LangVersion above 10?");
                Assert.IsTrue(names.Length > 10, project + " holds code");
            }
        }

        [TestMethod]
        public void BoardAssemblies_AreTheCoreTheAppAndTheTests()
        {
            string[] names = BoardAssembly.All().Select(b => b.Name).Distinct().OrderBy(n => n).ToArray();
            CollectionAssert.IsSubsetOf(new[] { "NFUnitTest", "Pigeon.Core", "Pigeon.Device", "Pigeon.Reach" }, names, string.Join(", ", names));
            string core = BoardAssembly.Of("firmware/Pigeon.Core.Board/Pigeon.Core.Board.nfproj").Path;
            using PEReader pe = new PEReader(File.OpenRead(core));
            MetadataReader md = pe.GetMetadataReader();
            Assert.IsTrue(md.TypeDefinitions.Any(h => md.GetString(md.GetTypeDefinition(h).Name) == "ClientHelloReader"), "the core library holds the core");
        }

        /// <summary>Every generic use in signatures, type specs, references, locals and fields.</summary>
        internal static List<string> FindGenerics(MetadataReader md, PEReader pe)
        {
            List<string> found = new List<string>();
            GenericFinder finder = new GenericFinder();
            for (int row = 1; row <= md.GetTableRowCount(TableIndex.TypeSpec); row++)
            {
                TypeSpecificationHandle h = MetadataTokens.TypeSpecificationHandle(row);
                finder.Found = false;
                string t = md.GetTypeSpecification(h).DecodeSignature(finder, null);
                if (finder.Found)
                {
                    found.Add("TypeSpec " + t);
                }
            }

            foreach (TypeReferenceHandle h in md.TypeReferences)
            {
                string name = md.GetString(md.GetTypeReference(h).Name);
                if (name.Contains('`'))
                {
                    found.Add("TypeRef " + name);
                }
            }

            foreach (MemberReferenceHandle h in md.MemberReferences)
            {
                MemberReference m = md.GetMemberReference(h);
                finder.Found = false;
                if (m.GetKind() == MemberReferenceKind.Method)
                {
                    m.DecodeMethodSignature(finder, null);
                }
                else
                {
                    m.DecodeFieldSignature(finder, null);
                }

                if (finder.Found)
                {
                    found.Add("MemberRef " + md.GetString(m.Name));
                }
            }

            foreach (MethodDefinitionHandle h in md.MethodDefinitions)
            {
                MethodDefinition m = md.GetMethodDefinition(h);
                finder.Found = false;
                m.DecodeSignature(finder, null);
                int rva = m.RelativeVirtualAddress;
                if (rva != 0)
                {
                    MethodBodyBlock body = pe.GetMethodBody(rva);
                    if (!body.LocalSignature.IsNil)
                    {
                        md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(finder, null);
                    }
                }

                if (finder.Found)
                {
                    found.Add("Method " + md.GetString(md.GetTypeDefinition(m.GetDeclaringType()).Name) + "." + md.GetString(m.Name));
                }
            }

            foreach (FieldDefinitionHandle h in md.FieldDefinitions)
            {
                FieldDefinition f = md.GetFieldDefinition(h);
                finder.Found = false;
                f.DecodeSignature(finder, null);
                if (finder.Found)
                {
                    found.Add("Field " + md.GetString(f.Name));
                }
            }

            return found;
        }

        [TestMethod]
        public void GenericFinder_FlagsAGenericAssembly()
        {
            // The scan itself must be able to fail: run it over an assembly known to use generics.
            using PEReader pe = new PEReader(File.OpenRead(typeof(NanoGateTests).Assembly.Location));
            MetadataReader md = pe.GetMetadataReader();
            List<string> found = FindGenerics(md, pe);
            Assert.IsTrue(found.Any(f => f.StartsWith("TypeSpec ", StringComparison.Ordinal)), "this test assembly uses List<T>; the scan must see it");
            Assert.IsTrue(found.Any(f => f.StartsWith("Method ", StringComparison.Ordinal)), "and has methods with generic locals or signatures");
        }

        /// <summary>Decodes signatures to strings and notes any generic use.</summary>
        private sealed class GenericFinder : ISignatureTypeProvider<string, object>
        {
            public bool Found;

            public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";
            public string GetByReferenceType(string elementType) => elementType + "&";
            public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
            public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
            {
                Found = true;
                return genericType + "<" + string.Join(",", typeArguments) + ">";
            }

            public string GetGenericMethodParameter(object genericContext, int index)
            {
                Found = true;
                return "!!" + index;
            }

            public string GetGenericTypeParameter(object genericContext, int index)
            {
                Found = true;
                return "!" + index;
            }

            public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
            public string GetPinnedType(string elementType) => elementType;
            public string GetPointerType(string elementType) => elementType + "*";
            public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
            public string GetSZArrayType(string elementType) => elementType + "[]";
            public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeDefinition(handle).Name);
            public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
            {
                string name = reader.GetString(reader.GetTypeReference(handle).Name);
                if (name.Contains('`'))
                {
                    Found = true;
                }

                return name;
            }

            public string GetTypeFromSpecification(MetadataReader reader, object genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
                => reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
        }
    }
}
