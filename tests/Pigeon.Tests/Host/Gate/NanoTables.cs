using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;

namespace Pigeon.Tests.Host.Gate
{
    /// <summary>
    /// Two figures nanoFramework's metadata processor produces when it turns a board assembly into a
    /// .pe, computed here from the compiled assembly's metadata (docs/device.md, "Board assemblies"):
    /// <list type="bullet">
    /// <item>the <b>string table</b>: every distinct string the .pe stores, each as UTF-8 plus a
    /// terminating zero; a string's ID is its offset, so the table's size is where the IDs end.
    /// Stored: the names of the assembly, the assemblies and types it references (with their
    /// namespaces), the members it references, its own types (with namespaces), methods and
    /// fields (not constants, which nanoCLR does not keep), every string literal, and the string
    /// arguments of attributes on types, methods and fields (not assembly-level ones). nanoCLR
    /// ships 860 common names (<c>c_CLR_StringTable_Data</c>) that the processor does not store;
    /// this list is not copied here, so the figure counts them too and errs high (by 1-6 % on
    /// Pigeon's assemblies).</item>
    /// <item>the <b>byte code</b>: the IL of every method body with each 4-byte metadata token
    /// (method, field, type, string) and each long branch offset written in 2 bytes, a switch's
    /// count in 1 byte and its targets in 2 each, plus, for a method with exception handlers, 12
    /// bytes per handler and a count byte. Method headers and local signatures live elsewhere in
    /// the .pe. This equals the processor's byte code table exactly.</item>
    /// </list>
    /// </summary>
    public sealed class NanoTables
    {
        private static readonly Dictionary<ushort, OperandType> s_operands = OpCodeOperands();

        private NanoTables()
        {
        }

        /// <summary>Bytes of the string table (distinct strings, UTF-8, zero-terminated).</summary>
        public int StringTableBytes { get; private set; }

        /// <summary>The distinct strings counted in <see cref="StringTableBytes"/>.</summary>
        public IReadOnlyCollection<string> Strings { get; private set; } = Array.Empty<string>();

        /// <summary>Bytes of nanoCLR byte code of all method bodies.</summary>
        public int ByteCodeBytes { get; private set; }

        /// <summary>Byte code per method ("Namespace.Type::Method"; overloads summed).</summary>
        public IReadOnlyDictionary<string, int> ByteCodeByMethod { get; private set; } = new Dictionary<string, int>();

        /// <summary>Measures an assembly file.</summary>
        public static NanoTables Measure(string path)
        {
            using PEReader pe = new PEReader(File.OpenRead(path));
            MetadataReader md = pe.GetMetadataReader();
            NanoTables tables = new NanoTables();
            HashSet<string> strings = CollectStrings(pe, md);
            tables.Strings = strings;
            tables.StringTableBytes = strings.Sum(s => Encoding.UTF8.GetByteCount(s) + 1);
            Dictionary<string, int> byMethod = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (TypeDefinitionHandle th in md.TypeDefinitions)
            {
                TypeDefinition type = md.GetTypeDefinition(th);
                string typeName = md.GetString(type.Namespace) + "." + md.GetString(type.Name);
                foreach (MethodDefinitionHandle mh in type.GetMethods())
                {
                    MethodDefinition method = md.GetMethodDefinition(mh);
                    if (method.RelativeVirtualAddress == 0)
                    {
                        continue;
                    }

                    int size = ByteCode(pe.GetMethodBody(method.RelativeVirtualAddress));
                    string key = typeName + "::" + md.GetString(method.Name);
                    byMethod[key] = byMethod.GetValueOrDefault(key) + size;
                    tables.ByteCodeBytes += size;
                }
            }

            tables.ByteCodeByMethod = byMethod;
            return tables;
        }

