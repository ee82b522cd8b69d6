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

namespace Pigeon.Tests.Host.Gate
{
    /// <summary>
    /// Finds, in a compiled board assembly, code that compiles and runs on .NET but that nanoCLR or
    /// nanoFramework's metadata processor cannot take (docs/device.md, "Pitfalls the gates know",
    /// where each one is written down with its upstream cause):
    /// <list type="bullet">
    /// <item><see cref="ArraySearches"/>: <c>System.Array::IndexOf</c> / <c>LastIndexOf</c> over an
    /// array of a reference type. The array argument's type is followed through the IL (what pushed
    /// it: <c>newarr</c>, a local, an argument, a field, a call's return, a cast), merged where
    /// branches meet; when it cannot be told, the call is refused too.</item>
    /// <item><see cref="NullAttributeArguments"/>: a null string (or type, or array) among a custom
    /// attribute's fixed or named arguments, <c>params</c> elements included.</item>
    /// </list>
    /// Each finding names the assembly, the type and the method (or member) it is in.
    /// </summary>
    public sealed class NanoPitfalls
    {
        private static readonly Dictionary<ushort, OpCode> s_opcodes = OpCodeTable();

        private readonly List<Loaded> _assemblies = new List<Loaded>();
        private readonly Dictionary<string, Loaded> _byName = new Dictionary<string, Loaded>(StringComparer.Ordinal);

        /// <summary>A scanner that resolves the types of other assemblies from <paramref name="references"/> (mscorlib, the other board assemblies).</summary>
        public NanoPitfalls(IEnumerable<string> references)
        {
            foreach (string path in references)
            {
                Loaded l = Loaded.Open(path);
                _assemblies.Add(l);
                _byName.TryAdd(l.Name, l);
            }
        }

        /// <summary>Every call of Array.IndexOf/LastIndexOf whose array is not known to hold a value type.</summary>
        public List<string> ArraySearches(string path)
        {
            Loaded a = Loaded.Open(path);
            List<string> found = new List<string>();
            foreach (TypeDefinitionHandle th in a.Md.TypeDefinitions)
            {
                foreach (MethodDefinitionHandle mh in a.Md.GetTypeDefinition(th).GetMethods())
                {
                    MethodDefinition method = a.Md.GetMethodDefinition(mh);
                    if (method.RelativeVirtualAddress != 0)
                    {
                        new MethodScan(this, a, mh).Run(found);
                    }
                }
            }

            return found;
        }

        /// <summary>Every custom attribute with a null string, type or array among its arguments.</summary>
        public List<string> NullAttributeArguments(string path)
        {
            Loaded a = Loaded.Open(path);
            MetadataReader md = a.Md;
            List<string> found = new List<string>();
            AttributeTypes types = new AttributeTypes(this, a);
            foreach (CustomAttributeHandle h in md.CustomAttributes)
            {
                CustomAttribute attribute = md.GetCustomAttribute(h);
                string where = a.Name + ": " + a.Describe(attribute.Parent) + " [" + AttributeName(md, attribute) + "]";
                CustomAttributeValue<NanoType> value;
                try
                {
                    value = attribute.DecodeValue(types);
                }
                catch (Exception e) when (e is BadImageFormatException || e is InvalidOperationException || e is ArgumentException)
                {
                    found.Add(where + ": its arguments cannot be read here (" + e.Message + "), so a null string cannot be ruled out");
                    continue;
                }

                for (int i = 0; i < value.FixedArguments.Length; i++)
                {
                    FindNulls(value.FixedArguments[i].Type, value.FixedArguments[i].Value, where + " argument " + (i + 1), found);
                }

                foreach (CustomAttributeNamedArgument<NanoType> named in value.NamedArguments)
                {
                    FindNulls(named.Type, named.Value, where + " " + named.Name + " =", found);
                }
            }

            return found;
        }

        private static void FindNulls(NanoType type, object value, string where, List<string> found)
        {
            if (value is ImmutableArray<CustomAttributeTypedArgument<NanoType>> items)
            {
                for (int i = 0; i < items.Length; i++)
                {
                    FindNulls(items[i].Type, items[i].Value, where + ", element " + (i + 1), found);
                }
            }
            else if (value == null)
            {
                string what = type.IsArray ? "a null array" : type.Name == "System.Type" ? "a null type" : "a null string";
                if (type.IsArray || type.Name == "System.String" || type.Name == "System.Type" || type.Name == "System.Object")
                {
                    found.Add(where + " is " + what + ": nanoFramework's metadata processor stops on it and the assembly does not convert"
                        + " (use \"\" or another value the code can tell apart; docs/device.md, \"Pitfalls the gates know\")");
                }
            }
        }

