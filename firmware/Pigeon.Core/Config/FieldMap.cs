using Pigeon.Json;

namespace Pigeon.Config
{
    /// <summary>
    /// One object of the config as <see cref="ConfigMapper"/> sees it, in one of two directions:
    /// reading (a field's value comes from the tree when the key is there, with an error at its
    /// path when the type is wrong) or writing (the value goes into a new tree). Each section's
    /// fields are therefore listed once, for both directions (ConfigMapper's Wifi, Relay, ...).
    /// On the host, FieldMap.Host.cs adds "did you mean" to an unknown key's warning.
    /// </summary>
    internal sealed partial class FieldMap
    {
        private const string UnknownKeyMessage = "Pigeon does not know this setting (it may come from another firmware version); it is kept as it is but not used.";

        private readonly JsonNode _node;
        private readonly string _path;
        private readonly ValidationReport _report;
        private string _known = " ";

        private FieldMap(JsonNode node, string path, ValidationReport report)
        {
            _node = node;
            _path = path;
            _report = report;
        }

        /// <summary>True when writing a tree, false when reading one.</summary>
        public bool IsWriting
        {
            get { return _report == null; }
        }

        /// <summary>The tree read from, or the one being written.</summary>
        public JsonNode Node
        {
            get { return _node; }
        }

        /// <summary>Reads <paramref name="node"/> (an object) at <paramref name="path"/> ("" for the document).</summary>
        public static FieldMap Reading(JsonNode node, string path, ValidationReport report)
        {
            return new FieldMap(node, path, report);
        }

        /// <summary>Writes a new object.</summary>
        public static FieldMap Writing()
        {
            return new FieldMap(JsonNode.NewObject(), string.Empty, null);
        }

        /// <summary>A text field.</summary>
        public string Text(string name, string value)
        {
            if (IsWriting)
            {
                _node.Add(name, JsonNode.FromString(value));
                return value;
            }

            JsonNode found = Visit(name);
            return found == null ? value : Text(found, At(name), value);
        }

        /// <summary>A whole-number field.</summary>
        public int Number(string name, int value)
        {
            if (IsWriting)
            {
                _node.Add(name, JsonNode.FromInt(value));
                return value;
            }

            JsonNode found = Visit(name);
            int read;
            if (found == null)
            {
                return value;
            }

            if (found.TryGetInt(out read))
            {
                return read;
            }

            _report.AddError(At(name), found.Kind == JsonKind.Number
                ? "must be a whole number between -2147483648 and 2147483647"
                : "must be a whole number (without quotes)");
            return value;
        }

        /// <summary>
        /// A field the caller reads itself (one with more than one form): writing adds
        /// <paramref name="written"/> and returns null; reading returns what the tree holds (null
        /// when absent).
        /// </summary>
        public JsonNode Raw(string name, JsonNode written)
        {
            if (IsWriting)
            {
                _node.Add(name, written);
                return null;
            }

            return Visit(name);
        }

        /// <summary>An error at a field of this object.</summary>
        public void Error(string name, string message)
        {
            _report.AddError(At(name), message);
        }

        /// <summary>A true/false field.</summary>
        public bool Flag(string name, bool value)
        {
            if (IsWriting)
            {
                _node.Add(name, JsonNode.FromBool(value));
                return value;
            }

            JsonNode found = Visit(name);
            return found == null ? value : Flag(found, name, value);
        }

        /// <summary>A true/false value found at <paramref name="name"/>; an error and <paramref name="fallback"/> for anything else.</summary>
        public bool Flag(JsonNode found, string name, bool fallback)
        {
            if (found.Kind == JsonKind.Boolean)
            {
                return found.IsTrue;
            }

            _report.AddError(At(name), "must be true or false (without quotes)");
            return fallback;
        }

        /// <summary>A list-of-text field.</summary>
        public string[] Texts(string name, string[] values)
        {
            if (IsWriting)
            {
                JsonNode list = JsonNode.NewArray();
                for (int i = 0; values != null && i < values.Length; i++)
                {
                    list.AddItem(JsonNode.FromString(values[i]));
                }

                _node.Add(name, list);
                return values;
            }

            JsonNode found = Visit(name);
            if (found == null)
            {
                return values;
            }

            if (found.Kind != JsonKind.Array)
            {
                _report.AddError(At(name), "must be a list of text values: [\"...\", \"...\"]");
                return values;
            }

            string[] read = new string[found.Count];
            for (int i = 0; i < read.Length; i++)
            {
                read[i] = Text(found[i], At(name) + "[" + i.ToString() + "]", "");
            }

            return read;
        }

