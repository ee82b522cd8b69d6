using Pigeon.Text;

namespace Pigeon.Json
{
    /// <summary>
    /// The one JSON reader, on both platforms: strict RFC 8259 over UTF-8 bytes to a
    /// <see cref="JsonNode"/> tree, or null with a <see cref="JsonError"/> that says what and
    /// where (line, column, and for a repeated key its path). Config documents and the portal's
    /// request bodies go through it, so both refuse the same things the same way.
    /// </summary>
    /// <remarks>
    /// <code>
    /// value  = ws ( object / array / string / number / "true" / "false" / "null" ) ws
    /// object = "{" [ string ":" value *( "," string ":" value ) ] "}"    ; a name once per object
    /// array  = "[" [ value *( "," value ) ] "]"
    /// number = [ "-" ] ( "0" / 1-9 *DIGIT ) [ "." 1*DIGIT ] [ ( "e" / "E" ) [ "+" / "-" ] 1*DIGIT ]
    /// string = DQUOTE *char DQUOTE  ; UTF-8, no raw U+0000-001F;
    ///                               ; escapes \" \\ \/ \b \f \n \r \t \uXXXX
    /// ws     = *( SP / HTAB / LF / CR )
    /// </code>
    /// Refused besides what the grammar refuses: bytes that are not UTF-8 (overlong forms, raw
    /// surrogates, cut sequences) and, by the same rule, a \u escape of half a surrogate pair
    /// without its other half (both would be a character that cannot be stored as UTF-8); a name
    /// repeated in one object (which one was meant is a guess); nesting deeper than the caller's
    /// limit (the reader recurses once per level, and a board's stack is small).
    /// </remarks>
    public sealed class JsonReader
    {
        // The one-character escapes (RFC 8259 section 7) and what each stands for, in the same order.
        private const string Escapes = "\"\\/bfnrt";
        private const string Escaped = "\"\\/\b\f\n\r\t";

        private const string Duplicate = "appears twice; keep only one (Pigeon will not guess which one you meant)";
        private const string Unclosed = "it ends before every { and [ is closed";

        private readonly byte[] _buffer;
        private readonly int _start;
        private readonly int _end;
        private readonly int _maxDepth;
        private int _pos;
        private char[] _chars = new char[64];
        private int _errorAt;
        private string _reason;
        private string _path;

        private JsonReader(byte[] buffer, int start, int end, int maxDepth)
        {
            _buffer = buffer;
            _start = start;
            _end = end;
            _maxDepth = maxDepth;
            _pos = start;
        }

        /// <summary>
        /// Reads one JSON value (with white space around it) from <paramref name="count"/> bytes
        /// at <paramref name="offset"/>, nested at most <paramref name="maxDepth"/> levels of
        /// { } and [ ]. Null, with <paramref name="error"/> set, when the bytes are anything else.
        /// </summary>
        public static JsonNode Parse(byte[] buffer, int offset, int count, int maxDepth, out JsonError error)
        {
            error = null;
            JsonReader reader = new JsonReader(buffer, offset, offset + count, maxDepth);
            JsonNode root = null;
            if (buffer == null || offset < 0 || count < 0 || offset + count > buffer.Length)
            {
                reader.Fail(offset, "there is nothing to read");
            }
            else
            {
                reader.SkipSpace();
                if (reader._pos == reader._end)
                {
                    reader.Fail(reader._pos, "it is empty");
                }
                else
                {
                    root = reader.Value(0);
                    reader.SkipSpace();
                    if (root != null && reader._pos < reader._end)
                    {
                        root = reader.Fail(reader._pos, "there is more text after the end of the first value (its closing } or ])");
                    }
                }
            }

            if (root == null)
            {
                error = reader.Error(offset);
            }

            return root;
        }

        private JsonError Error(int offset)
        {
            int line = 1;
            int lineStart = _start;
            for (int i = _start; i < _errorAt && i < _end; i++)
            {
                if (_buffer[i] == (byte)'\n')
                {
                    line++;
                    lineStart = i + 1;
                }
            }

            return new JsonError(_errorAt - offset, line, _errorAt - lineStart + 1, _reason, _path);
        }