        private static string AttributeName(MetadataReader md, CustomAttribute attribute)
        {
            EntityHandle parent = attribute.Constructor.Kind == HandleKind.MemberReference
                ? md.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent
                : md.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType();
            return parent.Kind switch
            {
                HandleKind.TypeReference => md.GetString(md.GetTypeReference((TypeReferenceHandle)parent).Name),
                HandleKind.TypeDefinition => md.GetString(md.GetTypeDefinition((TypeDefinitionHandle)parent).Name),
                _ => "?",
            };
        }

        /// <summary>True, false, or null when unknown: whether <paramref name="type"/> is a value type.</summary>
        private bool? IsValueType(NanoType type)
        {
            switch (type.Kind)
            {
                case NanoKind.Primitive:
                case NanoKind.ValueType:
                case NanoKind.ByRef:
                    return true;
                case NanoKind.Class:
                case NanoKind.Array:
                case NanoKind.Null:
                    return false;
                case NanoKind.Named:
                    TypeDefinition? def = Resolve(type, out _);
                    if (def == null)
                    {
                        return null;
                    }

                    string baseName = type.Resolved!.BaseName(def.Value);
                    return (baseName == "System.ValueType" || baseName == "System.Enum") && type.Name != "System.Enum";
                default:
                    return null;
            }
        }

        /// <summary>The definition of a named type in the scanned assembly or the references, or null.</summary>
        private TypeDefinition? Resolve(NanoType type, out Loaded where)
        {
            where = null;
            if (type.Home != null && type.Home.TryFind(type.Name, out TypeDefinition local))
            {
                where = type.Home;
                type.Resolved = where;
                return local;
            }

            IEnumerable<Loaded> candidates = type.Scope != null && _byName.TryGetValue(type.Scope, out Loaded named)
                ? new[] { named }
                : _assemblies;
            foreach (Loaded l in candidates)
            {
                if (l.TryFind(type.Name, out TypeDefinition def))
                {
                    where = l;
                    type.Resolved = l;
                    return def;
                }
            }

            return null;
        }

        private static Dictionary<ushort, OpCode> OpCodeTable()
        {
            Dictionary<ushort, OpCode> map = new Dictionary<ushort, OpCode>();
            foreach (FieldInfo f in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                OpCode op = (OpCode)f.GetValue(null)!;
                map[(ushort)op.Value] = op;
            }

            return map;
        }

        private enum NanoKind
        {
            Unknown,
            Primitive,
            Class,
            ValueType,
            Named,
            Array,
            ByRef,
            Null,
        }

        /// <summary>A type as the scan sees it: enough to tell arrays, their elements and value types apart.</summary>
        private sealed class NanoType
        {
            public static readonly NanoType Unknown = new NanoType(NanoKind.Unknown, "?");
            public static readonly NanoType Null = new NanoType(NanoKind.Null, "null");
            public static readonly NanoType Value = new NanoType(NanoKind.Primitive, "value");

            public NanoType(NanoKind kind, string name)
            {
                Kind = kind;
                Name = name;
            }

            public NanoKind Kind { get; }

            public string Name { get; }

            public NanoType Element { get; init; }

            /// <summary>The assembly a type reference points to (null: search all).</summary>
            public string Scope { get; init; }

            /// <summary>The assembly whose metadata named it (searched first).</summary>
            public Loaded Home { get; init; }

            public Loaded Resolved { get; set; }

            public bool IsArray => Kind == NanoKind.Array;

            public static NanoType ArrayOf(NanoType element) => new NanoType(NanoKind.Array, element.Name + "[]") { Element = element };

            public override string ToString() => Name;

            public bool SameAs(NanoType other) => ReferenceEquals(this, other) || (Kind == other.Kind && Name == other.Name && Kind != NanoKind.Unknown);
        }

        /// <summary>One assembly's metadata, kept in memory for the process.</summary>
        private sealed class Loaded
        {
            private static readonly Dictionary<string, Loaded> s_cache = new Dictionary<string, Loaded>(StringComparer.Ordinal);
            private readonly Dictionary<string, TypeDefinitionHandle> _types = new Dictionary<string, TypeDefinitionHandle>(StringComparer.Ordinal);

