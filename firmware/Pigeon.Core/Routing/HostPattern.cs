using Pigeon.Tls;
using Pigeon.Text;

namespace Pigeon.Routing
{
    /// <summary>
    /// One allow-list entry: an exact name ("whatsapp.net") or a suffix wildcard ("*.whatsapp.net",
    /// which matches any name with one or more labels in front of ".whatsapp.net", but not
    /// "whatsapp.net" itself). Compared case-insensitively on bytes: no string per connection.
    /// </summary>
    public sealed class HostPattern
    {
        private readonly byte[] _suffix; // lower case; for a wildcard, includes the leading dot
        private readonly bool _wildcard;

        private HostPattern(byte[] suffix, bool wildcard, string text)
        {
            _suffix = suffix;
            _wildcard = wildcard;
            Text = text;
        }

        /// <summary>The pattern as written in the config.</summary>
        public string Text { get; private set; }

        /// <summary>Parses "name" or "*.name"; null when the syntax is invalid.</summary>
        public static HostPattern Parse(string text)
        {
            if (text == null)
            {
                return null;
            }

            bool wildcard = text.Length > 2 && text[0] == '*' && text[1] == '.';
            string name = wildcard ? text.Substring(2) : text;
            if (!HostName.IsValid(name))
            {
                return null;
            }

            byte[] bytes = Ascii.ToLower(Ascii.GetBytes(wildcard ? text.Substring(1) : text));
            return new HostPattern(bytes, wildcard, text);
        }

        /// <summary>True when the host name in the buffer matches this pattern.</summary>
        public bool Matches(byte[] buffer, int offset, int length)
        {
            if (_wildcard)
            {
                // At least one byte of label before the ".suffix".
                if (length <= _suffix.Length)
                {
                    return false;
                }
            }
            else if (length != _suffix.Length)
            {
                return false;
            }

            int start = offset + length - _suffix.Length;
            for (int i = 0; i < _suffix.Length; i++)
            {
                if (Ascii.ToLower(buffer[start + i]) != _suffix[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
