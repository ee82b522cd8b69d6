using System.Collections;

namespace Pigeon.Portal
{
    /// <summary>
    /// One node of a parsed JSON document (see <see cref="JsonReader"/>). Objects keep their
    /// members in order as children with <see cref="Name"/> set; lookups are linear, which is
    /// right for the handful of keys a portal request carries.
    /// </summary>
    public sealed class JsonValue
    {
        private readonly ArrayList _children;

        internal JsonValue(JsonKind kind)
        {
            Kind = kind;
            if (kind == JsonKind.Array || kind == JsonKind.Object)
            {
                _children = new ArrayList();
            }
        }

        /// <summary>What this value is.</summary>
        public JsonKind Kind { get; private set; }

        /// <summary>The member name when this value sits in an object; null otherwise.</summary>
        public string Name { get; internal set; }

        /// <summary>The text of a string value.</summary>
        public string Text { get; internal set; }

        /// <summary>The value of a boolean.</summary>
        public bool BoolValue { get; internal set; }

        /// <summary>True for a number without fraction or exponent that fits in 32 bits.</summary>
        public bool IsInteger { get; internal set; }

        /// <summary>The value of an integer number (see <see cref="IsInteger"/>).</summary>
        public int IntValue { get; internal set; }

        /// <summary>Elements of an array or members of an object.</summary>
        public int Count
        {
            get { return _children == null ? 0 : _children.Count; }
        }

        /// <summary>The element or member at <paramref name="index"/>.</summary>
        public JsonValue this[int index]
        {
            get { return (JsonValue)_children[index]; }
        }

        /// <summary>The member called <paramref name="name"/> of an object (the last one when
        /// repeated); null when absent or when this is not an object.</summary>
        public JsonValue Get(string name)
        {
            if (Kind != JsonKind.Object)
            {
                return null;
            }

            for (int i = _children.Count - 1; i >= 0; i--)
            {
                JsonValue child = (JsonValue)_children[i];
                if (child.Name == name)
                {
                    return child;
                }
            }

            return null;
        }

        internal void Add(JsonValue child)
        {
            _children.Add(child);
        }
    }
}