            private Loaded(string path)
            {
                Pe = new PEReader(ImmutableArray.Create(File.ReadAllBytes(path)));
                Md = Pe.GetMetadataReader();
                Name = Md.GetString(Md.GetAssemblyDefinition().Name);
                foreach (TypeDefinitionHandle h in Md.TypeDefinitions)
                {
                    _types[FullName(h)] = h;
                }
            }

            public PEReader Pe { get; }

            public MetadataReader Md { get; }

            public string Name { get; }

            public static Loaded Open(string path)
            {
                string full = System.IO.Path.GetFullPath(path);
                lock (s_cache)
                {
                    DateTime stamp = File.GetLastWriteTimeUtc(full);
                    string key = full + "|" + stamp.Ticks;
                    if (!s_cache.TryGetValue(key, out Loaded l))
                    {
                        l = new Loaded(full);
                        s_cache[key] = l;
                    }

                    return l;
                }
            }

            public bool TryFind(string fullName, out TypeDefinition def)
            {
                if (_types.TryGetValue(fullName, out TypeDefinitionHandle h))
                {
                    def = Md.GetTypeDefinition(h);
                    return true;
                }

                def = default;
                return false;
            }

            public string FullName(TypeDefinitionHandle h)
            {
                TypeDefinition t = Md.GetTypeDefinition(h);
                if (t.IsNested)
                {
                    return FullName(t.GetDeclaringType()) + "/" + Md.GetString(t.Name);
                }

                string ns = Md.GetString(t.Namespace);
                return ns.Length == 0 ? Md.GetString(t.Name) : ns + "." + Md.GetString(t.Name);
            }

            public string FullName(TypeReferenceHandle h)
            {
                TypeReference t = Md.GetTypeReference(h);
                if (t.ResolutionScope.Kind == HandleKind.TypeReference)
                {
                    return FullName((TypeReferenceHandle)t.ResolutionScope) + "/" + Md.GetString(t.Name);
                }

                string ns = Md.GetString(t.Namespace);
                return ns.Length == 0 ? Md.GetString(t.Name) : ns + "." + Md.GetString(t.Name);
            }

            /// <summary>The assembly a type reference points to, or null.</summary>
            public string ScopeOf(TypeReferenceHandle h)
            {
                EntityHandle scope = Md.GetTypeReference(h).ResolutionScope;
                while (scope.Kind == HandleKind.TypeReference)
                {
                    scope = Md.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
                }

                return scope.Kind == HandleKind.AssemblyReference ? Md.GetString(Md.GetAssemblyReference((AssemblyReferenceHandle)scope).Name) : null;
            }

            public string BaseName(TypeDefinition def)
            {
                EntityHandle b = def.BaseType;
                return b.Kind switch
                {
                    HandleKind.TypeReference => FullName((TypeReferenceHandle)b),
                    HandleKind.TypeDefinition => FullName((TypeDefinitionHandle)b),
                    _ => string.Empty,
                };
            }

            /// <summary>"Namespace.Type::Method", "Namespace.Type", "Namespace.Type.Field" or "(assembly)".</summary>
            public string Describe(EntityHandle h)
            {
                switch (h.Kind)
                {
                    case HandleKind.MethodDefinition:
                        MethodDefinition m = Md.GetMethodDefinition((MethodDefinitionHandle)h);
                        return FullName(m.GetDeclaringType()) + "::" + Md.GetString(m.Name);
                    case HandleKind.TypeDefinition:
                        return FullName((TypeDefinitionHandle)h);
                    case HandleKind.FieldDefinition:
                        FieldDefinition f = Md.GetFieldDefinition((FieldDefinitionHandle)h);
                        return FullName(f.GetDeclaringType()) + "." + Md.GetString(f.Name);
                    case HandleKind.PropertyDefinition:
                        return "property " + Md.GetString(Md.GetPropertyDefinition((PropertyDefinitionHandle)h).Name);
                    case HandleKind.Parameter:
                        return "parameter " + Md.GetString(Md.GetParameter((ParameterHandle)h).Name);
                    case HandleKind.AssemblyDefinition:
                    case HandleKind.ModuleDefinition:
                        return "(assembly)";
                    default:
                        return h.Kind.ToString();
                }
            }
        }

        /// <summary>Signature types as <see cref="NanoType"/>s.</summary>
        private sealed class SignatureTypes : ISignatureTypeProvider<NanoType, object>
        {
            private readonly Loaded _home;

            public SignatureTypes(Loaded home)
            {
                _home = home;
            }

