namespace Pigeon.Net
{
    /// <summary>
    /// IPv4 addresses as packed big-endian integers (a.b.c.d = a&lt;&lt;24 | b&lt;&lt;16 | c&lt;&lt;8 | d),
    /// parsed and written without allocating, so the data path can format a PROXY header.
    /// </summary>
    public static class IPv4
    {
        /// <summary>0.0.0.0: listen on every interface.</summary>
        public const uint Any = 0;

        /// <summary>127.0.0.1.</summary>
        public const uint Loopback = 0x7F000001;

        /// <summary>Parses dotted-quad text ("192.0.2.1"); no leading zeros beyond "0", no spaces.</summary>
        public static bool TryParse(string text, out uint address)
        {
            return TryParse(text, null, 0, text == null ? 0 : text.Length, out address);
        }

        /// <summary>
        /// The one dotted-quad parser, over <paramref name="text"/> or, when it is null, ASCII
        /// <paramref name="bytes"/> (a PROXY header, read in place): no allocation either way.
        /// </summary>
        public static bool TryParse(string text, byte[] bytes, int offset, int length, out uint address)
        {
            address = 0;
            if (length < 7 || length > 15)
            {
                return false;
            }

            uint value = 0;
            int octet = 0;
            int digits = 0;
            int parts = 0;
            for (int i = 0; i <= length; i++)
            {
                int c = i == length ? '.' : text != null ? text[i] : bytes[offset + i];
                if (c == '.')
                {
                    if (digits == 0 || octet > 255)
                    {
                        return false;
                    }

                    value = (value << 8) | (uint)octet;
                    parts++;
                    octet = 0;
                    digits = 0;
                    continue;
                }

                // "01": leading zeros read as octal by some stacks; refuse.
                if (c < '0' || c > '9' || (digits > 0 && octet == 0) || ++digits > 3)
                {
                    return false;
                }

                octet = (octet * 10) + (c - '0');
            }

            if (parts != 4)
            {
                return false;
            }

            address = value;
            return true;
        }

        /// <summary>True when the text is a valid dotted-quad address.</summary>
        public static bool IsLiteral(string text)
        {
            uint ignored;
            return TryParse(text, out ignored);
        }

        /// <summary>Writes the address as ASCII digits; returns the bytes written (7..15).</summary>
        public static int Write(uint address, byte[] buffer, int offset)
        {
            int start = offset;
            for (int shift = 24; shift >= 0; shift -= 8)
            {
                offset += WriteDecimal((int)((address >> shift) & 0xFF), buffer, offset);
                if (shift > 0)
                {
                    buffer[offset++] = (byte)'.';
                }
            }

            return offset - start;
        }

        /// <summary>Writes a non-negative integer as ASCII digits; returns the bytes written.</summary>
        public static int WriteDecimal(int value, byte[] buffer, int offset)
        {
            if (value < 0)
            {
                value = 0;
            }

            int digits = 1;
            for (int v = value; v >= 10; v /= 10)
            {
                digits++;
            }

            for (int i = digits - 1; i >= 0; i--)
            {
                buffer[offset + i] = (byte)('0' + (value % 10));
                value /= 10;
            }

            return digits;
        }

        /// <summary>Formats for logs and status pages (allocates; not for the data path).</summary>
        public static string ToText(uint address)
        {
            byte[] text = new byte[15];
            return Pigeon.Text.Ascii.GetString(text, 0, Write(address, text, 0));
        }
    }
}
