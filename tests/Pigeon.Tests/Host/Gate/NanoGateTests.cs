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
    /// The nanoFramework gate: each board library's sources compiled against nanoFramework's real
    /// mscorlib (firmware/Pigeon.Core.Nano and firmware/Pigeon.Portal.Nano, built with every test
    /// run) must reference nothing but mscorlib (and the portal, the core) and contain no generics,
    /// which nanoCLR 1.x cannot run.
    /// </summary>
    [TestClass]
    public class NanoGateTests
    {
        /// <summary>The gate builds' metadata keys (Pigeon.Tests.csproj), one per board library.</summary>
        internal const string Core = "NanoCoreAssembly";

        /// <summary>See <see cref="Core"/>.</summary>
        internal const string Portal = "NanoPortalAssembly";

        internal static string NanoAssemblyPath(string key)
        {
            string path = typeof(NanoGateTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .First(a => a.Key == key).Value;
            return Path.GetFullPath(path);
        }

        private static MetadataReader Open(string key, out PEReader pe)
        {
            string path = NanoAssemblyPath(key);
            Assert.IsTrue(File.Exists(path), "the nano build is missing: " + path);
            pe = new PEReader(File.OpenRead(path));
            return pe.GetMetadataReader();
        }

        [TestMethod]
        [DataRow(Core, "mscorlib")]
        [DataRow(Portal, "mscorlib,Pigeon.Core")]
        public void NanoBuild_References_OnlyMscorlibAndTheCore(string key, string expected)
        {
            MetadataReader md = Open(key, out PEReader pe);
            using (pe)
            {
                List<string> refs = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).OrderBy(n => n, StringComparer.Ordinal).ToList();
                CollectionAssert.AreEqual(expected.Split(',').OrderBy(n => n, StringComparer.Ordinal).ToList(), refs, "references: " + string.Join(", ", refs));
                AssemblyReference mscorlib = md.AssemblyReferences.Select(h => md.GetAssemblyReference(h)).First(r => md.GetString(r.Name) == "mscorlib");
                Assert.AreEqual(new Version(1, 17, 11, 0), mscorlib.Version, "built against nanoFramework.CoreLibrary 1.17.11");
            }
        }

        [TestMethod]
        [DataRow(Core)]
        [DataRow(Portal)]
        public void NanoBuild_HasNoGenericDefinitionsOrInstantiations(string key)
        {
            MetadataReader md = Open(key, out PEReader pe);
            using (pe)
            {
                Assert.AreEqual(0, md.GetTableRowCount(TableIndex.GenericParam), "GenericParam rows: a generic type or method is defined");
                Assert.AreEqual(0, md.GetTableRowCount(TableIndex.MethodSpec), "MethodSpec rows: a generic method is called");
                Assert.AreEqual(0, md.GetTableRowCount(TableIndex.GenericParamConstraint), "GenericParamConstraint rows");

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

                Assert.AreEqual(0, found.Count, "generics in the nano build: " + string.Join("; ", found));
            }
        }

        [TestMethod]
        [DataRow(Core, "ClientHelloReader")]
        [DataRow(Portal, "PortalApi")]
        public void NanoBuild_DefinesNoCompilerEmbeddedAttributes(string key, string oneOfItsTypes)
        {
            // C# 11+ makes Roslyn emit these; they shift nanoFramework's native tables (nanoframework.md).
            MetadataReader md = Open(key, out PEReader pe);
            using (pe)
            {
                string[] names = md.TypeDefinitions.Select(h => md.GetString(md.GetTypeDefinition(h).Name)).ToArray();
                Assert.IsFalse(names.Contains("EmbeddedAttribute"), "EmbeddedAttribute emitted: LangVersion above 10?");
                Assert.IsFalse(names.Contains("RefSafetyRulesAttribute"), "RefSafetyRulesAttribute emitted: LangVersion above 10?");
                Assert.IsTrue(names.Contains(oneOfItsTypes), "the nano build holds its sources");
            }
        }

        [TestMethod]
        public void GenericFinder_FlagsAGenericAssembly()
        {
            // The scan itself must be able to fail: run it over an assembly known to use generics.
            using PEReader pe = new PEReader(File.OpenRead(typeof(NanoGateTests).Assembly.Location));
            MetadataReader md = pe.GetMetadataReader();
            GenericFinder finder = new GenericFinder();
            bool any = false;
            for (int row = 1; row <= md.GetTableRowCount(TableIndex.TypeSpec); row++)
            {
                finder.Found = false;
                md.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(row)).DecodeSignature(finder, null);
                any |= finder.Found;
            }

            Assert.IsTrue(any || md.GetTableRowCount(TableIndex.MethodSpec) > 0, "this test assembly uses List<T>; the scan must see it");
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
