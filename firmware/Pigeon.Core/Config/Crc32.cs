namespace Pigeon.Config
{
    /// <summary>
    /// CRC-32 (IEEE 802.3, the zlib/PNG one: reflected polynomial 0xEDB88320, init and final XOR
    /// 0xFFFFFFFF; "123456789" gives 0xCBF43926). Detects every single-bit and burst error up to
    /// 32 bits in a stored config copy.
    /// </summary>
    public static class Crc32
    {
        private static readonly uint[] s_table = BuildTable();

        /// <summary>The CRC of <paramref name="count"/> bytes.</summary>
        public static uint Compute(byte[] buffer, int offset, int count)
        {
            uint crc = 0xFFFFFFFF;
            for (int i = offset; i < offset + count; i++)
            {
                crc = s_table[(crc ^ buffer[i]) & 0xFF] ^ (crc >> 8);
            }

            return crc ^ 0xFFFFFFFF;
        }

        private static uint[] BuildTable()
        {
            uint[] table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