            public NanoType GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
            {
                PrimitiveTypeCode.String => new NanoType(NanoKind.Class, "System.String"),
                PrimitiveTypeCode.Object => new NanoType(NanoKind.Class, "System.Object"),
                PrimitiveTypeCode.Void => new NanoType(NanoKind.Primitive, "System.Void"),
                _ => new NanoType(NanoKind.Primitive, "System." + typeCode),
            };

            public NanoType GetSZArrayType(NanoType elementType) => NanoType.ArrayOf(elementType);

            public NanoType GetArrayType(NanoType elementType, ArrayShape shape) => NanoType.ArrayOf(elementType);

            public NanoType GetByReferenceType(NanoType elementType) => new NanoType(NanoKind.ByRef, elementType.Name + "&");

            public NanoType GetPointerType(NanoType elementType) => new NanoType(NanoKind.ByRef, elementType.Name + "*");

            public NanoType GetPinnedType(NanoType elementType) => elementType;

            public NanoType GetModifiedType(NanoType modifier, NanoType unmodifiedType, bool isRequired) => unmodifiedType;

            public NanoType GetFunctionPointerType(MethodSignature<NanoType> signature) => NanoType.Value;

            public NanoType GetGenericInstantiation(NanoType genericType, ImmutableArray<NanoType> typeArguments) => NanoType.Unknown;

            public NanoType GetGenericMethodParameter(object genericContext, int index) => NanoType.Unknown;

            public NanoType GetGenericTypeParameter(object genericContext, int index) => NanoType.Unknown;

            public NanoType GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
                => Named(_home.FullName(handle), rawTypeKind, null);

            public NanoType GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
                => Named(_home.FullName(handle), rawTypeKind, _home.ScopeOf(handle));

            public NanoType GetTypeFromSpecification(MetadataReader reader, object genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
                => reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

            /// <summary>The type a metadata token names (newarr, castclass, box ... operands).</summary>
            public NanoType FromToken(EntityHandle h) => h.Kind switch
            {
                HandleKind.TypeDefinition => GetTypeFromDefinition(_home.Md, (TypeDefinitionHandle)h, 0),
                HandleKind.TypeReference => GetTypeFromReference(_home.Md, (TypeReferenceHandle)h, 0),
                HandleKind.TypeSpecification => GetTypeFromSpecification(_home.Md, null, (TypeSpecificationHandle)h, 0),
                _ => NanoType.Unknown,
            };

            private NanoType Named(string name, byte rawTypeKind, string scope)
            {
                // In a signature the kind is written (class or value type); a bare token (newarr's)
                // leaves it open, and the definition is looked up when it matters.
                NanoKind kind = rawTypeKind == (byte)SignatureTypeKind.ValueType ? NanoKind.ValueType
                    : rawTypeKind == (byte)SignatureTypeKind.Class ? NanoKind.Class
                    : NanoKind.Named;
                return new NanoType(kind, name) { Scope = scope, Home = _home };
            }
        }

        /// <summary>Attribute argument types, with enums' sizes looked up in the references.</summary>
        private sealed class AttributeTypes : ICustomAttributeTypeProvider<NanoType>
        {
            private readonly NanoPitfalls _scan;
            private readonly SignatureTypes _types;
            private readonly Loaded _home;

            public AttributeTypes(NanoPitfalls scan, Loaded home)
            {
                _scan = scan;
                _home = home;
                _types = new SignatureTypes(home);
            }

            public NanoType GetPrimitiveType(PrimitiveTypeCode typeCode) => _types.GetPrimitiveType(typeCode);

            public NanoType GetSystemType() => new NanoType(NanoKind.Class, "System.Type");

            public NanoType GetSZArrayType(NanoType elementType) => NanoType.ArrayOf(elementType);

            public NanoType GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => _types.GetTypeFromDefinition(reader, handle, rawTypeKind);

            public NanoType GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => _types.GetTypeFromReference(reader, handle, rawTypeKind);

            public NanoType GetTypeFromSerializedName(string name)
            {
                if (name == null)
                {
                    return null; // a null System.Type argument: reported by FindNulls
                }

                int comma = name.IndexOf(',');
                string type = (comma < 0 ? name : name.Substring(0, comma)).Replace('+', '/').Trim();
                string scope = comma < 0 ? null : name.Substring(comma + 1).Split(',')[0].Trim();
                return new NanoType(NanoKind.Named, type) { Scope = scope, Home = _home };
            }

