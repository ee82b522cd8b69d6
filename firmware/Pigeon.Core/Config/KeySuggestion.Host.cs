namespace Pigeon.Config
{
    /// <summary>
    /// The known key an unknown one was probably meant to be ("maxSesions" -> "maxSessions"), for
    /// the "did you mean" of an unknown-key warning. Letter case alone, or a small edit distance
    /// (insertions, deletions, substitutions and swaps of two neighbours): at most 1 for keys of up
    /// to 5 letters, 2 for longer ones, so a key of a newer firmware is rarely taken for a typo.
    /// Host only (FieldMap.Host.cs): hand-edited files are a server's.
    /// </summary>
    internal static class KeySuggestion
    {
        /// <summary>
        /// The closest of the space-separated <paramref name="known"/> names (" a b c "), or null
        /// when none is close enough. Ties go to the first listed.
        /// </summary>
        public static string Closest(string unknown, string known)
        {
            string[] names = known.Trim().Split(' ');
            string best = null;
            int bestDistance = unknown.Length <= 5 ? 2 : 3; // one more than allowed
            string lower = unknown.ToLower();
            for (int i = 0; i < names.Length; i++)
            {
                string name = names[i];
                if (name.Length == 0 || name == unknown)
                {
                    continue;
                }

                int distance = name.ToLower() == lower ? 0 : Distance(lower, name.ToLower(), bestDistance);
                if (distance < bestDistance)
                {
                    best = name;
                    bestDistance = distance;
                }
            }

            return best;
        }

        // Optimal string alignment distance, stopping early once every cell of a row reaches
        // `limit` (the answer can then only be limit or more). Three rows, no generics.
        private static int Distance(string a, string b, int limit)
        {
            int diff = a.Length - b.Length;
            if (diff >= limit || -diff >= limit)
            {
                return limit;
            }

            int[] before = new int[b.Length + 1];
            int[] previous = new int[b.Length + 1];
            int[] current = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++)
            {
                previous[j] = j;
            }

            for (int i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                int rowMin = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    int value = previous[j - 1] + cost;
                    if (previous[j] + 1 < value)
                    {
                        value = previous[j] + 1;
                    }

                    if (current[j - 1] + 1 < value)
                    {
                        value = current[j - 1] + 1;
                    }

                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && before[j - 2] + 1 < value)
                    {
                        value = before[j - 2] + 1; // two neighbours swapped
                    }

                    current[j] = value;
                    if (value < rowMin)
                    {
                        rowMin = value;
                    }
                }

                if (rowMin >= limit)
                {
                    return limit;
                }

                int[] spare = before;
                before = previous;
                previous = current;
                current = spare;
            }

            return previous[b.Length] < limit ? previous[b.Length] : limit;
        }
    }
}
