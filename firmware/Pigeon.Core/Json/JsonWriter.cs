using Pigeon.Text;

namespace Pigeon.Json
{
    /// <summary>
    /// The one JSON writer (RFC 8259), streaming UTF-8 into a <see cref="TextBuffer"/>; commas
    /// are placed by the writer. Two styles:
    /// <list type="bullet">
    /// <item>compact (<c>new JsonWriter(capacity)</c>), for every HTTP answer: besides what JSON
    /// must escape, '&lt;', '&gt;', '&amp;', U+007F, U+2028 and U+2029 are written as \u escapes, so
    /// an SSID or a router's message can never close a script or an HTML context even if a page
    /// misused the JSON;</item>
    /// <item>indented (<see cref="Indented"/>), for config files people read and edit: two spaces
    /// per level, a member per line, arrays of plain values on one line (["a", "b"]); the same
    /// bytes on the host and the board. Text is written as it is (a file is never a page).</item>
    /// </list>
    /// </summary>
    public sealed class JsonWriter
    {
        // The characters written with a one-letter escape, and their letters, in the same order.
        private const string Escaped = "\"\\\n\r\t\b\f";
        private const string EscapeLetters = "\"\\nrtbf";

        private const int MaxDepth = 16;
        private const byte InObject = 0;
        private const byte InArray = 1; // its first item decides: plain = one line, else a line per item
        private const byte InFlatArray = 2;
        private const byte InBlockArray = 3;
        private readonly TextBuffer _text;
        private readonly bool _indented;
        private readonly byte[] _frame = new byte[MaxDepth];
        private readonly bool[] _hasItem = new bool[MaxDepth];
        private int _depth;
        private bool _afterName;

        /// <summary>A compact, HTML-safe writer with a starting capacity in bytes.</summary>
        public JsonWriter(int capacity)
            : this(capacity, false)
        {
        }

        private JsonWriter(int capacity, bool indented)
        {
            _text = new TextBuffer(capacity, int.MaxValue);
            _indented = indented;
        }

        /// <summary>The text written so far.</summary>
        public TextBuffer Text
        {
            get { return _text; }
        }

        /// <summary>An indented writer for documents people edit (config files).</summary>
        public static JsonWriter Indented(int capacity)
        {
            return new JsonWriter(capacity, true);
        }

        /// <summary>Starts an object ({).</summary>
        public JsonWriter BeginObject()
        {
            BeforeValue(false);
            Raw("{");
            Push(InObject);
            return this;
        }

        /// <summary>Ends an object (}).</summary>
        public JsonWriter EndObject()
        {
            Close("}");
            return this;
        }

        /// <summary>Starts an array ([). Indented, its items go on one line when the first is a plain value.</summary>
        public JsonWriter BeginArray()
        {
            BeforeValue(false);
            Raw("[");
            Push(InArray);
            return this;
        }

        /// <summary>Ends an array (]).</summary>
        public JsonWriter EndArray()
        {
            Close("]");
            return this;
        }

        /// <summary>Writes a member name; the next call writes its value.</summary>
        public JsonWriter Name(string name)
        {
            BeforeValue(false);
            Quoted(name);
            Raw(_indented ? ": " : ":");
            _afterName = true;
            return this;
        }

