using System.Collections;
using Pigeon.Text;

namespace Pigeon.Json
{
    /// <summary>
    /// A JSON value as a small tree: what <see cref="JsonReader"/> makes of config documents and
    /// API request bodies alike, and what <see cref="JsonWriter.Value"/> writes. Members keep
    /// their order (and a name appears once: <see cref="Add"/> refuses a second); numbers keep
    /// their text, so nothing is lost in a round trip. ArrayList only (no generics on the board).
    /// </summary>
    public sealed class JsonNode
    {
        private readonly ArrayList _names;
        private readonly ArrayList _values;

        private JsonNode(JsonKind kind, string text)
        {
            Kind = kind;
            Text = text;
            if (kind == JsonKind.Object || kind == JsonKind.Array)
            {
                _values = new ArrayList();
            }

            if (kind == JsonKind.Object)
            {
                _names = new ArrayList();
            }
        }

        /// <summary>The value's kind.</summary>
        public JsonKind Kind { get; private set; }

        /// <summary>A string's value, a number's JSON text, "true"/"false", or null.</summary>
        public string Text { get; private set; }

        /// <summary>Members of an object or items of an array; 0 otherwise.</summary>
        public int Count
        {
            get { return _values == null ? 0 : _values.Count; }
        }

        /// <summary>True for the value true.</summary>
        public bool IsTrue
        {
            get { return Kind == JsonKind.Boolean && Text == "true"; }
        }

        /// <summary>A member's value or an array's item.</summary>
        public JsonNode this[int index]
        {
            get { return (JsonNode)_values[index]; }
        }

        /// <summary>A new empty object.</summary>
        public static JsonNode NewObject()
        {
            return new JsonNode(JsonKind.Object, null);
        }

        /// <summary>A new empty array.</summary>
        public static JsonNode NewArray()
        {
            return new JsonNode(JsonKind.Array, null);
        }

        /// <summary>A string value.</summary>
        public static JsonNode FromString(string value)
        {
            return new JsonNode(JsonKind.String, value ?? "");
        }

        /// <summary>A number from its JSON text (e.g. "443", "-1.5e3"), which the caller has checked.</summary>
        public static JsonNode FromNumberText(string text)
        {
            return new JsonNode(JsonKind.Number, text);
        }

        /// <summary>A whole number.</summary>
        public static JsonNode FromInt(int value)
        {
            return new JsonNode(JsonKind.Number, value.ToString());
        }

        /// <summary>true or false.</summary>
        public static JsonNode FromBool(bool value)
        {
            return new JsonNode(JsonKind.Boolean, value ? "true" : "false");
        }

        /// <summary>null.</summary>
        public static JsonNode NewNull()
        {
            return new JsonNode(JsonKind.Null, null);
        }

        /// <summary>A member's name (objects only).</summary>
        public string GetName(int index)
        {
            return (string)_names[index];
        }

        /// <summary>The index of a member, or -1.</summary>
        public int IndexOf(string name)
        {
            if (_names == null)
            {
                return -1;
            }

            for (int i = 0; i < _names.Count; i++)
            {
                if ((string)_names[i] == name)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>A member's value, or null when absent (or this is not an object).</summary>
        public JsonNode Get(string name)
        {
            int i = IndexOf(name);
            return i < 0 ? null : (JsonNode)_values[i];
        }

        /// <summary>A string member's text; null when absent or not a string.</summary>
        public string GetString(string name)
        {
            JsonNode value = Get(name);
            return value != null && value.Kind == JsonKind.String ? value.Text : null;
        }

        /// <summary>
        /// True, with the value, for a number without fraction or exponent between -2147483648
        /// and 2147483647 ("443", "-12"; not "4.0", "1e3" or "99999999999").
        /// </summary>
        public bool TryGetInt(out int value)
        {
            value = 0;
            return Kind == JsonKind.Number && Integer.TryParse(Text, out value);
        }

        /// <summary>Adds a member; false (and nothing added) when the name is already there.</summary>
        public bool Add(string name, JsonNode value)
        {
            if (IndexOf(name) >= 0)
            {
                return false;
            }

            _names.Add(name);
            _values.Add(value);
            return true;
        }

        /// <summary>Replaces a member's value, or adds it at the end.</summary>
        public void Set(string name, JsonNode value)
        {
            int i = IndexOf(name);
            if (i < 0)
            {
                _names.Add(name);
                _values.Add(value);
            }
            else
            {
                _values[i] = value;
            }
        }

        /// <summary>Removes a member if present.</summary>
        public void Remove(string name)
        {
            int i = IndexOf(name);
            if (i >= 0)
            {
                _names.RemoveAt(i);
                _values.RemoveAt(i);
            }
        }

        /// <summary>Appends an array item.</summary>
        public void AddItem(JsonNode value)
        {
            _values.Add(value);
        }

        /// <summary>
        /// A deep copy with every object's members sorted by name (ordinal). Unknown config keys
        /// are written this way, so a document's bytes do not depend on the order a hand edit
        /// put them in.
        /// </summary>
        public JsonNode SortedClone()
        {
            JsonNode copy = new JsonNode(Kind, Text);
            int[] order = new int[Count];
            for (int i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            if (_names != null)
            {
                // insertion sort: a config object has a handful of members
                for (int i = 1; i < order.Length; i++)
                {
                    int item = order[i];
                    int j = i - 1;
                    while (j >= 0 && CompareOrdinal((string)_names[order[j]], (string)_names[item]) > 0)
                    {
                        order[j + 1] = order[j];
                        j--;
                    }

                    order[j + 1] = item;
                }
            }

            for (int i = 0; i < order.Length; i++)
            {
                if (_names != null)
                {
                    copy._names.Add(_names[order[i]]);
                }

                copy._values.Add(this[order[i]].SortedClone());
            }

            return copy;
        }

        /// <summary>Compares two strings by UTF-16 code unit (no culture; the board has none).</summary>
        public static int CompareOrdinal(string a, string b)
        {
            int n = a.Length < b.Length ? a.Length : b.Length;
            for (int i = 0; i < n; i++)
            {
                if (a[i] != b[i])
                {
                    return a[i] - b[i];
                }
            }

            return a.Length - b.Length;
        }

        /// <summary>A deep copy.</summary>
        public JsonNode Clone()
        {
            JsonNode copy = new JsonNode(Kind, Text);
            for (int i = 0; i < Count; i++)
            {
                if (_names != null)
                {
                    copy._names.Add(_names[i]);
                }

                copy._values.Add(this[i].Clone());
            }

            return copy;
        }
    }
}