        /// <summary>A key read and dropped, never written (the store's seal).</summary>
        public void Ignore(string name)
        {
            if (!IsWriting)
            {
                Visit(name);
            }
        }

        /// <summary>
        /// A group of settings in braces: its map. When reading and the key is absent, or not an
        /// object (then an error at its path), a map of nothing, which leaves every field as it is.
        /// </summary>
        public FieldMap Section(string name)
        {
            if (IsWriting)
            {
                FieldMap child = Writing();
                _node.Add(name, child._node);
                return child;
            }

            JsonNode found = Visit(name);
            return (found == null ? null : Child(found, At(name))) ?? new FieldMap(JsonNode.NewObject(), At(name) + ".", _report);
        }

        /// <summary>
        /// A list of groups in braces: one map per item (null for an item that is not an object,
        /// with an error), <paramref name="writeCount"/> new ones when writing; null when reading
        /// and the key is absent or not a list (then an error at its path).
        /// </summary>
        public FieldMap[] Items(string name, int writeCount, string what)
        {
            FieldMap[] items = new FieldMap[IsWriting ? writeCount : 0];
            if (IsWriting)
            {
                JsonNode list = JsonNode.NewArray();
                for (int i = 0; i < items.Length; i++)
                {
                    items[i] = Writing();
                    list.AddItem(items[i]._node);
                }

                _node.Add(name, list);
                return items;
            }

            JsonNode found = Visit(name);
            if (found == null)
            {
                return null;
            }

            if (found.Kind != JsonKind.Array)
            {
                _report.AddError(At(name), "must be a list of " + what + ": [ { ... }, ... ]");
                return null;
            }

            items = new FieldMap[found.Count];
            for (int i = 0; i < items.Length; i++)
            {
                items[i] = Child(found[i], At(name) + "[" + i.ToString() + "]");
            }

            return items;
        }

        /// <summary>
        /// Reading: every key no field asked for is a warning at its path (on the host with "did you
        /// mean" and the known key when it looks like a typo of one) and is kept (returned with
        /// <paramref name="unknown"/>'s). Writing: the kept keys go after the known ones,
        /// sorted by name, so a document's bytes do not depend on a hand edit's order (a known key
        /// is never written twice).
        /// </summary>
        public JsonNode Unknown(JsonNode unknown)
        {
            if (IsWriting)
            {
                JsonNode sorted = unknown != null && unknown.Kind == JsonKind.Object ? unknown.SortedClone() : JsonNode.NewObject();
                for (int i = 0; i < sorted.Count; i++)
                {
                    _node.Add(sorted.GetName(i), sorted[i]);
                }

                return unknown;
            }

            for (int i = 0; i < _node.Count; i++)
            {
                string name = _node.GetName(i);
                if (_known.IndexOf(" " + name + " ") < 0)
                {
                    string message = UnknownKeyMessage;
                    SuggestKnownKey(name, ref message);
                    _report.AddWarning(At(name), message);
                    if (unknown == null)
                    {
                        unknown = JsonNode.NewObject();
                    }

                    unknown.Set(name, _node[i].Clone());
                }
            }

            return unknown;
        }

        // The host's "did you mean" (FieldMap.Host.cs) for hand-edited files. The board's assembly
        // leaves that file out, and the compiler then leaves out this call: nobody edits a
        // board's flash by hand, and its portal writes only known keys.
        partial void SuggestKnownKey(string name, ref string message);

        private FieldMap Child(JsonNode node, string path)
        {
            if (node.Kind != JsonKind.Object)
            {
                _report.AddError(path, "must be a group of settings in braces: { ... }");
                return null;
            }

            return new FieldMap(node, path + ".", _report);
        }

        private JsonNode Visit(string name)
        {
            _known = _known + name + " ";
            return _node.Get(name);
        }

        private string At(string name)
        {
            return _path + name;
        }

        private string Text(JsonNode node, string path, string fallback)
        {
            if (node.Kind == JsonKind.String)
            {
                return node.Text;
            }

            _report.AddError(path, "must be text in double quotes");
            return fallback;
        }
    }
}
