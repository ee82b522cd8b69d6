using Pigeon.Net;
using Pigeon.Text;

namespace Pigeon.Tls
{
    /// <summary>
    /// Host-name syntax as the relay accepts it in SNI and in its config: ASCII letters, digits,
    /// '-' and '_' in dot-separated labels of 1..63 bytes, 1..253 bytes in all, no trailing dot
    /// (RFC 6066 §3: "HostName ... without a trailing dot"). Checked on bytes, without allocating.
    /// </summary>
    public static class HostName
    {
        /// <summary>True when the bytes are a syntactically valid host name.</summary>
        public static bool IsValid(byte[] buffer, int offset, int length)
        {
            if (buffer == null || length < 1 || length > ClientHelloReader.MaxHostLength
                || offset < 0 || offset > buffer.Length - length)
            {
                return false;
            }

            int label = 0;
            for (int i = offset; i < offset + length; i++)
            {
                byte b = buffer[i];
                if (b == (byte)'.')
                {
                    if (label == 0)
                    {
                        return false; // leading dot or ".."
                    }

                    label = 0;
                    continue;
                }

                if (!IsHostByte(b))
                {
                    return false; // NUL, space, '/', ':', non-ASCII ...
                }

                label++;
                if (label > 63)
                {
                    return false;
                }
            }

            return label > 0; // a trailing dot leaves an empty last label
        }

        /// <summary>True when the text is a valid host name (same rules as the bytes form).</summary>
        public static bool IsValid(string text)
        {
            if (text == null || text.Length < 1 || text.Length > ClientHelloReader.MaxHostLength)
            {
                return false;
            }

            byte[] bytes = Ascii.GetBytes(text);
            return bytes != null && IsValid(bytes, 0, bytes.Length);
        }

        /// <summary>
        /// True for a host name or an IPv4 address ("pool.ntp.org", "192.168.1.1"): the one check
        /// wherever the config names a host (upstreams, fallbacks, NTP servers, the public host).
        /// </summary>
        public static bool IsHostOrIPv4(string text)
        {
            return text != null && (IPv4.IsLiteral(text) || IsValid(text));
        }

        /// <summary>
        /// True when the name could be read as an address rather than a name: its last label does
        /// not start with a letter. That covers IPv4 literals ("127.0.0.1", which RFC 6066 §3
        /// forbids in SNI), the short and hex forms resolvers still accept ("127.1", "0x7f.1"), and
        /// all-numeric top-level labels, which no real domain has (RFC 3696 §2). The relay never
        /// dials such a name.
        /// </summary>
        public static bool IsAddressLike(byte[] buffer, int offset, int length)
        {
            int last = offset;
            for (int i = offset; i < offset + length; i++)
            {
                if (buffer[i] == (byte)'.')
                {
                    last = i + 1;
                }
            }

            if (last >= offset + length)
            {
                return true; // empty last label: not a name
            }

            byte b = buffer[last];
            return !((b >= (byte)'a' && b <= (byte)'z') || (b >= (byte)'A' && b <= (byte)'Z'));
        }

        /// <summary>A byte allowed inside a label.</summary>
        public static bool IsHostByte(byte b)
        {
            return (b >= (byte)'a' && b <= (byte)'z') || (b >= (byte)'A' && b <= (byte)'Z')
                || (b >= (byte)'0' && b <= (byte)'9') || b == (byte)'-' || b == (byte)'_';
        }
    }
}
