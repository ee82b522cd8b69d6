using System.Security.Cryptography;
using Pigeon.Config;

namespace Pigeon.Host
{
    /// <summary>
    /// The host's admin-password hasher: .NET's PBKDF2-HMAC-SHA256 (Rfc2898DeriveBytes.Pbkdf2)
    /// with 600 000 iterations (OWASP Password Storage Cheat Sheet, 2023, for PBKDF2-HMAC-SHA256)
    /// and a 16-byte salt from the OS's cryptographic random source.
    /// </summary>
    public sealed class Pbkdf2PasswordHasher : IPasswordHasher
    {
        /// <summary>Iterations for new hashes on the host.</summary>
        public const int DefaultIterations = 600000;

        private readonly int _iterations;

        /// <summary>A hasher with <see cref="DefaultIterations"/>.</summary>
        public Pbkdf2PasswordHasher()
            : this(DefaultIterations)
        {
        }

        /// <summary>A hasher with a chosen iteration count (tests use fewer).</summary>
        public Pbkdf2PasswordHasher(int iterations)
        {
            _iterations = iterations;
        }

        /// <inheritdoc />
        public int Iterations
        {
            get { return _iterations; }
        }

        /// <inheritdoc />
        public byte[] NewSalt()
        {
            return RandomNumberGenerator.GetBytes(16);
        }

        /// <inheritdoc />
        public byte[] Derive(byte[] password, byte[] salt, int iterations, int length)
        {
            return Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, length);
        }
    }
}
