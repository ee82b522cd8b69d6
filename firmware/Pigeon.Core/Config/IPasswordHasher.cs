namespace Pigeon.Config
{
    /// <summary>
    /// PBKDF2-HMAC-SHA256 (RFC 8018 section 5.2) as each platform provides it: the host uses
    /// .NET's Rfc2898DeriveBytes.Pbkdf2; the board runs <see cref="Pbkdf2"/> over
    /// nanoFramework's native HMACSHA256 (mbedTLS). Both produce the same bytes.
    /// </summary>
    public interface IPasswordHasher
    {
        /// <summary>Iterations for new hashes (stored in the hash, so either platform verifies either's).</summary>
        int Iterations { get; }

        /// <summary>A new random salt (16 bytes) from the platform's cryptographic random source.</summary>
        byte[] NewSalt();

        /// <summary>PBKDF2-HMAC-SHA256 of the password bytes.</summary>
        byte[] Derive(byte[] password, byte[] salt, int iterations, int length);
    }
}