        private JsonNode Value(int depth)
        {
            SkipSpace();
            if (_pos >= _end)
            {
                return Fail(_pos, depth == 0 ? "expected a value" : Unclosed);
            }

            int at = _pos;
            byte b = _buffer[_pos];
            if (b == (byte)'{' || b == (byte)'[')
            {
                if (depth >= _maxDepth)
                {
                    return Fail(at, "it nests deeper than " + _maxDepth.ToString() + " levels of { } and [ ]");
                }

                return Container(depth + 1, b == (byte)'{');
            }

            if (b == (byte)'"')
            {
                string text = String();
                return text == null ? null : JsonNode.FromString(text);
            }

            int tokenEnd = _pos;
            while (tokenEnd < _end && !IsDelimiter(_buffer[tokenEnd]))
            {
                tokenEnd++;
            }

            JsonNode literal = null;
            if (Is(at, tokenEnd, "true"))
            {
                literal = JsonNode.FromBool(true);
            }
            else if (Is(at, tokenEnd, "false"))
            {
                literal = JsonNode.FromBool(false);
            }
            else if (Is(at, tokenEnd, "null"))
            {
                literal = JsonNode.NewNull();
            }
            else if (tokenEnd > at && IsNumber(at, tokenEnd))
            {
                literal = JsonNode.FromNumberText(Ascii(at, tokenEnd));
            }

            if (literal == null)
            {
                return Unexpected(at, "expected a value (text in double quotes, a number, true, false or null)");
            }

            _pos = tokenEnd;
            return literal;
        }

        // An object or an array (at '{' or '['): members or items separated by commas.
        private JsonNode Container(int depth, bool isObject)
        {
            JsonNode node = isObject ? JsonNode.NewObject() : JsonNode.NewArray();
            byte close = isObject ? (byte)'}' : (byte)']';
            _pos++;
            bool afterComma = false;
            while (true)
            {
                SkipSpace();
                if (_pos >= _end)
                {
                    return Fail(_pos, Unclosed);
                }

                if (_buffer[_pos] == close)
                {
                    if (afterComma)
                    {
                        return Fail(_pos, "a comma with nothing after it");
                    }

                    _pos++;
                    return node;
                }

                string name = null;
                int nameAt = _pos;
                if (isObject)
                {
                    if (_buffer[_pos] != (byte)'"')
                    {
                        return Unexpected(_pos, "expected a name in double quotes");
                    }

                    name = String();
                    SkipSpace();
                    if (name == null || _pos >= _end || _buffer[_pos] != (byte)':')
                    {
                        return name == null ? null : _pos >= _end ? Fail(_pos, Unclosed) : Unexpected(_pos, "expected a : after the name");
                    }

                    _pos++;
                }

                JsonNode value = Value(depth);
                if (value == null)
                {
                    return Within(isObject ? name : "[" + node.Count.ToString() + "]");
                }

                if (!isObject)
                {
                    node.AddItem(value);
                }
                else if (!node.Add(name, value))
                {
                    Fail(nameAt, Duplicate);
                    _path = name;
                    return null;
                }

                SkipSpace();
                if (_pos >= _end)
                {
                    return Fail(_pos, Unclosed);
                }

                afterComma = _buffer[_pos] == (byte)',';
                if (!afterComma && _buffer[_pos] != close)
                {
                    return Unexpected(_pos, "expected a comma or a closing " + (char)close + " (is a comma missing?)");
                }

                if (afterComma)
                {
                    _pos++;
                }
            }
        }

        // The error came from inside a member or item: put its name or index in front of the path
        // of a repeated key ("routes" + "[0].name"), so the path reads as the config writes it.
        private JsonNode Within(string step)
        {
            if (_path != null)
            {
                _path = _path[0] == '[' ? step + _path : step + "." + _path;
            }

            return null;
        }

        private string String()
        {
            int open = _pos;
            _pos++; // "
            int n = 0;
            while (_pos < _end)
            {
                byte b = _buffer[_pos];
                if (b == (byte)'"')
                {
                    _pos++;
                    return new string(_chars, 0, n);
                }

                if (n + 2 > _chars.Length)
                {
                    char[] bigger = new char[_chars.Length * 2];
                    System.Array.Copy(_chars, bigger, n);
                    _chars = bigger;
                }

                if (b < 0x20)
                {
                    Fail(_pos, "a control character (such as a line break) inside text; write it as \\n or \\t");
                    return null;
                }

                if (b < 0x80 && b != (byte)'\\')
                {
                    _chars[n++] = (char)b;
                    _pos++;
                    continue;
                }

                if (b >= 0x80)
                {
                    int codePoint;
                    int length = Utf8.Next(_buffer, _pos, _end, out codePoint);
                    if (length == 0)
                    {
                        Fail(_pos, "a byte that is not UTF-8 text (save the file as UTF-8)");
                        return null;
                    }

                    n = Put(codePoint, n);
                    _pos += length;
                    continue;
                }

                int escape = Escape();
                if (escape < 0)
                {
                    return null;
                }

                n = Put(escape, n);
            }

            Fail(open, "text that is never closed with a double quote");
            return null;
        }

