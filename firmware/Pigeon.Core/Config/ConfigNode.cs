using System.Collections;

namespace Pigeon.Config
{
    /// <summary>
    /// A JSON value as a small tree, the common ground of the two codecs: System.Text.Json on the
    /// host and nanoFramework.Json on the board each turn bytes into a ConfigNode, and the core
    /// does the rest (migration, mapping to <see cref="PigeonConfig"/>, unknown keys, writing).
    /// Members keep their order; numbers keep their text. ArrayList only (no generics on the board).
    /// </summary>
    public class ConfigNode
    {
        private readonly ArrayList _names;
        private readonly ArrayList _values;

        private ConfigNode(ConfigNodeKind kind, string text)
        {
            Kind = kind;
            Text = text;
            if (kind == ConfigNodeKind.Object || kind == ConfigNodeKind.Array)
            {
                _values = new ArrayList();
            }

            if (kind == ConfigNodeKind.Object)
            {
                _names = new ArrayList();
            }
        }

        /// <summary>The value's kind.</summary>
        public ConfigNodeKind Kind { get; private set; }

        /// <summary>A string's value, a number's JSON text, "true"/"false", or null.</summary>
        public string Text { get; private set; }

        /// <summary>Members of an object or items of an array; 0 otherwise.</summary>
        public int Count
        {
            get { return _values == null ? 0 : _values.Count; }
        }

        /// <summary>A new empty object.</summary>
        public static ConfigNode NewObject()
        {
            return new ConfigNode(ConfigNodeKind.Object, null);
        }

        /// <summary>A new empty array.</summary>
        public static ConfigNode NewArray()
        {
            return new ConfigNode(ConfigNodeKind.Array, null);
        }

        /// <summary>A string value.</summary>
        public static ConfigNode FromString(string value)
        {
            return new ConfigNode(ConfigNodeKind.String, value ?? "");
        }

        /// <summary>A number from its JSON text (e.g. "443", "-1.5e3").</summary>
        public static ConfigNode FromNumberText(string text)
        {
            return new ConfigNode(ConfigNodeKind.Number, text);
        }

        /// <summary>A whole number.</summary>
        public static ConfigNode FromInt(int value)
        {
            return new ConfigNode(ConfigNodeKind.Number, value.ToString());
        }

        /// <summary>true or false.</summary>
        public static ConfigNode FromBool(bool value)
        {
            return new ConfigNode(ConfigNodeKind.Boolean, value ? "true" : "false");
        }

        /// <summary>null.</summary>
        public static ConfigNode NewNull()
        {
            return new ConfigNode(ConfigNodeKind.Null, null);
        }

        /// <summary>A member's name (objects only).</summary>
        public string GetName(int index)
        {
            return (string)_names[index];
        }

        /// <summary>A member's value or an array's item.</summary>
        public ConfigNode GetValue(int index)
        {
            return (ConfigNode)_values[index];
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

        /// <summary>A member's value, or null when absent (or not an object).</summary>
        public ConfigNode Find(string name)
        {
            int i = IndexOf(name);
            return i < 0 ? null : (ConfigNode)_values[i];
        }

        /// <summary>Adds a member; false (and nothing added) when the name is already there.</summary>
        public bool Add(string name, ConfigNode value)
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
        public void Set(string name, ConfigNode value)
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
        public void AddItem(ConfigNode value)
        {
            _values.Add(value);
        }

        /// <summary>
        /// A deep copy with every object's members sorted by name (ordinal). Unknown keys are
        /// written this way, so both platforms write the same bytes even though the board's JSON
        /// library (nanoFramework.Json, Hashtable-based) does not keep member order.
        /// </summary>
        public ConfigNode SortedClone()
        {
            ConfigNode copy = new ConfigNode(Kind, Text);
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

                copy._values.Add(GetValue(order[i]).SortedClone());
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
        public ConfigNode Clone()
        {
            ConfigNode copy = new ConfigNode(Kind, Text);
            for (int i = 0; i < Count; i++)
            {
                if (_names != null)
                {
                    copy._names.Add(_names[i]);
                }

                copy._values.Add(GetValue(i).Clone());
            }

            return copy;
        }
    }
}
