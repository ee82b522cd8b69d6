namespace Pigeon.Net
{
    /// <summary>
    /// An IPv4 or IPv6 address as a value: 128 bits, IPv4 held as its IPv4-mapped IPv6 form
    /// (::ffff:a.b.c.d, RFC 4291 §2.5.5.2), so one compare serves both families. The relay's
    /// client and upstream addresses are these; the all-zero default means "unknown". No
    /// allocation: a struct of two 64-bit halves (nanoFramework has ulong, no generics, no
    /// Span, and nothing that makes a fixed 16-byte buffer cheap).
    /// </summary>
    /// <remarks>
    /// <code>
    ///   High: bits 127..64                Low: bits 63..0
    ///   IPv4 a.b.c.d  0x0000000000000000  0x0000FFFF_aabbccdd
    ///   IPv6          first 8 bytes       last 8 bytes (network order, big-endian)
    /// </code>
    /// Reading IPv6 text is the host's (NetAddress.Host.cs, which the board's assembly leaves
    /// out): a board's firmware has IPv6 off, so on a board <see cref="TryParse(string, out NetAddress)"/>
    /// reads IPv4 alone, while the binary forms and the text it writes are the same on both.
    /// </remarks>
    public partial struct NetAddress
    {
        private const ulong MappedPrefix = 0x0000FFFF00000000;

        // What ClientKey puts above an IPv4 address: ffff:ffff::/32 is reserved (RFC 4291 §2.4
        // leaves it unassigned), so no routable IPv6 /64 can collide with an IPv4 key.
        private const ulong IPv4KeyPrefix = 0xFFFFFFFF00000000;

        private ulong _high;
        private ulong _low;

        /// <summary>The first 64 bits (network order).</summary>
        public ulong High
        {
            get { return _high; }
        }

        /// <summary>The last 64 bits (network order).</summary>
        public ulong Low
        {
            get { return _low; }
        }

        /// <summary>True for the default value: no address known.</summary>
        public bool IsNone
        {
            get { return _high == 0 && _low == 0; }
        }

        /// <summary>True for an IPv4 address (held IPv4-mapped).</summary>
        public bool IsIPv4
        {
            get { return _high == 0 && (_low & 0xFFFFFFFF00000000) == MappedPrefix; }
        }

        /// <summary>The IPv4 address packed big-endian (a &lt;&lt; 24 | ...); 0 when this is not IPv4.</summary>
        public uint IPv4
        {
            get { return IsIPv4 ? (uint)(_low & 0xFFFFFFFF) : 0; }
        }

        /// <summary>
        /// What the per-client caps count by: an IPv4 address whole, an IPv6 address by its /64
        /// (one subscriber's or one host's prefix: a phone changes the lower half at will, RFC 8981).
        /// </summary>
        public ulong ClientKey
        {
            get { return IsIPv4 ? IPv4KeyPrefix | (_low & 0xFFFFFFFF) : _high; }
        }

        /// <summary>True for 127.0.0.0/8 and ::1.</summary>
        public bool IsLoopback
        {
            get { return IsIPv4 ? (IPv4 >> 24) == 127 : _high == 0 && _low == 1; }
        }

        /// <summary>True for 0.0.0.0 and :: (every interface, to a listener).</summary>
        public bool IsAny
        {
            get { return IsIPv4 ? IPv4 == 0 : _high == 0 && _low == 0; }
        }

        /// <summary>An IPv4 address packed big-endian (0.0.0.0 is a real address here: "any").</summary>
        public static NetAddress FromIPv4(uint address)
        {
            NetAddress a = new NetAddress();
            a._low = MappedPrefix | address;
            return a;
        }

        /// <summary>An address from its two halves (network order).</summary>
        public static NetAddress FromHalves(ulong high, ulong low)
        {
            NetAddress a = new NetAddress();
            a._high = high;
            a._low = low;
            return a;
        }

        /// <summary>The 16 bytes of an IPv6 address at <paramref name="offset"/> (an IPv4-mapped one reads as IPv4).</summary>
        public static NetAddress FromIPv6Bytes(byte[] buffer, int offset)
        {
            return FromHalves(ReadHalf(buffer, offset), ReadHalf(buffer, offset + 8));
        }

        /// <summary>True when both hold the same address.</summary>
        public bool SameAs(NetAddress other)
        {
            return _high == other._high && _low == other._low;
        }

        /// <summary>Writes the 16 bytes of the IPv6 form (an IPv4 address as ::ffff:a.b.c.d).</summary>
        public void WriteIPv6Bytes(byte[] buffer, int offset)
        {
            WriteHalf(_high, buffer, offset);
            WriteHalf(_low, buffer, offset + 8);
        }

        /// <summary>
        /// True when this address is inside <paramref name="network"/>/<paramref name="prefixBits"/>,
        /// counted on the 128-bit form (an IPv4 /n is a /96+n there).
        /// </summary>
        public bool IsIn(NetAddress network, int prefixBits)
        {
            if (prefixBits <= 0)
            {
                return true;
            }

            if (prefixBits >= 128)
            {
                return SameAs(network);
            }

            if (prefixBits <= 64)
            {
                ulong mask = prefixBits == 64 ? 0xFFFFFFFFFFFFFFFF : ~(0xFFFFFFFFFFFFFFFF >> prefixBits);
                return (_high & mask) == (network._high & mask);
            }

            ulong lowMask = ~(0xFFFFFFFFFFFFFFFF >> (prefixBits - 64));
            return _high == network._high && (_low & lowMask) == (network._low & lowMask);
        }

        /// <summary>Writes the address as text: dotted IPv4, or IPv6 as RFC 5952 §4 recommends; returns the length (at most 39).</summary>
        public int WriteText(byte[] buffer, int offset)
        {
            if (IsIPv4)
            {
                return Pigeon.Net.IPv4.Write(IPv4, buffer, offset);
            }

            // The longest run of two or more zero groups becomes "::" (the first such run on a tie).
            int bestStart = -1;
            int bestLength = 1;
            int runStart = -1;
            for (int g = 0; g <= 8; g++)
            {
                bool zero = g < 8 && Group(g) == 0;
                if (zero && runStart < 0)
                {
                    runStart = g;
                }
                else if (!zero && runStart >= 0)
                {
                    if (g - runStart > bestLength)
                    {
                        bestStart = runStart;
                        bestLength = g - runStart;
                    }

                    runStart = -1;
                }
            }

            int p = offset;
            for (int g = 0; g < 8; g++)
            {
                if (g == bestStart)
                {
                    buffer[p++] = (byte)':';
                    buffer[p++] = (byte)':';
                    g += bestLength - 1;
                    continue;
                }

                if (g > 0 && g != bestStart + bestLength)
                {
                    buffer[p++] = (byte)':';
                }

                p += WriteGroup(Group(g), buffer, p);
            }

            return p - offset;
        }

        /// <summary>The address as text (for logs and tests; allocates).</summary>
        public override string ToString()
        {
            byte[] text = new byte[40];
            return Pigeon.Text.Ascii.GetString(text, 0, WriteText(text, 0));
        }

        /// <summary>Reads an IPv4 (dotted) or, on the host, IPv6 (RFC 4291 §2.2, with "::" and a dotted tail) address.</summary>
        public static bool TryParse(string text, out NetAddress address)
        {
            address = new NetAddress();
            if (text == null || text.Length == 0 || text.Length > 45)
            {
                return false;
            }

            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[i] = text[i] > 0x7E ? (byte)0 : (byte)text[i];
            }

            return TryParse(bytes, 0, bytes.Length, out address);
        }

        /// <summary>
        /// Reads an address or a CIDR range ("10.0.0.0/8", "2001:db8::/32"; a bare address is its
        /// own /32 or /128) as <paramref name="network"/> and its prefix counted on the 128-bit
        /// form (<see cref="IsIn"/>: an IPv4 /n is a /96+n). Bits set past the prefix are refused,
        /// as they usually mean a mistyped range.
        /// </summary>
        public static bool TryParseRange(string text, out NetAddress network, out int prefixBits)
        {
            prefixBits = 128;
            int slash = text == null ? -1 : text.IndexOf('/');
            if (!TryParse(slash < 0 ? text : text.Substring(0, slash), out network))
            {
                return false;
            }

            if (slash < 0)
            {
                return true;
            }

            int bits;
            string suffix = text.Substring(slash + 1);
            int most = network.IsIPv4 ? 32 : 128;
            if (!Pigeon.Text.Integer.TryParse(suffix, out bits) || bits < 0 || bits > most || suffix.Length > 3)
            {
                return false;
            }

            prefixBits = network.IsIPv4 ? 96 + bits : bits;
            NetAddress clean = new NetAddress();
            clean._high = network._high;
            clean._low = network._low;
            ShiftRight(ref clean._high, ref clean._low, 128 - prefixBits);
            ShiftLeft(ref clean._high, ref clean._low, 128 - prefixBits);
            return clean.SameAs(network);
        }

        /// <summary>
        /// Reads an address from ASCII bytes without allocating: dotted IPv4 (no leading zeros),
        /// or, on the host, IPv6 in any RFC 4291 §2.2 form, an IPv4 tail included. False on
        /// anything else.
        /// </summary>
        public static bool TryParse(byte[] text, int offset, int length, out NetAddress address)
        {
            address = new NetAddress();
            uint v4;
            if (Pigeon.Net.IPv4.TryParse(null, text, offset, length, out v4))
            {
                address = FromIPv4(v4);
                return true;
            }

            bool parsed = false;
            ParseIPv6(text, offset, length, ref address, ref parsed);
            return parsed;
        }

        // IPv6 text (NetAddress.Host.cs); without that file (the board) the call is dropped and
        // only IPv4 text parses.
        static partial void ParseIPv6(byte[] text, int offset, int length, ref NetAddress address, ref bool parsed);

        private int Group(int index)
        {
            ulong half = index < 4 ? _high : _low;
            return (int)((half >> ((3 - (index & 3)) * 16)) & 0xFFFF);
        }

        private static int WriteGroup(int value, byte[] buffer, int offset)
        {
            int p = offset;
            for (int shift = 12; shift >= 0; shift -= 4)
            {
                int digit = (value >> shift) & 0xF;
                if (digit != 0 || p > offset || shift == 0)
                {
                    buffer[p++] = (byte)(digit < 10 ? '0' + digit : 'a' + digit - 10);
                }
            }

            return p - offset;
        }

        // 128-bit shifts of a (high, low) pair by 0..128 bits.
        private static void ShiftLeft(ref ulong high, ref ulong low, int bits)
        {
            if (bits >= 64)
            {
                high = bits >= 128 ? 0 : low << (bits - 64);
                low = 0;
            }
            else if (bits > 0)
            {
                high = (high << bits) | (low >> (64 - bits));
                low <<= bits;
            }
        }

        private static void ShiftRight(ref ulong high, ref ulong low, int bits)
        {
            if (bits >= 64)
            {
                low = bits >= 128 ? 0 : high >> (bits - 64);
                high = 0;
            }
            else if (bits > 0)
            {
                low = (low >> bits) | (high << (64 - bits));
                high >>= bits;
            }
        }

        private static ulong ReadHalf(byte[] buffer, int offset)
        {
            ulong value = 0;
            for (int i = 0; i < 8; i++)
            {
                value = (value << 8) | buffer[offset + i];
            }

            return value;
        }

        private static void WriteHalf(ulong value, byte[] buffer, int offset)
        {
            for (int i = 7; i >= 0; i--)
            {
                buffer[offset + i] = (byte)(value & 0xFF);
                value >>= 8;
            }
        }
    }
}
