namespace Pigeon.Portal
{
    /// <summary>
    /// UTF-8 (RFC 3629) both ways, because nanoFramework's mscorlib has no Encoding. Encoding
    /// never fails (a lone surrogate becomes U+FFFD); decoding refuses overlong forms,
    /// surrogates and code points past U+10FFFF by returning null, so a request body with broken
    /// UTF-8 is a clean 400, not a string with holes.
    /// </summary>
    public static class Utf8
    {
        /// <summary>Bytes <paramref name="text"/> takes in UTF-8.</summary>
        public static int ByteCount(string text)
        {
            int count = 0;
            for (int i = 0; i < text.Length; i++)
            {
                int c = text[i];
                if (c < 0x80)
                {
                    count += 1;
                }
                else if (c < 0x800)
                {
                    count += 2;
                }
                else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.Length && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF)
                {
                    count += 4;
                    i++;
                }
                else
                {
                    count += 3; // BMP, or a lone surrogate written as U+FFFD
                }
            }

            return count;
        }

        /// <summary>Writes <paramref name="text"/> at <paramref name="offset"/>; returns the bytes written.
        /// The buffer must hold <see cref="ByteCount"/> bytes.</summary>
        public static int Encode(string text, byte[] buffer, int offset)
        {
            int start = offset;
            for (int i = 0; i < text.Length; i++)
            {
                int c = text[i];
                if (c < 0x80)
                {
                    buffer[offset++] = (byte)c;
                    continue;
                }

                if (c < 0x800)
                {
                    buffer[offset++] = (byte)(0xC0 | (c >> 6));
                    buffer[offset++] = (byte)(0x80 | (c & 0x3F));
                    continue;
                }

                if (c >= 0xD800 && c <= 0xDFFF)
                {
                    if (c <= 0xDBFF && i + 1 < text.Length && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF)
                    {
                        int cp = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
                        i++;
                        buffer[offset++] = (byte)(0xF0 | (cp >> 18));
                        buffer[offset++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                        buffer[offset++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                        buffer[offset++] = (byte)(0x80 | (cp & 0x3F));
                        continue;
                    }

                    c = 0xFFFD;
                }

                buffer[offset++] = (byte)(0xE0 | (c >> 12));
                buffer[offset++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                buffer[offset++] = (byte)(0x80 | (c & 0x3F));
            }

            return offset - start;
        }

        /// <summary>The UTF-8 bytes of <paramref name="text"/>.</summary>
        public static byte[] GetBytes(string text)
        {
            byte[] bytes = new byte[ByteCount(text)];
            Encode(text, bytes, 0);
            return bytes;
        }

        /// <summary>Decodes strict UTF-8; null when the bytes are not valid UTF-8.</summary>
        public static string Decode(byte[] buffer, int offset, int count)
        {
            if (buffer == null || offset < 0 || count < 0 || offset + count > buffer.Length)
            {
                return null;
            }

            char[] chars = new char[count]; // UTF-16 never needs more units than UTF-8 bytes
            int n = 0;
            int end = offset + count;
            int i = offset;
            while (i < end)
            {
                int b = buffer[i];
                if (b < 0x80)
                {
                    chars[n++] = (char)b;
                    i++;
                    continue;
                }

                int need;
                int cp;
                int min;
                if ((b & 0xE0) == 0xC0)
                {
                    need = 1;
                    cp = b & 0x1F;
                    min = 0x80;
                }
                else if ((b & 0xF0) == 0xE0)
                {
                    need = 2;
                    cp = b & 0x0F;
                    min = 0x800;
                }
                else if ((b & 0xF8) == 0xF0)
                {
                    need = 3;
                    cp = b & 0x07;
                    min = 0x10000;
                }
                else
                {
                    return null; // continuation byte first, or 0xF8..0xFF
                }

                if (i + need >= end)
                {
                    return null;
                }

                for (int k = 1; k <= need; k++)
                {
                    int next = buffer[i + k];
                    if ((next & 0xC0) != 0x80)
                    {
                        return null;
                    }

                    cp = (cp << 6) | (next & 0x3F);
                }

                if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                {
                    return null; // overlong, out of range, or an encoded surrogate (RFC 3629 section 3)
                }

                if (cp >= 0x10000)
                {
                    cp -= 0x10000;
                    chars[n++] = (char)(0xD800 + (cp >> 10));
                    chars[n++] = (char)(0xDC00 + (cp & 0x3FF));
                }
                else
                {
                    chars[n++] = (char)cp;
                }

                i += need + 1;
            }

            return new string(chars, 0, n);
        }
    }
}
