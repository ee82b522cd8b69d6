using Pigeon.Text;

namespace Pigeon.Portal
{
    /// <summary>
    /// A strict, bounded JSON (RFC 8259) parser for the portal API's request bodies (at most
    /// 4 KB, see <see cref="HttpRequest.MaxBody"/>). Returns null for anything that is not one
    /// well-formed JSON value: no trailing commas, comments, single quotes or NaN; nesting is
    /// capped at <see cref="MaxDepth"/> so a body of 4000 '[' cannot exhaust the board's stack.
    /// </summary>
    /// <remarks>
    /// Why a reader of our own rather than the config codec seam (IConfigCodec): the codec maps a
    /// whole config document onto typed classes (nanoFramework.Json on the board), but API bodies
    /// are small, different shapes (a password, a confirmation, a partial settings patch), and a
    /// patch must tell "key absent" (keep) from "key present" (change), which a typed mapping loses.
    /// </remarks>
    public static class JsonReader
    {
        /// <summary>Deepest nesting accepted.</summary>
        public const int MaxDepth = 8;

        /// <summary>Parses UTF-8 JSON text; null when malformed.</summary>
        public static JsonValue Parse(byte[] buffer, int offset, int count)
        {
            string text = Utf8.Decode(buffer, offset, count);
            return text == null ? null : Parse(text);
        }

        /// <summary>Parses JSON text; null when malformed.</summary>
        public static JsonValue Parse(string text)
        {
            if (text == null)
            {
                return null;
            }

            int pos = 0;
            JsonValue value = ReadValue(text, ref pos, 0);
            if (value == null)
            {
                return null;
            }

            SkipSpace(text, ref pos);
            return pos == text.Length ? value : null;
        }

        private static JsonValue ReadValue(string s, ref int pos, int depth)
        {
            SkipSpace(s, ref pos);
            if (pos >= s.Length)
            {
                return null;
            }

            char c = s[pos];
            switch (c)
            {
                case '{':
                    return depth >= MaxDepth ? null : ReadObject(s, ref pos, depth + 1);
                case '[':
                    return depth >= MaxDepth ? null : ReadArray(s, ref pos, depth + 1);
                case '"':
                    string text = ReadString(s, ref pos);
                    if (text == null)
                    {
                        return null;
                    }

                    JsonValue str = new JsonValue(JsonKind.String);
                    str.Text = text;
                    return str;
                case 't':
                    return Literal(s, ref pos, "true", JsonKind.Bool, true);
                case 'f':
                    return Literal(s, ref pos, "false", JsonKind.Bool, false);
                case 'n':
                    return Literal(s, ref pos, "null", JsonKind.Null, false);
                default:
                    return ReadNumber(s, ref pos);
            }
        }

        private static JsonValue ReadObject(string s, ref int pos, int depth)
        {
            JsonValue obj = new JsonValue(JsonKind.Object);
            pos++; // {
            SkipSpace(s, ref pos);
            if (pos < s.Length && s[pos] == '}')
            {
                pos++;
                return obj;
            }

            while (true)
            {
                SkipSpace(s, ref pos);
                if (pos >= s.Length || s[pos] != '"')
                {
                    return null;
                }

                string name = ReadString(s, ref pos);
                if (name == null)
                {
                    return null;
                }

                SkipSpace(s, ref pos);
                if (pos >= s.Length || s[pos] != ':')
                {
                    return null;
                }

                pos++;
                JsonValue value = ReadValue(s, ref pos, depth);
                if (value == null)
                {
                    return null;
                }

                value.Name = name;
                obj.Add(value);
                SkipSpace(s, ref pos);
                if (pos >= s.Length)
                {
                    return null;
                }

                if (s[pos] == ',')
                {
                    pos++;
                    continue;
                }

                if (s[pos] == '}')
                {
                    pos++;
                    return obj;
                }

                return null;
            }
        }

        private static JsonValue ReadArray(string s, ref int pos, int depth)
        {
            JsonValue array = new JsonValue(JsonKind.Array);
            pos++; // [
            SkipSpace(s, ref pos);
            if (pos < s.Length && s[pos] == ']')
            {
                pos++;
                return array;
            }

            while (true)
            {
                JsonValue value = ReadValue(s, ref pos, depth);
                if (value == null)
                {
                    return null;
                }

                array.Add(value);
                SkipSpace(s, ref pos);
                if (pos >= s.Length)
                {
                    return null;
                }

                if (s[pos] == ',')
                {
                    pos++;
                    continue;
                }

                if (s[pos] == ']')
                {
                    pos++;
                    return array;
                }

                return null;
            }
        }

