using System;
using System.Collections;
using nanoFramework.Json;
using Pigeon.Config;
using Pigeon.Text;

namespace Pigeon.Device.Config
{
    /// <summary>
    /// The board's config codec: nanoFramework.Json parses the document into Hashtable/ArrayList
    /// values, which become a <see cref="ConfigNode"/> tree; the shared core migrates, maps and
    /// writes (the same bytes as the host).
    /// </summary>
    /// <remarks>
    /// nanoFramework.Json (1.2.x) needs three guards, all applied here:
    /// - it turns any string of 18+ characters that parses as a date into a DateTime (an SSID or a
    ///   password could), and a date-like key into a parse error. Every double-quoted string is
    ///   therefore given a leading raw U+0001 and '~' before parsing (its lexer copies it as is),
    ///   and the mark is removed after; a string without the mark was single-quoted, which JSON
    ///   does not allow, and is refused. (Not a "\u0001" escape: its \u decoder drops a digit,
    ///   '-', '+', '.' or 'e' that follows an escape.)
    /// - it recurses per nesting level: <see cref="ConfigDocument.Precheck"/> caps depth and size
    ///   before it runs.
    /// - a repeated key throws (Hashtable.Add); that is caught and reported. Member order is not
    ///   kept (Hashtable), which is why the core writes unknown keys sorted.
    /// - its own syntax checks are loose ({"a":1,}, TRUE, single quotes pass): the core's
    ///   <see cref="JsonSyntax"/> check runs first, so the board refuses what the host refuses.
    /// - its \u decoder drops the first hex digit and eats a digit that follows the escape, and
    ///   "\/" throws: escapes are decoded here before it sees the text.
    /// Known differences from the host (docs/config.md): a character outside the Basic
    /// Multilingual Plane (an emoji) keeps only its first UTF-16 half (its lexer's UTF-8 decoding);
    /// an array directly inside an array is refused.
    /// </remarks>
    public sealed class NanoJsonConfigCodec : IConfigCodec
    {
        // U+0001 then '~': no date parser takes a string that starts with these (.NET's lenient
        // DateTime.TryParse skips a lone control character, so U+0001 alone was not enough).
        private const string Mark = "\u0001~";

        /// <inheritdoc />
        public ConfigNode ParseTree(byte[] buffer, int offset, int count, ValidationReport report)
        {
            int body;
            if (!ConfigDocument.Precheck(buffer, offset, count, report, out body))
            {
                return null;
            }

            int end = offset + count;
            int first = body;
            while (first < end && (buffer[first] == ' ' || buffer[first] == '\t' || buffer[first] == '\r' || buffer[first] == '\n'))
            {
                first++;
            }

            if (first >= end || buffer[first] != '{')
            {
                report.AddError(ValidationReport.DocumentPath, first >= end ? "The config is empty." : "The config must be a JSON object: { ... }.");
                return null;
            }

            byte[] marked = MarkStrings(buffer, body, end);
            string text = Utf8.Decode(marked, 0, marked.Length);
            object root;
            try
            {
                root = JsonConvert.DeserializeObject(text, typeof(Hashtable));
            }
            catch (Exception)
            {
                report.AddError(ValidationReport.DocumentPath, "The config is not valid JSON, or a key appears twice in one { }.");
                return null;
            }

            string bad = null;
            ConfigNode tree = Convert(root, ref bad);
            if (bad != null || tree == null || tree.Kind != ConfigNodeKind.Object)
            {
                report.AddError(ValidationReport.DocumentPath, "The config is not valid JSON" + (bad == null ? "." : ": " + bad));
                return null;
            }

            return tree;
        }

        /// <inheritdoc />
        public PigeonConfig Read(byte[] buffer, int offset, int count, bool device, ValidationReport report)
        {
            int version;
            return ConfigCodec.Read(this, buffer, offset, count, device, report, out version);
        }

        /// <inheritdoc />
        public byte[] Write(PigeonConfig config)
        {
            return ConfigCodec.Write(config);
        }

