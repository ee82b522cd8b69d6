namespace Pigeon.Text
{
    /// <summary>
    /// Searches in arrays of text. Not <c>System.Array.IndexOf</c>: on nanoCLR a <c>string[]</c>
    /// slot never assigned is a string with no text behind it, and the interpreter's native search
    /// compares it with <c>strcmp</c> and dies (a hard fault and a reboot on a board). The host gate
    /// refuses <c>Array.IndexOf</c> over any array of a reference type (docs/device.md, "Pitfalls the
    /// gates know").
    /// </summary>
    public static class TextList
    {
        /// <summary>The first index below <paramref name="count"/> holding <paramref name="value"/> (ordinal; null matches null), or -1.</summary>
        public static int IndexOf(string[] items, int count, string value)
        {
            for (int i = 0; i < count; i++)
            {
                string item = items[i];
                if (item == null ? value == null : value != null && item == value)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
