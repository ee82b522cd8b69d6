using Pigeon.Text;

namespace Pigeon.Config
{
    /// <summary>
    /// Writes a <see cref="ConfigNode"/> as indented JSON (RFC 8259), the same bytes on the host
    /// and the board, so both write identical documents. Text is built in a char buffer (no
    /// StringBuilder on the board's mscorlib).
    /// </summary>
    public class ConfigJsonWriter
    {
        private char[] _chars = new char[1024];
        private int _length;

        /// <summary>The document as text, ending with a newline.</summary>
        public static string Write(ConfigNode root)
        {
            ConfigJsonWriter writer = new ConfigJsonWriter();
            writer.Value(root, 0);
            writer.Append('\n');
            return new string(writer._chars, 0, writer._length);
        }

        /// <summary>The document as UTF-8 bytes.</summary>
        public static byte[] WriteUtf8(ConfigNode root)
        {
            return Utf8.GetBytes(Write(root));
        }

        private void Value(ConfigNode node, int depth)
        {
            switch (node.Kind)
            {
                case ConfigNodeKind.Null:
                    Append("null");
                    break;
                case ConfigNodeKind.Boolean:
                case ConfigNodeKind.Number:
                    Append(node.Text);
                    break;
                case ConfigNodeKind.String:
                    Quoted(node.Text);
                    break;
                case ConfigNodeKind.Array:
                    Array(node, depth);
                    break;
                default:
                    Object(node, depth);
                    break;
            }
        }

        private void Array(ConfigNode node, int depth)
        {
            if (node.Count == 0)
            {
                Append("[]");
                return;
            }

            // Arrays of plain values stay on one line ("ntpServers": ["a", "b"]); arrays of objects indent.
            bool flat = true;
            for (int i = 0; i < node.Count; i++)
            {
                ConfigNodeKind kind = node.GetValue(i).Kind;
                if (kind == ConfigNodeKind.Object || kind == ConfigNodeKind.Array)
                {
                    flat = false;
                }
            }

            Append('[');
            for (int i = 0; i < node.Count; i++)
            {
                if (i > 0)
                {
                    Append(',');
                    if (flat)
                    {
                        Append(' ');
                    }
                }

                if (!flat)
                {
                    NewLine(depth + 1);
                }

                Value(node.GetValue(i), depth + 1);
            }

            if (!flat)
            {
                NewLine(depth);
            }

            Append(']');
        }

        private void Object(ConfigNode node, int depth)
        {
            if (node.Count == 0)
            {
                Append("{}");
                return;
            }

            Append('{');
            for (int i = 0; i < node.Count; i++)
            {
                if (i > 0)
                {
                    Append(',');
                }

                NewLine(depth + 1);
                Quoted(node.GetName(i));
                Append(": ");
                Value(node.GetValue(i), depth + 1);
            }

            NewLine(depth);
            Append('}');
        }

        private void NewLine(int depth)
        {
            Append('\n');
            for (int i = 0; i < depth; i++)
            {
                Append("  ");
            }
        }

        // RFC 8259 section 7: quote, backslash and U+0000-001F must be escaped; the rest is
        // written as is (UTF-8). \u escapes use lower-case hex.
        private void Quoted(string text)
        {
            Append('"');
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                switch (c)
                {
                    case '"': Append("\\\""); break;
                    case '\\': Append("\\\\"); break;
                    case '\n': Append("\\n"); break;
                    case '\r': Append("\\r"); break;
                    case '\t': Append("\\t"); break;
                    case '\b': Append("\\b"); break;
                    case '\f': Append("\\f"); break;
                    default:
                        if (c < 0x20)
                        {
                            Append("\\u00");
                            Append(HexDigit(c >> 4));
                            Append(HexDigit(c & 0xF));
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

        private static char HexDigit(int value)
        {
            return (char)(value < 10 ? '0' + value : 'a' + value - 10);
        }

        private void Append(string text)
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