        private static string ReadString(string s, ref int pos)
        {
            pos++; // opening quote
            char[] chars = null;
            int n = 0;
            while (pos < s.Length)
            {
                char c = s[pos++];
                if (c == '"')
                {
                    return chars == null ? string.Empty : new string(chars, 0, n);
                }

                if (chars == null)
                {
                    chars = new char[s.Length - pos + 1];
                }

                if (c < 0x20)
                {
                    return null; // raw control characters must be escaped (RFC 8259 section 7)
                }

                if (c != '\\')
                {
                    chars[n++] = c;
                    continue;
                }

                if (pos >= s.Length)
                {
                    return null;
                }

                char e = s[pos++];
                switch (e)
                {
                    case '"': chars[n++] = '"'; break;
                    case '\\': chars[n++] = '\\'; break;
                    case '/': chars[n++] = '/'; break;
                    case 'b': chars[n++] = '\b'; break;
                    case 'f': chars[n++] = '\f'; break;
                    case 'n': chars[n++] = '\n'; break;
                    case 'r': chars[n++] = '\r'; break;
                    case 't': chars[n++] = '\t'; break;
                    case 'u':
                        if (pos + 4 > s.Length)
                        {
                            return null;
                        }

                        int code = 0;
                        for (int k = 0; k < 4; k++)
                        {
                            int h = HexValue(s[pos + k]);
                            if (h < 0)
                            {
                                return null;
                            }

                            code = (code << 4) | h;
                        }

                        pos += 4;
                        chars[n++] = (char)code;
                        break;
                    default:
                        return null;
                }
            }

            return null; // no closing quote
        }

        private static JsonValue ReadNumber(string s, ref int pos)
        {
            int start = pos;
            bool negative = false;
            if (pos < s.Length && s[pos] == '-')
            {
                negative = true;
                pos++;
            }

            int digitsStart = pos;
            long value = 0;
            bool overflow = false;
            while (pos < s.Length && s[pos] >= '0' && s[pos] <= '9')
            {
                value = (value * 10) + (s[pos] - '0');
                if (value > 0x80000000L)
                {
                    overflow = true;
                    value = 0x80000000L;
                }

                pos++;
            }

            int digits = pos - digitsStart;
            if (digits == 0 || (digits > 1 && s[digitsStart] == '0'))
            {
                return null; // "-", "", or a leading zero (RFC 8259 section 6)
            }

            bool integer = true;
            if (pos < s.Length && s[pos] == '.')
            {
                integer = false;
                pos++;
                if (!SkipDigits(s, ref pos))
                {
                    return null;
                }
            }

            if (pos < s.Length && (s[pos] == 'e' || s[pos] == 'E'))
            {
                integer = false;
                pos++;
                if (pos < s.Length && (s[pos] == '+' || s[pos] == '-'))
                {
                    pos++;
                }

                if (!SkipDigits(s, ref pos))
                {
                    return null;
                }
            }

            JsonValue number = new JsonValue(JsonKind.Number);
            number.Text = s.Substring(start, pos - start);
            long signed = negative ? -value : value;
            if (integer && !overflow && signed >= int.MinValue && signed <= int.MaxValue)
            {
                number.IsInteger = true;
                number.IntValue = (int)signed;
            }

            return number;
        }

        private static bool SkipDigits(string s, ref int pos)
        {
            int start = pos;
            while (pos < s.Length && s[pos] >= '0' && s[pos] <= '9')
            {
                pos++;
            }

            return pos > start;
        }

        private static JsonValue Literal(string s, ref int pos, string word, JsonKind kind, bool value)
        {
            if (pos + word.Length > s.Length || s.Substring(pos, word.Length) != word)
            {
                return null;
            }

            pos += word.Length;
            JsonValue literal = new JsonValue(kind);
            literal.BoolValue = value;
            return literal;
        }

        private static void SkipSpace(string s, ref int pos)
        {
            while (pos < s.Length && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r'))
            {
                pos++;
            }
        }

        private static int HexValue(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            return -1;
        }
    }
}
