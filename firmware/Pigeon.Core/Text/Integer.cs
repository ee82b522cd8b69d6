namespace Pigeon.Text
{
    /// <summary>Whole numbers in decimal text, the one parser for them (no culture, no Int32.Parse surprises on the board).</summary>
    public static class Integer
    {
        /// <summary>
        /// True, with the value, for an optional '-' and 1-10 ASCII digits within the range of an
        /// int ("443", "-12", "007"); false for anything else ("", "-", "+1", "1.0", "1e3", " 1", "2147483648").
        /// </summary>
        public static bool TryParse(string text, out int value)
        {
            value = 0;
            if (text == null || text.Length == 0 || text.Length > 11)
            {
                return false;
            }

            bool negative = text[0] == '-';
            int i = negative ? 1 : 0;
            if (i >= text.Length)
            {
                return false;
            }

            long result = 0;
            for (; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    return false;
                }

                result = (result * 10) + (c - '0');
            }

            if (negative)
            {
                result = -result;
            }

            if (result < int.MinValue || result > int.MaxValue)
            {
                return false;
            }

            value = (int)result;
            return true;
        }
    }
}
