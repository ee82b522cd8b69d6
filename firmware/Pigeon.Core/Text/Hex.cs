namespace Pigeon.Text
{
    /// <summary>
    /// Hexadecimal digits, the one place for them: JSON's \uXXXX escapes, HTTP chunk sizes,
    /// session tokens and percent-encoding all read or write them.
    /// </summary>
    public static class Hex
    {
        private const string Lower = "0123456789abcdef";
        private const string Upper = "0123456789ABCDEF";

        /// <summary>The value of a hex digit (either case), or -1.</summary>
        public static int Value(int c)
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

        /// <summary>Four hex digits at <paramref name="offset"/> as a number; -1 when one is not a hex digit or the buffer ends first.</summary>
        public static int Read4(byte[] buffer, int offset, int end)
        {
            if (end - offset < 4)
            {
                return -1;
            }

            int value = 0;
            for (int i = offset; i < offset + 4; i++)
            {
                int digit = Value(buffer[i]);
                if (digit < 0)
                {
                    return -1;
                }

                value = (value << 4) | digit;
            }

            return value;
        }

        /// <summary>The lower-case digit of the low four bits of <paramref name="value"/>.</summary>
        public static char Digit(int value)
        {
            return Lower[value & 0xF];
        }

        /// <summary>The upper-case digit of the low four bits (percent-encoding, RFC 3986 section 2.1).</summary>
        public static char UpperDigit(int value)
        {
            return Upper[value & 0xF];
        }
    }
}
