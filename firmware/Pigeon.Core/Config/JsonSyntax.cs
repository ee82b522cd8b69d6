namespace Pigeon.Config
{
    /// <summary>
    /// A strict RFC 8259 syntax check over UTF-8 bytes, run before either platform's JSON library
    /// (<see cref="ConfigDocument.Precheck"/>), so the host and the board refuse exactly the same
    /// documents with the same message. nanoFramework.Json alone accepts {"a":1,}, a missing comma,
    /// single quotes, TRUE and loose numbers; System.Text.Json does not.
    /// </summary>
    /// <remarks>
    /// <code>
    /// value  = object / array / string / number / "true" / "false" / "null"
    /// object = "{" [ string ":" value *( "," string ":" value ) ] "}"
    /// array  = "[" [ value *( "," value ) ] "]"
    /// number = [ "-" ] ( "0" / 1-9 *DIGIT ) [ "." 1*DIGIT ] [ ( "e" / "E" ) [ "+" / "-" ] 1*DIGIT ]
    /// string = quotation-mark *char quotation-mark   ; no raw U+0000-001F; escapes \" \\ \/ \b \f \n \r \t \uXXXX
    /// </code>
    /// Nesting is bounded by the depth check that runs first (a fixed-size stack here).
    /// </remarks>
    public static class JsonSyntax
    {
        private const int Value = 0;        // a value must come
        private const int ValueOrClose = 1; // after '[': a value or ']'
        private const int KeyOrClose = 2;   // after '{': a key or '}'
        private const int Key = 3;          // after ',' in an object
        private const int Colon = 4;        // after a key
        private const int CommaOrClose = 5; // after a value inside a container
        private const int Done = 6;         // after the top-level value

        /// <summary>
        /// True when the bytes are one well-formed JSON value (with optional whitespace around);
        /// otherwise <paramref name="errorOffset"/> (from <paramref name="start"/>) and a plain
        /// <paramref name="reason"/>.
        /// </summary>
        public static bool Check(byte[] buffer, int start, int end, out int errorOffset, out string reason)
        {
            bool[] isObject = new bool[ConfigDefaults.MaxDocumentDepth + 2];
            int depth = 0;
            int state = Value;
            int i = start;
            errorOffset = 0;
            reason = null;
            while (i < end)
            {
                byte b = buffer[i];
                if (b == ' ' || b == '\t' || b == '\r' || b == '\n')
                {
                    i++;
                    continue;
                }

                errorOffset = i - start;
                if (state == Done)
                {
                    reason = "there is more text after the end of the config's closing }";
                    return false;
                }

                if (b == '{' || b == '[')
                {
                    if (state != Value && state != ValueOrClose)
                    {
                        reason = Expected(state);
                        return false;
                    }

                    if (depth + 1 >= isObject.Length)
                    {
                        reason = "it nests too deep";
                        return false;
                    }

                    depth++;
                    isObject[depth] = b == '{';
                    state = b == '{' ? KeyOrClose : ValueOrClose;
                    i++;
                }
                else if (b == '}' || b == ']')
                {
                    bool closesObject = b == '}';
                    bool allowed = closesObject ? (state == KeyOrClose || state == CommaOrClose) : (state == ValueOrClose || state == CommaOrClose);
                    if (!allowed || depth == 0 || isObject[depth] != closesObject)
                    {
                        reason = state == Key || state == Value ? "a comma with nothing after it" : "a " + (char)b + " that does not close anything here";
                        return false;
                    }

                    depth--;
                    state = depth == 0 ? Done : CommaOrClose;
                    i++;
                }
                else if (b == ',')
                {
                    if (state != CommaOrClose)
                    {
                        reason = Expected(state);
                        return false;
                    }

                    state = isObject[depth] ? Key : Value;
                    i++;
                }
                else if (b == ':')
                {
                    if (state != Colon)
                    {
                        reason = Expected(state);
                        return false;
                    }

                    state = Value;
                    i++;
                }
                else if (b == '"')
                {
                    bool isKey = state == KeyOrClose || state == Key;
                    if (!isKey && state != Value && state != ValueOrClose)
                    {
                        reason = Expected(state);
                        return false;
                    }

                    int next = SkipString(buffer, i, end, out reason);
                    if (next < 0)
                    {
                        return false;
                    }

                    i = next;
                    state = isKey ? Colon : AfterValue(depth);
                }
                else
                {
                    if (state != Value && state != ValueOrClose)
                    {
                        reason = Expected(state);
                        return false;
                    }

                    int tokenEnd = i;
                    while (tokenEnd < end && IsTokenByte(buffer[tokenEnd]))
                    {
                        tokenEnd++;
                    }

                    if (tokenEnd == i || !IsLiteral(buffer, i, tokenEnd))
                    {
                        reason = "expected a value (text in double quotes, a number, true, false or null)";
                        return false;
                    }

                    i = tokenEnd;
                    state = AfterValue(depth);
                }
            }

            errorOffset = end - start;
            if (state != Done)
            {
                reason = depth > 0 ? "it ends before every { and [ is closed" : "it is empty";
                return false;
            }

            return true;
        }

        private static int AfterValue(int depth)
        {
            return depth == 0 ? Done : CommaOrClose;
        }

        private static string Expected(int state)
        {
            switch (state)
            {
                case Colon: return "expected a : after the key";
                case CommaOrClose: return "expected a comma or a closing bracket (is a comma missing?)";
                case Key:
                case KeyOrClose: return "expected a key in double quotes";
                default: return "expected a value";
            }
        }

        private static bool IsTokenByte(byte b)
        {
            return !(b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '{' || b == '}' || b == '[' || b == ']'
                || b == ',' || b == ':' || b == '"');
        }

        // Returns the offset after the closing quote, or -1.
        private static int SkipString(byte[] buffer, int open, int end, out string reason)
        {
            reason = null;
            int i = open + 1;
            while (i < end)
            {
                byte b = buffer[i];
                if (b == '"')
                {
                    return i + 1;
                }

                if (b < 0x20)
                {
                    reason = "a control character (such as a line break) inside text; write it as \\n or \\t";
                    return -1;
                }

                if (b == '\\')
                {
                    if (i + 1 >= end)
                    {
                        break;
                    }

                    byte e = buffer[i + 1];
                    if (e == 'u')
                    {
                        for (int k = 2; k < 6; k++)
                        {
                            if (i + k >= end || HexValue(buffer[i + k]) < 0)
                            {
                                reason = "a \\u escape needs four hex digits";
                                return -1;
                            }
                        }

                        i += 6;
                        continue;
                    }

                    if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't')
                    {
                        reason = "an unknown escape \\" + (char)e + " inside text";
                        return -1;
                    }

                    i += 2;
                    continue;
                }

                i++;
            }

            reason = "text that is never closed with a double quote";
            return -1;
        }

        /// <summary>The value of a hex digit, or -1.</summary>
        public static int HexValue(byte b)
        {
            if (b >= '0' && b <= '9')
            {
                return b - '0';
            }

            if (b >= 'a' && b <= 'f')
            {
                return b - 'a' + 10;
            }

            if (b >= 'A' && b <= 'F')
            {
                return b - 'A' + 10;
            }

            return -1;
        }

        private static bool IsLiteral(byte[] buffer, int start, int end)
        {
            int length = end - start;
            if (Is(buffer, start, length, "true") || Is(buffer, start, length, "false") || Is(buffer, start, length, "null"))
            {
                return true;
            }

            int i = start;
            if (buffer[i] == '-')
            {
                i++;
            }

            if (i >= end)
            {
                return false;
            }

            if (buffer[i] == '0')
            {
                i++;
            }
            else if (buffer[i] >= '1' && buffer[i] <= '9')
            {
                while (i < end && buffer[i] >= '0' && buffer[i] <= '9')
                {
                    i++;
                }
            }
            else
            {
                return false;
            }

            if (i < end && buffer[i] == '.')
            {
                i++;
                int digits = i;
                while (i < end && buffer[i] >= '0' && buffer[i] <= '9')
                {
                    i++;
                }

                if (i == digits)
                {
                    return false;
                }
            }

            if (i < end && (buffer[i] == 'e' || buffer[i] == 'E'))
            {
                i++;
                if (i < end && (buffer[i] == '+' || buffer[i] == '-'))
                {
                    i++;
                }

                int digits = i;
                while (i < end && buffer[i] >= '0' && buffer[i] <= '9')
                {
                    i++;
                }

                if (i == digits)
                {
                    return false;
                }
            }

            return i == end;
        }

        private static bool Is(byte[] buffer, int start, int length, string word)
        {
            if (length != word.Length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if (buffer[start + i] != word[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