        /// <summary>Writes a string value (null writes null).</summary>
        public JsonWriter String(string value)
        {
            BeforeValue(true);
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

        /// <summary>Writes an integer value.</summary>
        public JsonWriter Number(long value)
        {
            BeforeValue(true);
            Raw(value.ToString());
            return this;
        }

        /// <summary>Writes true or false.</summary>
        public JsonWriter Bool(bool value)
        {
            BeforeValue(true);
            Raw(value ? "true" : "false");
            return this;
        }

        /// <summary>Writes null.</summary>
        public JsonWriter Null()
        {
            BeforeValue(true);
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

        /// <summary>Writes a whole tree (null writes null).</summary>
        public JsonWriter Value(JsonNode node)
        {
            if (node == null)
            {
                return Null();
            }

            switch (node.Kind)
            {
                case JsonKind.Null:
                    return Null();
                case JsonKind.Boolean:
                case JsonKind.Number:
                    BeforeValue(true);
                    Raw(node.Text);
                    return this;
                case JsonKind.String:
                    return String(node.Text);
                case JsonKind.Array:
                    // One line only when no item is an object or array (known here, unlike when streaming).
                    bool flat = true;
                    for (int i = 0; i < node.Count; i++)
                    {
                        flat &= node[i].Kind != JsonKind.Object && node[i].Kind != JsonKind.Array;
                    }

                    BeforeValue(false);
                    Raw("[");
                    Push(flat ? InFlatArray : InBlockArray);
                    for (int i = 0; i < node.Count; i++)
                    {
                        Value(node[i]);
                    }

                    return EndArray();
                default:
                    BeginObject();
                    for (int i = 0; i < node.Count; i++)
                    {
                        Name(node.GetName(i));
                        Value(node[i]);
                    }

                    return EndObject();
            }
        }

        /// <summary>The JSON as exact UTF-8 bytes (a copy); an indented document ends with a line feed.</summary>
        public byte[] ToUtf8()
        {
            return _text.ToArray();
        }

        /// <summary>The JSON text written.</summary>
        public override string ToString()
        {
            return _text.ToString();
        }

        // Before any value, name or container: the comma and, indented, the line break.
        private void BeforeValue(bool plain)
        {
            if (_afterName)
            {
                _afterName = false;
                return;
            }

            if (_depth == 0)
            {
                return;
            }

            int top = _depth - 1;
            if (_frame[top] == InArray)
            {
                _frame[top] = plain ? InFlatArray : InBlockArray;
            }

            bool first = !_hasItem[top];
            _hasItem[top] = true;
            if (!first)
            {
                Raw(",");
            }

            if (!_indented)
            {
                return;
            }

            if (_frame[top] != InFlatArray)
            {
                NewLine(_depth);
            }
            else if (!first)
            {
                Raw(" ");
            }
        }

        private void Push(byte frame)
        {
            if (_depth >= MaxDepth)
            {
                throw new System.InvalidOperationException("JSON nested too deep"); // a bug in the caller, not data
            }

            _frame[_depth] = frame;
            _hasItem[_depth] = false;
            _depth++;
        }

        private void Pop()
        {
            if (_depth == 0)
            {
                return;
            }

            _depth--;
            if (_indented && _hasItem[_depth] && _frame[_depth] != InFlatArray)
            {
                NewLine(_depth);
            }
        }

        private void Close(string bracket)
        {
            Pop();
            Raw(bracket);
            if (_indented && _depth == 0)
            {
                Raw("\n"); // a text file ends with a line feed
            }
        }

        private void NewLine(int depth)
        {
            Raw("\n");
            for (int i = 0; i < depth; i++)
            {
                Raw("  ");
            }
        }

        // RFC 8259 section 7: quote, backslash and U+0000-001F must be escaped; compact also
        // escapes what could end an HTML or script context. Lower-case hex.
        private void Quoted(string value)
        {
            Raw("\"");
            for (int i = 0; i < value.Length; i++)
            {
                int c = Utf8.CodePointAt(value, i);
                if (c >= 0x10000)
                {
                    i++;
                }

                int simple = c < 0x80 ? Escaped.IndexOf((char)c) : -1;
                bool html = !_indented && (c == '<' || c == '>' || c == '&' || c == 0x7F || c == 0x2028 || c == 0x2029);
                if (simple >= 0)
                {
                    _text.AppendCodePoint('\\');
                    _text.AppendCodePoint(EscapeLetters[simple]);
                }
                else if (c < 0x20 || html)
                {
                    Raw("\\u");
                    _text.AppendCodePoint(Hex.Digit(c >> 12));
                    _text.AppendCodePoint(Hex.Digit(c >> 8));
                    _text.AppendCodePoint(Hex.Digit(c >> 4));
                    _text.AppendCodePoint(Hex.Digit(c));
                }
                else
                {
                    _text.AppendCodePoint(c);
                }
            }

            Raw("\"");
        }

        private void Raw(string ascii)
        {
            _text.Append(ascii);
        }
    }
}
