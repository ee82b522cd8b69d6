namespace Pigeon.Net
{
    /// <summary>
    /// The host's part of <see cref="NetAddress"/> (files named *.Host.cs are compiled into
    /// Pigeon.Core on the host only): IPv6 text. A board's firmware has IPv6 off; nothing it is
    /// configured with or hears in a PROXY line is read as IPv6 text there.
    /// </summary>
    public partial struct NetAddress
    {
        // IPv6 in any RFC 4291 §2.2 form, an IPv4 tail included (the IPv4 form is already ruled out).
        static partial void ParseIPv6(byte[] text, int offset, int length, ref NetAddress address, ref bool parsed)
        {
            // Groups are shifted into a 128-bit register as they come; where "::" stood is
            // remembered, and the groups after it are moved down into place at the end.
            ulong high = 0;
            ulong low = 0;
            uint v4;
            int groups = 0;
            int gap = -1;
            int p = offset;
            int end = offset + length;
            if (length >= 2 && text[p] == ':' && text[p + 1] == ':')
            {
                gap = 0;
                p += 2;
            }

            while (p < end)
            {
                int start = p;
                int value = 0;
                int digit;
                while (p < end && p - start < 4 && (digit = HexDigit(text[p])) >= 0)
                {
                    value = (value << 4) | digit;
                    p++;
                }

                int groupsHere = 1;
                if (p < end && text[p] == '.')
                {
                    // A dotted IPv4 tail: the last two groups.
                    if (!Pigeon.Net.IPv4.TryParse(null, text, start, end - start, out v4))
                    {
                        return;
                    }

                    ShiftLeft(ref high, ref low, 16);
                    low |= v4 >> 16;
                    value = (int)(v4 & 0xFFFF);
                    groupsHere = 2;
                    p = end;
                }
                else if (p == start)
                {
                    return;
                }

                ShiftLeft(ref high, ref low, 16);
                low |= (uint)value;
                groups += groupsHere;
                if (groups > 8 || p == end)
                {
                    break;
                }

                if (text[p++] != ':' || p == end)
                {
                    return; // not a separator, or a trailing single ':'
                }

                if (text[p] == ':')
                {
                    if (gap >= 0)
                    {
                        return; // a second "::"
                    }

                    gap = groups;
                    p++;
                }
            }

            if (gap < 0 ? groups != 8 : groups > 7)
            {
                return;
            }

            if (gap >= 0)
            {
                // register = head << 16*tail | tail; wanted: head << 16*(8-gap) | tail.
                int tailBits = 16 * (groups - gap);
                ulong tailHigh = high;
                ulong tailLow = low;
                ShiftLeft(ref tailHigh, ref tailLow, 128 - tailBits);
                ShiftRight(ref tailHigh, ref tailLow, 128 - tailBits);
                ShiftRight(ref high, ref low, tailBits);
                ShiftLeft(ref high, ref low, 16 * (8 - gap));
                high |= tailHigh;
                low |= tailLow;
            }

            address = FromHalves(high, low);
            parsed = true;
        }

        private static int HexDigit(byte c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            c |= 0x20; // ASCII lower case
            return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        }
    }
}
