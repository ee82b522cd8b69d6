namespace Pigeon.Text
{
    /// <summary>
    /// Strict UTF-8 (RFC 3629) without System.Text, which the board's mscorlib lacks; the one
    /// codec the JSON reader and writer, the config store and the portal share. Decoding refuses
    /// overlong forms, surrogates (U+D800-DFFF), code points above U+10FFFF and cut sequences.
    /// </summary>
    /// <remarks>
    /// <code>
    /// 0xxxxxxx                             U+0000-007F
    /// 110xxxxx 10xxxxxx                    U+0080-07FF
    /// 1110xxxx 10xxxxxx 10xxxxxx           U+0800-FFFF (not D800-DFFF)
    /// 11110xxx 10xxxxxx 10xxxxxx 10xxxxxx  U+10000-10FFFF (two UTF-16 chars)
    /// </code>
    /// </remarks>
    public static class Utf8
    {
        /// <summary>
        /// Length of the valid sequence at <paramref name="offset"/> (1-4), its code point in
        /// <paramref name="codePoint"/>; 0 when the bytes there are not valid UTF-8.
        /// </summary>
        public static int Next(byte[] buffer, int offset, int end, out int codePoint)
        {
            codePoint = 0;
            if (offset >= end)
            {
                return 0;
            }

            int b0 = buffer[offset];
            int length;
            int min;
            if (b0 < 0x80)
            {
                codePoint = b0;
                return 1;
            }
            else if ((b0 & 0xE0) == 0xC0)
            {
                length = 2;
                min = 0x80;
                codePoint = b0 & 0x1F;
            }
            else if ((b0 & 0xF0) == 0xE0)
            {
                length = 3;
                min = 0x800;
                codePoint = b0 & 0x0F;
            }
            else if ((b0 & 0xF8) == 0xF0)
            {
                length = 4;
                min = 0x10000;
                codePoint = b0 & 0x07;
            }
            else
            {
                return 0;
            }

            if (end - offset < length)
            {
                return 0;
            }

            for (int i = 1; i < length; i++)
            {
                int b = buffer[offset + i];
                if ((b & 0xC0) != 0x80)
                {
                    return 0;
                }

                codePoint = (codePoint << 6) | (b & 0x3F);
            }

            if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            {
                return 0;
            }

            return length;
        }

        /// <summary>Offset of the first invalid byte, or -1 when all <paramref name="count"/> bytes are valid UTF-8.</summary>
        public static int FindInvalid(byte[] buffer, int offset, int count)
        {
            int end = offset + count;
            int i = offset;
            while (i < end)
            {
                int codePoint;
                int n = Next(buffer, i, end, out codePoint);
                if (n == 0)
                {
                    return i - offset;
                }

                i += n;
            }

            return -1;
        }

        /// <summary>Decodes valid UTF-8; null when the bytes are not valid UTF-8.</summary>
        public static string Decode(byte[] buffer, int offset, int count)
        {
            char[] chars = new char[count * 2]; // 4 bytes -> 2 chars at most, so never more chars than 2x bytes
            int n = 0;
            int end = offset + count;
            int i = offset;
            while (i < end)
            {
                int codePoint;
                int length = Next(buffer, i, end, out codePoint);
                if (length == 0)
                {
                    return null;
                }

                if (codePoint >= 0x10000)
                {
                    codePoint -= 0x10000;
                    chars[n++] = (char)(0xD800 + (codePoint >> 10));
                    chars[n++] = (char)(0xDC00 + (codePoint & 0x3FF));
                }
                else
                {
                    chars[n++] = (char)codePoint;
                }

                i += length;
            }

            return new string(chars, 0, n);
        }

        /// <summary>UTF-8 bytes of a string; an unpaired surrogate becomes U+FFFD.</summary>
        public static byte[] GetBytes(string text)
        {
            byte[] bytes = new byte[ByteCount(text)];
            Encode(text, bytes, 0);
            return bytes;
        }

        /// <summary>Writes <paramref name="text"/> at <paramref name="offset"/>; returns the bytes
        /// written. The buffer must hold <see cref="ByteCount"/> bytes from there.</summary>
        public static int Encode(string text, byte[] bytes, int offset)
        {
            int n = offset;
            for (int i = 0; i < text.Length; i++)
            {
                int c = CodePointAt(text, i);
                if (c >= 0x10000)
                {
                    i++;
                }

                n += EncodeCodePoint(c, bytes, n);
            }

            return n - offset;
        }

        /// <summary>Writes one code point (1-4 bytes) at <paramref name="offset"/>; returns the bytes written.</summary>
        public static int EncodeCodePoint(int c, byte[] bytes, int offset)
        {
            if (c < 0x80)
            {
                bytes[offset] = (byte)c;
                return 1;
            }

            if (c < 0x800)
            {
                bytes[offset] = (byte)(0xC0 | (c >> 6));
                bytes[offset + 1] = (byte)(0x80 | (c & 0x3F));
                return 2;
            }

            if (c < 0x10000)
            {
                bytes[offset] = (byte)(0xE0 | (c >> 12));
                bytes[offset + 1] = (byte)(0x80 | ((c >> 6) & 0x3F));
                bytes[offset + 2] = (byte)(0x80 | (c & 0x3F));
                return 3;
            }

            bytes[offset] = (byte)(0xF0 | (c >> 18));
            bytes[offset + 1] = (byte)(0x80 | ((c >> 12) & 0x3F));
            bytes[offset + 2] = (byte)(0x80 | ((c >> 6) & 0x3F));
            bytes[offset + 3] = (byte)(0x80 | (c & 0x3F));
            return 4;
        }

        /// <summary>How many bytes <see cref="GetBytes"/> makes (an SSID is limited in bytes, not characters).</summary>
        public static int ByteCount(string text)
        {
            int count = 0;
            for (int i = 0; i < text.Length; i++)
            {
                int c = CodePointAt(text, i);
                if (c >= 0x10000)
                {
                    i++;
                    count += 4;
                }
                else
                {
                    count += c < 0x80 ? 1 : (c < 0x800 ? 2 : 3);
                }
            }

            return count;
        }

        /// <summary>
        /// The code point at <paramref name="i"/>: a surrogate pair gives one code point (the
        /// caller skips the low half), an unpaired surrogate U+FFFD.
        /// </summary>
        public static int CodePointAt(string text, int i)
        {
            char c = text[i];
            if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.Length && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF)
            {
                return 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
            }

            if (c >= 0xD800 && c <= 0xDFFF)
            {
                return 0xFFFD;
            }

            return c;
        }
    }
}
