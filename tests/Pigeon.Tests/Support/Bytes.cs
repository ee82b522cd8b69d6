// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
namespace Pigeon.Tests.Support
{
    /// <summary>Small byte helpers for wire-format tests (no Encoding on nanoFramework's mscorlib).</summary>
    public static class Bytes
    {
        /// <summary>ASCII bytes of a string.</summary>
        public static byte[] Ascii(string text)
        {
            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[i] = (byte)text[i];
            }

            return bytes;
        }

        /// <summary>A string made of ASCII bytes.</summary>
        public static string Text(byte[] buffer, int offset, int length)
        {
            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                chars[i] = (char)buffer[offset + i];
            }

            return new string(chars);
        }

        /// <summary>Concatenates two arrays.</summary>
        public static byte[] Concat(byte[] a, byte[] b)
        {
            byte[] result = new byte[a.Length + b.Length];
            System.Array.Copy(a, 0, result, 0, a.Length);
            System.Array.Copy(b, 0, result, a.Length, b.Length);
            return result;
        }

        /// <summary>The first <paramref name="count"/> bytes.</summary>
        public static byte[] Prefix(byte[] a, int count)
        {
            byte[] result = new byte[count];
            System.Array.Copy(a, 0, result, 0, count);
            return result;
        }

        /// <summary>Parses hex ("16 03 01", spaces ignored).</summary>
        public static byte[] Hex(string hex)
        {
            byte[] tmp = new byte[hex.Length / 2];
            int n = 0;
            int high = -1;
            for (int i = 0; i < hex.Length; i++)
            {
                int v = HexValue(hex[i]);
                if (v < 0)
                {
                    continue;
                }

                if (high < 0)
                {
                    high = v;
                }
                else
                {
                    tmp[n++] = (byte)((high << 4) | v);
                    high = -1;
                }
            }

            return Prefix(tmp, n);
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
