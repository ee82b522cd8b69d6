using Pigeon.Text;

namespace Pigeon.Portal
{
    /// <summary>
    /// Writes compact JSON (RFC 8259) into a growing char buffer, because nanoFramework's
    /// mscorlib has no StringBuilder. Commas are placed by the writer. Strings are escaped for
    /// JSON and, in addition, '&lt;', '&gt;', '&amp;', U+2028 and U+2029 are written as \u
    /// escapes so an SSID can never close a script or HTML context even if a page misused it.
    /// </summary>
    public sealed class JsonWriter
    {
        private const int MaxDepth = 16;
        private readonly bool[] _hasItem = new bool[MaxDepth];
        private char[] _chars;
        private int _length;
        private int _depth;
        private bool _afterName;

        /// <summary>Creates a writer with a starting capacity in characters.</summary>
        public JsonWriter(int capacity)
        {
            _chars = new char[capacity < 16 ? 16 : capacity];
        }

        /// <summary>Characters written so far.</summary>
        public int Length
        {
            get { return _length; }
        }

        /// <summary>Starts an object ({).</summary>
        public JsonWriter BeginObject()
        {
            BeforeValue();
            Append('{');
            Push();
            return this;
        }

        /// <summary>Ends an object (}).</summary>
        public JsonWriter EndObject()
        {
            Pop();
            Append('}');
            return this;
        }

        /// <summary>Starts an array ([).</summary>
        public JsonWriter BeginArray()
        {
            BeforeValue();
            Append('[');
            Push();
            return this;
        }

        /// <summary>Ends an array (]).</summary>
        public JsonWriter EndArray()
        {
            Pop();
            Append(']');
            return this;
        }

        /// <summary>Writes a member name; the next call writes its value.</summary>
        public JsonWriter Name(string name)
        {
            BeforeValue();
            Quoted(name);
            Append(':');
            _afterName = true;
            return this;
        }

        /// <summary>Writes a string value (null writes null).</summary>
        public JsonWriter String(string value)
        {
            BeforeValue();
            if (value == null)
            {
                Raw("null");
            }
            else
            {
                Quoted(value);
            }

            return this;
        }

        /// <summary>Writes a value that is already JSON, made by a trusted writer (<see cref="ReachStatusWriter"/>).</summary>
        public JsonWriter RawJson(string json)
        {
            BeforeValue();
            Raw(json);
            return this;
        }

        /// <summary>Writes an integer value.</summary>
        public JsonWriter Number(long value)
        {
            BeforeValue();
            Raw(value.ToString());
            return this;
        }

        /// <summary>Writes true or false.</summary>
        public JsonWriter Bool(bool value)
        {
            BeforeValue();
            Raw(value ? "true" : "false");
            return this;
        }

        /// <summary>Writes null.</summary>
        public JsonWriter Null()
        {
            BeforeValue();
            Raw("null");
            return this;
        }

        /// <summary>Shorthand: a string member.</summary>
        public JsonWriter Member(string name, string value)
        {
            return Name(name).String(value);
        }

        /// <summary>Shorthand: an integer member.</summary>
        public JsonWriter Member(string name, long value)
        {
            return Name(name).Number(value);
        }

        /// <summary>Shorthand: a boolean member.</summary>
        public JsonWriter Member(string name, bool value)
        {
            return Name(name).Bool(value);
        }

        /// <summary>The JSON text written.</summary>
        public override string ToString()
        {
            return new string(_chars, 0, _length);
        }

        /// <summary>The JSON as UTF-8 bytes.</summary>
        public byte[] ToUtf8()
        {
            return Utf8.GetBytes(ToString());
        }

        private void BeforeValue()
        {
            if (_afterName)
            {
                _afterName = false;
                return;
            }

            if (_depth > 0)
            {
                if (_hasItem[_depth - 1])
                {
                    Append(',');
                }

                _hasItem[_depth - 1] = true;
            }
        }

        private void Push()
        {
            if (_depth >= MaxDepth)
            {
                throw new System.InvalidOperationException("JSON nested too deep"); // a bug in the caller, not data
            }

            _hasItem[_depth] = false;
            _depth++;
        }

        private void Pop()
        {
            if (_depth > 0)
            {
                _depth--;
            }
        }

        private void Quoted(string value)
        {
            Append('"');
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                switch (c)
                {
                    case '"':
                        Raw("\\\"");
                        break;
                    case '\\':
                        Raw("\\\\");
                        break;
                    case '\n':
                        Raw("\\n");
                        break;
                    case '\r':
                        Raw("\\r");
                        break;
                    case '\t':
                        Raw("\\t");
                        break;
                    default:
                        if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029' || c == '\u007F')
                        {
                            Raw("\\u");
                            Hex4(c);
                        }
                        else
                        {
                            Append(c);
                        }

                        break;
                }
            }

            Append('"');
        }

        private void Hex4(int value)
        {
            const string Digits = "0123456789abcdef";
            Append(Digits[(value >> 12) & 0xF]);
            Append(Digits[(value >> 8) & 0xF]);
            Append(Digits[(value >> 4) & 0xF]);
            Append(Digits[value & 0xF]);
        }

        private void Raw(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                Append(text[i]);
            }
        }

        private void Append(char c)
        {
            if (_length == _chars.Length)
            {
                char[] bigger = new char[_chars.Length * 2];
                System.Array.Copy(_chars, bigger, _length);
                _chars = bigger;
            }

            _chars[_length++] = c;
        }
    }
}