            public PrimitiveTypeCode GetUnderlyingEnumType(NanoType type)
            {
                TypeDefinition? def = _scan.Resolve(type, out Loaded where);
                if (def == null || where == null)
                {
                    throw new InvalidOperationException("the enum " + type.Name + " is not among the references");
                }

                foreach (FieldDefinitionHandle fh in def.Value.GetFields())
                {
                    FieldDefinition f = where.Md.GetFieldDefinition(fh);
                    if ((f.Attributes & FieldAttributes.Static) == 0)
                    {
                        NanoType t = f.DecodeSignature(new SignatureTypes(where), null);
                        return Enum.Parse<PrimitiveTypeCode>(t.Name.Substring("System.".Length));
                    }
                }

                throw new InvalidOperationException(type.Name + " has no value field");
            }

            public bool IsSystemType(NanoType type) => type.Name == "System.Type";
        }

        /// <summary>
        /// Follows one method's evaluation stack, instruction by instruction, with the type of what
        /// each slot holds; where branches meet, a slot two paths fill differently becomes unknown.
        /// </summary>
        private sealed class MethodScan
        {
            private readonly NanoPitfalls _scan;
            private readonly Loaded _a;
            private readonly MethodDefinition _method;
            private readonly string _name;
            private readonly SignatureTypes _types;
            private readonly MethodSignature<NanoType> _signature;
            private readonly ImmutableArray<NanoType> _locals;
            private readonly MethodBodyBlock _body;
            private readonly SortedDictionary<int, Instruction> _code = new SortedDictionary<int, Instruction>();
            private readonly Dictionary<int, NanoType[]> _states = new Dictionary<int, NanoType[]>();

            public MethodScan(NanoPitfalls scan, Loaded a, MethodDefinitionHandle h)
            {
                _scan = scan;
                _a = a;
                _method = a.Md.GetMethodDefinition(h);
                _name = a.Name + ": " + a.Describe(h);
                _types = new SignatureTypes(a);
                _signature = _method.DecodeSignature(_types, null);
                _body = a.Pe.GetMethodBody(_method.RelativeVirtualAddress);
                _locals = _body.LocalSignature.IsNil
                    ? ImmutableArray<NanoType>.Empty
                    : a.Md.GetStandaloneSignature(_body.LocalSignature).DecodeLocalSignature(_types, null);
            }

            public void Run(List<string> found)
            {
                Decode();
                List<Instruction> searches = _code.Values.Where(IsArraySearch).ToList();
                if (searches.Count == 0)
                {
                    return;
                }

                Queue<int> work = new Queue<int>();
                Enter(0, Array.Empty<NanoType>(), work);
                foreach (ExceptionRegion r in _body.ExceptionRegions)
                {
                    NanoType[] start = r.Kind == ExceptionRegionKind.Catch
                        ? new[] { _types.FromToken(r.CatchType) }
                        : r.Kind == ExceptionRegionKind.Filter ? new[] { new NanoType(NanoKind.Class, "System.Object") } : Array.Empty<NanoType>();
                    Enter(r.HandlerOffset, start, work);
                    if (r.Kind == ExceptionRegionKind.Filter)
                    {
                        Enter(r.FilterOffset, start, work);
                    }
                }

                bool followed = true;
                while (work.Count > 0 && followed)
                {
                    int offset = work.Dequeue();
                    followed = Step(_code[offset], work);
                }

                foreach (Instruction call in searches)
                {
                    string callee = "System.Array::" + MemberName(call.Token);
                    if (!followed || !_states.TryGetValue(call.Offset, out NanoType[] stack))
                    {
                        found.Add(_name + " calls " + callee + " where the scan cannot follow the stack: refused, as the array's type cannot be told");
                        continue;
                    }

                    int args = CallSignature(call.Token).ParameterTypes.Length;
                    NanoType array = stack[stack.Length - args];
                    string problem = Problem(array);
                    if (problem != null)
                    {
                        found.Add(_name + " calls " + callee + " on " + problem + ": nanoCLR compares a never-assigned string slot with strcmp"
                            + " and dies (SIGSEGV; on a board a hard fault and a reboot). Search with a loop that checks for null first,"
                            + " e.g. Pigeon.Text.TextList.IndexOf (docs/device.md, \"Pitfalls the gates know\")");
                    }
                }
            }

            private string Problem(NanoType array)
            {
                if (!array.IsArray || array.Element == null)
                {
                    return "a value whose array type cannot be told (" + array + ")";
                }

                bool? value = _scan.IsValueType(array.Element);
                return value == true ? null! : value == false ? "a " + array + " (an array of a reference type)" : "a " + array + " (its element type cannot be resolved)";
            }