        private static HashSet<string> CollectStrings(PEReader pe, MetadataReader md)
        {
            HashSet<string> strings = new HashSet<string>(StringComparer.Ordinal) { string.Empty };
            strings.Add(md.GetString(md.GetAssemblyDefinition().Name));
            foreach (AssemblyReferenceHandle h in md.AssemblyReferences)
            {
                strings.Add(md.GetString(md.GetAssemblyReference(h).Name));
            }

            foreach (TypeReferenceHandle h in md.TypeReferences)
            {
                TypeReference t = md.GetTypeReference(h);
                strings.Add(md.GetString(t.Name));
                strings.Add(md.GetString(t.Namespace));
            }

            foreach (MemberReferenceHandle h in md.MemberReferences)
            {
                strings.Add(md.GetString(md.GetMemberReference(h).Name));
            }

            foreach (TypeDefinitionHandle h in md.TypeDefinitions)
            {
                TypeDefinition t = md.GetTypeDefinition(h);
                strings.Add(md.GetString(t.Name));
                strings.Add(md.GetString(t.Namespace));
                foreach (FieldDefinitionHandle f in t.GetFields())
                {
                    FieldDefinition field = md.GetFieldDefinition(f);
                    if ((field.Attributes & FieldAttributes.Literal) == 0)
                    {
                        strings.Add(md.GetString(field.Name));
                    }
                }

                foreach (MethodDefinitionHandle m in t.GetMethods())
                {
                    strings.Add(md.GetString(md.GetMethodDefinition(m).Name));
                }
            }

            foreach (CustomAttributeHandle h in md.CustomAttributes)
            {
                CustomAttribute attribute = md.GetCustomAttribute(h);
                if (attribute.Parent.Kind == HandleKind.AssemblyDefinition || attribute.Parent.Kind == HandleKind.ModuleDefinition)
                {
                    continue;
                }

                CustomAttributeValue<string> value = attribute.DecodeValue(new AttributeTypes());
                foreach (CustomAttributeTypedArgument<string> a in value.FixedArguments)
                {
                    AddStrings(strings, a.Value);
                }

                foreach (CustomAttributeNamedArgument<string> a in value.NamedArguments)
                {
                    AddStrings(strings, a.Value);
                }
            }

            foreach (MethodDefinitionHandle h in md.MethodDefinitions)
            {
                MethodDefinition method = md.GetMethodDefinition(h);
                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }

                BlobReader il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
                while (il.RemainingBytes > 0)
                {
                    OperandType operand = ReadOpCode(ref il, out _);
                    if (operand == OperandType.InlineString)
                    {
                        strings.Add(md.GetUserString(MetadataTokens.UserStringHandle(il.ReadInt32() & 0xFFFFFF)));
                    }
                    else
                    {
                        SkipOperand(ref il, operand);
                    }
                }
            }

            return strings;
        }

        private static void AddStrings(HashSet<string> strings, object value)
        {
            if (value is string text)
            {
                strings.Add(text);
            }
            else if (value is ImmutableArray<CustomAttributeTypedArgument<string>> items)
            {
                foreach (CustomAttributeTypedArgument<string> item in items)
                {
                    AddStrings(strings, item.Value);
                }
            }
        }

        private static int ByteCode(MethodBodyBlock body)
        {
            int size = 0;
            BlobReader il = body.GetILReader();
            while (il.RemainingBytes > 0)
            {
                OperandType operand = ReadOpCode(ref il, out int opcodeBytes);
                size += opcodeBytes;
                switch (operand)
                {
                    case OperandType.InlineSwitch:
                        int targets = il.ReadInt32();
                        il.Offset += 4 * targets;
                        size += 1 + (2 * targets);
                        break;
                    case OperandType.InlineBrTarget:
                    case OperandType.InlineField:
                    case OperandType.InlineMethod:
                    case OperandType.InlineType:
                    case OperandType.InlineString:
                        il.ReadInt32();
                        size += 2;
                        break;
                    case OperandType.InlineSig:
                        il.ReadInt32(); // calli: the processor writes no operand
                        break;
                    default:
                        size += SkipOperand(ref il, operand);
                        break;
                }
            }

            if (body.ExceptionRegions.Length > 0)
            {
                size += (12 * body.ExceptionRegions.Length) + 1;
            }

            return size;
        }

        private static OperandType ReadOpCode(ref BlobReader il, out int bytes)
        {
            ushort value = il.ReadByte();
            bytes = 1;
            if (value == 0xFE)
            {
                value = (ushort)(0xFE00 | il.ReadByte());
                bytes = 2;
            }

            if (!s_operands.TryGetValue(value, out OperandType operand))
            {
                throw new InvalidDataException("unknown IL opcode 0x" + value.ToString("X"));
            }

            return operand;
        }

        /// <summary>Skips an operand that the conversion keeps as it is; returns its size.</summary>
        private static int SkipOperand(ref BlobReader il, OperandType operand)
        {
            if (operand == OperandType.InlineSwitch)
            {
                int targets = il.ReadInt32();
                il.Offset += 4 * targets;
                return 4 + (4 * targets);
            }

            int size = operand switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                _ => 4,
            };
            il.Offset += size;
            return size;
        }

        private static Dictionary<ushort, OperandType> OpCodeOperands()
        {
            Dictionary<ushort, OperandType> map = new Dictionary<ushort, OperandType>();
            foreach (FieldInfo f in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                OpCode op = (OpCode)f.GetValue(null)!;
                map[(ushort)op.Value] = op.OperandType;
            }

            return map;
        }

        /// <summary>Decodes attribute arguments far enough to find their strings.</summary>
        private sealed class AttributeTypes : ICustomAttributeTypeProvider<string>
        {
            public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
            public string GetSystemType() => "System.Type";
            public string GetSZArrayType(string elementType) => elementType + "[]";
            public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeDefinition(handle).Name);
            public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeReference(handle).Name);
            public string GetTypeFromSerializedName(string name) => name;
            public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32; // Pigeon's attributes take no enums of other sizes
            public bool IsSystemType(string type) => type == "System.Type";
        }
    }
}
