namespace Pigeon.Config
{
    /// <summary>
    /// PBKDF2 with HMAC-SHA256 (RFC 8018 section 5.2), for platforms that have HMAC but no PBKDF2
    /// (nanoFramework). The host test checks it against .NET's Rfc2898DeriveBytes.Pbkdf2.
    /// </summary>
    /// <remarks>
    /// <code>
    /// DK = T1 || T2 || ... (first dkLen bytes)
    /// Ti = U1 ^ U2 ^ ... ^ Uc,   U1 = HMAC(P, S || INT32_BE(i)),   Uj = HMAC(P, Uj-1)
    /// </code>
    /// </remarks>
    public static class Pbkdf2
    {
        private const int HashLength = 32;

        /// <summary>Derives <paramref name="length"/> bytes.</summary>
        public static byte[] Derive(IHmacSha256 hmac, byte[] password, byte[] salt, int iterations, int length)
        {
            byte[] result = new byte[length];
            byte[] block = new byte[salt.Length + 4];
            System.Array.Copy(salt, block, salt.Length);
            int blocks = (length + HashLength - 1) / HashLength;
            for (int i = 1; i <= blocks; i++)
            {
                block[salt.Length] = (byte)(i >> 24);
                block[salt.Length + 1] = (byte)(i >> 16);
                block[salt.Length + 2] = (byte)(i >> 8);
                block[salt.Length + 3] = (byte)i;
                byte[] u = hmac.Compute(password, block);
                byte[] t = (byte[])u.Clone();
                for (int j = 1; j < iterations; j++)
                {
                    u = hmac.Compute(password, u);
                    for (int k = 0; k < HashLength; k++)
                    {
                        t[k] ^= u[k];
                    }
                }

                int offset = (i - 1) * HashLength;
                int count = length - offset < HashLength ? length - offset : HashLength;
                System.Array.Copy(t, 0, result, offset, count);
            }

            return result;
        }
    }
}
