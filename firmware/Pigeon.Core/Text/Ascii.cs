namespace Pigeon.Text
{
    /// <summary>
    /// ASCII text to bytes and back. nanoFramework's mscorlib has no Encoding (it lives in a
    /// separate package), and host names are ASCII by definition, so the core converts itself.
    /// </summary>
    public static class Ascii
    {
        /// <summary>The text's bytes, or null when it holds a character above 0x7F.</summary>
        public static byte[] GetBytes(string text)
        {
            if (text == null)
            {
                return null;
            }

            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c > (char)0x7F)
                {
                    return null;
                }

                bytes[i] = (byte)c;
            }

            return bytes;
        }

        /// <summary>Lower-case ASCII copy of the bytes (for patterns prepared once).</summary>
        public static byte[] ToLower(byte[] bytes)
        {
            byte[] lower = new byte[bytes.Length];
            for (int i = 0; i < bytes.Length; i++)
            {
                lower[i] = ToLower(bytes[i]);
            }

            return lower;
        }

        /// <summary>Lower-cases one ASCII letter; other bytes pass unchanged.</summary>
        public static byte ToLower(byte b)
        {
            return (b >= (byte)'A' && b <= (byte)'Z') ? (byte)(b + 32) : b;
        }

        /// <summary>Makes a string of ASCII bytes (allocates: for logs and cache misses only).</summary>
        public static string GetString(byte[] buffer, int offset, int length)
        {
            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                chars[i] = (char)buffer[offset + i];
            }

            return new string(chars);
        }
    }
}
