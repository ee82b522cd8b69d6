namespace Pigeon.Routing
{
    /// <summary>
    /// The names a route will carry. Default deny: an empty list matches nothing, so a route that
    /// inspects SNI can never become an open proxy by a missing setting.
    /// </summary>
    public sealed class HostAllowList
    {
        private readonly HostPattern[] _patterns;

        /// <summary>Builds the list from already-parsed patterns.</summary>
        public HostAllowList(HostPattern[] patterns)
        {
            _patterns = patterns ?? new HostPattern[0];
        }

        /// <summary>Parses every pattern; returns null and names the first bad one in <paramref name="error"/>.</summary>
        public static HostAllowList Parse(string[] patterns, out string error)
        {
            error = null;
            if (patterns == null)
            {
                return new HostAllowList(new HostPattern[0]);
            }

            HostPattern[] parsed = new HostPattern[patterns.Length];
            for (int i = 0; i < patterns.Length; i++)
            {
                parsed[i] = HostPattern.Parse(patterns[i]);
                if (parsed[i] == null)
                {
                    error = "\"" + patterns[i] + "\" is not a host name or a \"*.name\" pattern";
                    return null;
                }
            }

            return new HostAllowList(parsed);
        }

        /// <summary>How many patterns the list holds.</summary>
        public int Count
        {
            get { return _patterns.Length; }
        }

        /// <summary>Pattern <paramref name="index"/>.</summary>
        public HostPattern this[int index]
        {
            get { return _patterns[index]; }
        }

        /// <summary>True when any pattern matches the host name in the buffer.</summary>
        public bool Allows(byte[] buffer, int offset, int length)
        {
            for (int i = 0; i < _patterns.Length; i++)
            {
                if (_patterns[i].Matches(buffer, offset, length))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