        // Copies the (already syntax-checked) document with the mark (0x01 '~') after every opening double
        // quote, and with \uXXXX and \/ escapes inside strings replaced by the characters' own
        // UTF-8 bytes (nanoFramework.Json mis-decodes \u and refuses \/). \u0022 and \u005C
        // stay escaped as \" and \\.
        private static byte[] MarkStrings(byte[] buffer, int start, int end)
        {
            int quotes = 0;
            for (int i = start; i < end; i++)
            {
                if (buffer[i] == '"')
                {
                    quotes++;
                }
            }

            byte[] marked = new byte[(end - start) + (quotes * Mark.Length)];
            int n = 0;
            bool inString = false;
            for (int i = start; i < end; i++)
            {
                byte b = buffer[i];
                if (!inString)
                {
                    marked[n++] = b;
                    if (b == '"')
                    {
                        inString = true;
                        marked[n++] = (byte)Mark[0];
                        marked[n++] = (byte)Mark[1];
                    }

                    continue;
                }

                if (b == '"')
                {
                    marked[n++] = b;
                    inString = false;
                }
                else if (b == '\\' && buffer[i + 1] == '/')
                {
                    marked[n++] = (byte)'/';
                    i++;
                }
                else if (b == '\\' && buffer[i + 1] == 'u')
                {
                    int codePoint = Hex4(buffer, i + 2);
                    i += 5;
                    if (codePoint >= 0xD800 && codePoint <= 0xDBFF && i + 6 < end && buffer[i + 1] == '\\' && buffer[i + 2] == 'u')
                    {
                        int low = Hex4(buffer, i + 3);
                        if (low >= 0xDC00 && low <= 0xDFFF)
                        {
                            codePoint = 0x10000 + ((codePoint - 0xD800) << 10) + (low - 0xDC00);
                            i += 6;
                        }
                    }

                    if (codePoint == '"' || codePoint == '\\')
                    {
                        marked[n++] = (byte)'\\';
                        marked[n++] = (byte)codePoint;
                    }
                    else
                    {
                        byte[] bytes = Utf8.GetBytes(CodePointText(codePoint));
                        Array.Copy(bytes, 0, marked, n, bytes.Length);
                        n += bytes.Length;
                    }
                }
                else if (b == '\\')
                {
                    marked[n++] = b;
                    marked[n++] = buffer[++i];
                }
                else
                {
                    marked[n++] = b;
                }
            }

            byte[] result = new byte[n];
            Array.Copy(marked, result, n);
            return result;
        }

        private static int Hex4(byte[] buffer, int offset)
        {
            return (JsonSyntax.HexValue(buffer[offset]) << 12) | (JsonSyntax.HexValue(buffer[offset + 1]) << 8)
                | (JsonSyntax.HexValue(buffer[offset + 2]) << 4) | JsonSyntax.HexValue(buffer[offset + 3]);
        }

        private static string CodePointText(int codePoint)
        {
            if (codePoint >= 0x10000)
            {
                codePoint -= 0x10000;
                return new string(new char[] { (char)(0xD800 + (codePoint >> 10)), (char)(0xDC00 + (codePoint & 0x3FF)) });
            }

            return new string((char)codePoint, 1);
        }

        private static ConfigNode Convert(object value, ref string bad)
        {
            if (value == null)
            {
                return ConfigNode.NewNull();
            }

            if (value is string)
            {
                string s = (string)value;
                if (!s.StartsWith(Mark))
                {
                    bad = "text must be in double quotes";
                    return null;
                }

                return ConfigNode.FromString(s.Substring(Mark.Length));
            }

            if (value is bool)
            {
                return ConfigNode.FromBool((bool)value);
            }

            if (value is int || value is long || value is ulong || value is double)
            {
                return ConfigNode.FromNumberText(value.ToString());
            }

            if (value is Hashtable)
            {
                Hashtable table = (Hashtable)value;
                ConfigNode obj = ConfigNode.NewObject();
                foreach (DictionaryEntry entry in table)
                {
                    string key = entry.Key as string;
                    if (key == null || !key.StartsWith(Mark))
                    {
                        bad = "keys must be text in double quotes";
                        return null;
                    }

                    ConfigNode member = Convert(entry.Value, ref bad);
                    if (member == null)
                    {
                        return null;
                    }

                    obj.Add(key.Substring(Mark.Length), member);
                }

                return obj;
            }

            if (value is ArrayList)
            {
                ArrayList list = (ArrayList)value;
                ConfigNode array = ConfigNode.NewArray();
                for (int i = 0; i < list.Count; i++)
                {
                    ConfigNode item = Convert(list[i], ref bad);
                    if (item == null)
                    {
                        return null;
                    }

                    array.AddItem(item);
                }

                return array;
            }

            bad = "unexpected value";
            return null;
        }
    }
}