            private bool IsArraySearch(Instruction i)
            {
                if ((i.Op != OpCodes.Call && i.Op != OpCodes.Callvirt) || i.Token.Kind != HandleKind.MemberReference)
                {
                    return false;
                }

                MemberReference m = _a.Md.GetMemberReference((MemberReferenceHandle)i.Token);
                string name = _a.Md.GetString(m.Name);
                return (name == "IndexOf" || name == "LastIndexOf") && m.Parent.Kind == HandleKind.TypeReference
                    && _a.FullName((TypeReferenceHandle)m.Parent) == "System.Array";
            }

            private string MemberName(EntityHandle h) => h.Kind == HandleKind.MemberReference
                ? _a.Md.GetString(_a.Md.GetMemberReference((MemberReferenceHandle)h).Name)
                : h.Kind == HandleKind.MethodDefinition ? _a.Md.GetString(_a.Md.GetMethodDefinition((MethodDefinitionHandle)h).Name) : "?";

            private void Decode()
            {
                BlobReader il = _body.GetILReader();
                while (il.RemainingBytes > 0)
                {
                    int offset = il.Offset;
                    ushort value = il.ReadByte();
                    if (value == 0xFE)
                    {
                        value = (ushort)(0xFE00 | il.ReadByte());
                    }

                    OpCode op = s_opcodes[value];
                    Instruction i = new Instruction { Offset = offset, Op = op };
                    switch (op.OperandType)
                    {
                        case OperandType.InlineNone:
                            break;
                        case OperandType.ShortInlineBrTarget:
                            sbyte rel8 = il.ReadSByte();
                            i.Targets = new[] { il.Offset + rel8 };
                            break;
                        case OperandType.InlineBrTarget:
                            int rel32 = il.ReadInt32();
                            i.Targets = new[] { il.Offset + rel32 };
                            break;
                        case OperandType.InlineSwitch:
                            int n = il.ReadInt32();
                            int[] rels = new int[n];
                            for (int k = 0; k < n; k++)
                            {
                                rels[k] = il.ReadInt32();
                            }

                            i.Targets = rels.Select(r => il.Offset + r).ToArray();
                            break;
                        case OperandType.ShortInlineI:
                        case OperandType.ShortInlineVar:
                            i.Number = op == OpCodes.Ldc_I4_S ? il.ReadSByte() : il.ReadByte();
                            break;
                        case OperandType.InlineVar:
                            i.Number = il.ReadUInt16();
                            break;
                        case OperandType.InlineI:
                        case OperandType.ShortInlineR:
                            i.Number = il.ReadInt32();
                            break;
                        case OperandType.InlineI8:
                        case OperandType.InlineR:
                            il.ReadInt64();
                            break;
                        default:
                            int token = il.ReadInt32();
                            i.Token = (token >> 24) == 0x70 ? default : MetadataTokens.EntityHandle(token);
                            break;
                    }

                    i.Next = il.Offset;
                    _code[offset] = i;
                }
            }

            private void Enter(int offset, NanoType[] stack, Queue<int> work)
            {
                if (!_states.TryGetValue(offset, out NanoType[] before))
                {
                    _states[offset] = stack;
                    work.Enqueue(offset);
                    return;
                }

                if (before.Length != stack.Length)
                {
                    _states[offset] = new NanoType[before.Length + 1 + stack.Length]; // marks a mismatch: never matches again
                    throw new StackMismatch();
                }

                bool changed = false;
                NanoType[] merged = (NanoType[])before.Clone();
                for (int k = 0; k < merged.Length; k++)
                {
                    if (!merged[k].SameAs(stack[k]) && merged[k] != NanoType.Unknown)
                    {
                        merged[k] = NanoType.Unknown;
                        changed = true;
                    }
                }

                if (changed)
                {
                    _states[offset] = merged;
                    work.Enqueue(offset);
                }
            }

