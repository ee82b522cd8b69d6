namespace Pigeon.Text
{
    /// <summary>
    /// Comparisons of secrets (password hashes, session and CSRF tokens, the metrics token) that
    /// take the same time wherever the first difference is, so timing tells a guesser nothing.
    /// </summary>
    public static class FixedTime
    {
        /// <summary>True when both hold the same bytes (false when either is null).</summary>
        public static bool Equal(byte[] a, byte[] b)
        {
            if (a == null || b == null || a.Length != b.Length)
            {
                return false;
            }

            int difference = 0;
            for (int i = 0; i < a.Length; i++)
            {
                difference |= a[i] ^ b[i];
            }

            return difference == 0;
        }

        /// <summary>True when both are the same text (false when either is null); the time depends only on <paramref name="expected"/>'s length.</summary>
        public static bool Equal(string actual, string expected)
        {
            if (actual == null || expected == null)
            {
                return false;
            }

            int difference = actual.Length ^ expected.Length;
            for (int i = 0; i < expected.Length; i++)
            {
                char c = i < actual.Length ? actual[i] : (char)0;
                difference |= c ^ expected[i];
            }

            return difference == 0;
        }
    }
}