        // Reads the escape at _pos (a backslash); returns the code point, or -1 after Fail.
        private int Escape()
        {
            int at = _pos;
            if (_pos + 1 >= _end)
            {
                Fail(at, "text that is never closed with a double quote");
                return -1;
            }

            byte e = _buffer[_pos + 1];
            _pos += 2;
            int simple = Escapes.IndexOf((char)e); // \" \\ \/ \b \f \n \r \t stand for one character each
            if (simple >= 0)
            {
                return Escaped[simple];
            }

            if (e != (byte)'u')
            {
                Fail(at, "an unknown escape \\" + (e >= 0x20 && e < 0x7F ? ((char)e).ToString() : "?") + " inside text");
                return -1;
            }

            int unit = Hex.Read4(_buffer, _pos, _end);
            if (unit < 0)
            {
                Fail(at, "a \\u escape needs four hex digits");
                return -1;
            }

            _pos += 4;
            if (unit < 0xD800 || unit > 0xDFFF)
            {
                return unit;
            }

            // A surrogate: only a high half followed at once by an escaped low half is a character.
            int low = unit <= 0xDBFF && _pos + 1 < _end && _buffer[_pos] == (byte)'\\' && _buffer[_pos + 1] == (byte)'u'
                ? Hex.Read4(_buffer, _pos + 2, _end) : -1;
            if (low < 0xDC00 || low > 0xDFFF)
            {
                Fail(at, "a \\u escape of half a character (a surrogate, \\ud800 to \\udfff, without its other half): not text, as raw surrogate bytes are not UTF-8");
                return -1;
            }

            _pos += 6;
            return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        }

        private int Put(int codePoint, int n)
        {
            if (codePoint >= 0x10000)
            {
                codePoint -= 0x10000;
                _chars[n++] = (char)(0xD800 + (codePoint >> 10));
                _chars[n++] = (char)(0xDC00 + (codePoint & 0x3FF));
            }
            else
            {
                _chars[n++] = (char)codePoint;
            }

            return n;
        }

        private bool IsNumber(int start, int end)
        {
            int i = start;
            if (_buffer[i] == (byte)'-')
            {
                i++;
            }

            if (i >= end)
            {
                return false;
            }

            if (_buffer[i] == (byte)'0')
            {
                i++;
            }
            else if (!Digits(ref i, end))
            {
                return false;
            }

            if (i < end && _buffer[i] == (byte)'.')
            {
                i++;
                if (!Digits(ref i, end))
                {
                    return false;
                }
            }

            if (i < end && (_buffer[i] == (byte)'e' || _buffer[i] == (byte)'E'))
            {
                i++;
                if (i < end && (_buffer[i] == (byte)'+' || _buffer[i] == (byte)'-'))
                {
                    i++;
                }

                if (!Digits(ref i, end))
                {
                    return false;
                }
            }

            return i == end;
        }

        private bool Digits(ref int i, int end)
        {
            int from = i;
            while (i < end && _buffer[i] >= (byte)'0' && _buffer[i] <= (byte)'9')
            {
                i++;
            }

            return i > from;
        }

        private bool Is(int start, int end, string word)
        {
            if (end - start != word.Length)
            {
                return false;
            }

            for (int i = 0; i < word.Length; i++)
            {
                if (_buffer[start + i] != word[i])
                {
                    return false;
                }
            }

            return true;
        }

        private string Ascii(int start, int end)
        {
            char[] chars = new char[end - start];
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)_buffer[start + i];
            }

            return new string(chars);
        }

        private static bool IsDelimiter(byte b)
        {
            return b == (byte)' ' || b == (byte)'\t' || b == (byte)'\r' || b == (byte)'\n' || b == (byte)','
                || b == (byte)']' || b == (byte)'}' || b == (byte)':' || b == (byte)'[' || b == (byte)'{' || b == (byte)'"';
        }

        private void SkipSpace()
        {
            while (_pos < _end)
            {
                byte b = _buffer[_pos];
                if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r' && b != (byte)'\n')
                {
                    return;
                }

                _pos++;
            }
        }

        // Something other than what was expected at `at`: a byte that is not UTF-8 is named as such.
        private JsonNode Unexpected(int at, string reason)
        {
            int codePoint;
            if (_buffer[at] >= 0x80 && Utf8.Next(_buffer, at, _end, out codePoint) == 0)
            {
                return Fail(at, "a byte that is not UTF-8 text (save the file as UTF-8)");
            }

            return Fail(at, reason);
        }

        private JsonNode Fail(int at, string reason)
        {
            _errorAt = at;
            _reason = reason;
            _path = null;
            return null;
        }
    }
}