            /// <summary>Applies one instruction to its state and passes the result on; false when the stack cannot be followed.</summary>
            private bool Step(Instruction i, Queue<int> work)
            {
                List<NanoType> stack = new List<NanoType>(_states[i.Offset]);
                OpCode op = i.Op;
                try
                {
                    NanoType pushed = Apply(i, stack);
                    if (pushed != null)
                    {
                        stack.Add(pushed);
                    }

                    if (op == OpCodes.Leave || op == OpCodes.Leave_S)
                    {
                        Enter(i.Targets![0], Array.Empty<NanoType>(), work);
                        return true;
                    }

                    NanoType[] after = stack.ToArray();
                    if (i.Targets != null)
                    {
                        foreach (int t in i.Targets)
                        {
                            Enter(t, after, work);
                        }
                    }

                    if (op.FlowControl != FlowControl.Branch && op.FlowControl != FlowControl.Return && op.FlowControl != FlowControl.Throw
                        && _code.ContainsKey(i.Next))
                    {
                        Enter(i.Next, after, work);
                    }

                    return true;
                }
                catch (StackMismatch)
                {
                    return false;
                }
                catch (ArgumentOutOfRangeException)
                {
                    return false;
                }
            }

            /// <summary>Pops what the instruction takes; returns what it pushes (null: nothing).</summary>
            private NanoType Apply(Instruction i, List<NanoType> stack)
            {
                OpCode op = i.Op;
                if (op == OpCodes.Call || op == OpCodes.Callvirt || op == OpCodes.Newobj)
                {
                    MethodSignature<NanoType> sig = CallSignature(i.Token);
                    int pops = sig.ParameterTypes.Length + (sig.Header.IsInstance && op != OpCodes.Newobj ? 1 : 0);
                    Pop(stack, pops);
                    if (op == OpCodes.Newobj)
                    {
                        return DeclaringType(i.Token);
                    }

                    return sig.ReturnType.Name == "System.Void" ? null! : sig.ReturnType;
                }

                if (op == OpCodes.Calli)
                {
                    MethodSignature<NanoType> sig = _a.Md.GetStandaloneSignature((StandaloneSignatureHandle)i.Token).DecodeMethodSignature(_types, null);
                    Pop(stack, sig.ParameterTypes.Length + 1 + (sig.Header.IsInstance ? 1 : 0));
                    return sig.ReturnType.Name == "System.Void" ? null! : sig.ReturnType;
                }

                if (op == OpCodes.Ret)
                {
                    Pop(stack, _signature.ReturnType.Name == "System.Void" ? 0 : 1);
                    return null!;
                }

                if (op == OpCodes.Dup)
                {
                    return stack[stack.Count - 1];
                }

                NanoType top = stack.Count > 0 ? stack[stack.Count - 1] : NanoType.Unknown;
                NanoType second = stack.Count > 1 ? stack[stack.Count - 2] : NanoType.Unknown;
                Pop(stack, Pops(op));
                if (Pushes(op) == 0)
                {
                    return null!;
                }

                if (op == OpCodes.Ldnull)
                {
                    return NanoType.Null;
                }

                if (op == OpCodes.Ldstr)
                {
                    return new NanoType(NanoKind.Class, "System.String");
                }

                if (op == OpCodes.Newarr)
                {
                    return NanoType.ArrayOf(_types.FromToken(i.Token));
                }

                if (op == OpCodes.Castclass || op == OpCodes.Isinst || op == OpCodes.Unbox_Any || op == OpCodes.Ldobj)
                {
                    return _types.FromToken(i.Token);
                }

                if (op == OpCodes.Box)
                {
                    return new NanoType(NanoKind.Class, "System.Object");
                }

                if (op == OpCodes.Ldelem_Ref || op == OpCodes.Ldelem)
                {
                    return op == OpCodes.Ldelem ? _types.FromToken(i.Token) : second.IsArray && second.Element != null ? second.Element : NanoType.Unknown;
                }

                if (op == OpCodes.Ldfld || op == OpCodes.Ldsfld)
                {
                    return FieldType(i.Token);
                }

                if (IsLdloc(op, i, out int local))
                {
                    return local < _locals.Length ? _locals[local] : NanoType.Unknown;
                }

                if (IsLdarg(op, i, out int arg))
                {
                    return Argument(arg);
                }

                if (op == OpCodes.Ldloca || op == OpCodes.Ldloca_S || op == OpCodes.Ldarga || op == OpCodes.Ldarga_S
                    || op == OpCodes.Ldflda || op == OpCodes.Ldsflda || op == OpCodes.Ldelema)
                {
                    return new NanoType(NanoKind.ByRef, "&");
                }

                if (op.StackBehaviourPush == StackBehaviour.Pushref)
                {
                    return NanoType.Unknown;
                }

                _ = top;
                return op.StackBehaviourPush == StackBehaviour.Push1_push1 ? Twice(stack) : NanoType.Value;
            }

            private static NanoType Twice(List<NanoType> stack)
            {
                stack.Add(NanoType.Value);
                return NanoType.Value;
            }

            private NanoType Argument(int index)
            {
                if (_signature.Header.IsInstance)
                {
                    if (index == 0)
                    {
                        return new NanoType(NanoKind.Named, _a.FullName(_method.GetDeclaringType())) { Home = _a };
                    }

                    index--;
                }

                return index < _signature.ParameterTypes.Length ? _signature.ParameterTypes[index] : NanoType.Unknown;
            }

            private static bool IsLdloc(OpCode op, Instruction i, out int index)
            {
                index = op == OpCodes.Ldloc_0 ? 0 : op == OpCodes.Ldloc_1 ? 1 : op == OpCodes.Ldloc_2 ? 2 : op == OpCodes.Ldloc_3 ? 3
                    : op == OpCodes.Ldloc || op == OpCodes.Ldloc_S ? i.Number : -1;
                return index >= 0;
            }

            private static bool IsLdarg(OpCode op, Instruction i, out int index)
            {
                index = op == OpCodes.Ldarg_0 ? 0 : op == OpCodes.Ldarg_1 ? 1 : op == OpCodes.Ldarg_2 ? 2 : op == OpCodes.Ldarg_3 ? 3
                    : op == OpCodes.Ldarg || op == OpCodes.Ldarg_S ? i.Number : -1;
                return index >= 0;
            }

            private NanoType FieldType(EntityHandle h) => h.Kind switch
            {
                HandleKind.FieldDefinition => _a.Md.GetFieldDefinition((FieldDefinitionHandle)h).DecodeSignature(_types, null),
                HandleKind.MemberReference => _a.Md.GetMemberReference((MemberReferenceHandle)h).DecodeFieldSignature(_types, null),
                _ => NanoType.Unknown,
            };

            private MethodSignature<NanoType> CallSignature(EntityHandle h) => h.Kind switch
            {
                HandleKind.MethodDefinition => _a.Md.GetMethodDefinition((MethodDefinitionHandle)h).DecodeSignature(_types, null),
                HandleKind.MemberReference => _a.Md.GetMemberReference((MemberReferenceHandle)h).DecodeMethodSignature(_types, null),
                _ => throw new StackMismatch(), // a generic method instantiation: the generics gate refuses those
            };

            private NanoType DeclaringType(EntityHandle h)
            {
                EntityHandle parent = h.Kind == HandleKind.MethodDefinition
                    ? _a.Md.GetMethodDefinition((MethodDefinitionHandle)h).GetDeclaringType()
                    : _a.Md.GetMemberReference((MemberReferenceHandle)h).Parent;
                return parent.Kind is HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification
                    ? _types.FromToken(parent)
                    : NanoType.Unknown;
            }

            private static void Pop(List<NanoType> stack, int count)
            {
                if (count > stack.Count)
                {
                    throw new StackMismatch();
                }

                stack.RemoveRange(stack.Count - count, count);
            }

            private static int Pops(OpCode op) => op.StackBehaviourPop switch
            {
                StackBehaviour.Pop0 => 0,
                StackBehaviour.Pop1 or StackBehaviour.Popi or StackBehaviour.Popref => 1,
                StackBehaviour.Pop1_pop1 or StackBehaviour.Popi_pop1 or StackBehaviour.Popi_popi or StackBehaviour.Popi_popi8
                    or StackBehaviour.Popi_popr4 or StackBehaviour.Popi_popr8 or StackBehaviour.Popref_pop1 or StackBehaviour.Popref_popi => 2,
                StackBehaviour.Popi_popi_popi or StackBehaviour.Popref_popi_popi or StackBehaviour.Popref_popi_popi8
                    or StackBehaviour.Popref_popi_popr4 or StackBehaviour.Popref_popi_popr8 or StackBehaviour.Popref_popi_popref
                    or StackBehaviour.Popref_popi_pop1 => 3,
                _ => throw new StackMismatch(), // Varpop outside the calls handled above
            };

            private static int Pushes(OpCode op) => op.StackBehaviourPush switch
            {
                StackBehaviour.Push0 => 0,
                StackBehaviour.Push1_push1 => 2,
                StackBehaviour.Varpush => throw new StackMismatch(),
                _ => 1,
            };

            private sealed class Instruction
            {
                public int Offset;
                public OpCode Op;
                public int[] Targets;
                public int Number;
                public EntityHandle Token;
                public int Next;
            }

            private sealed class StackMismatch : Exception
            {
            }
        }
    }
}
