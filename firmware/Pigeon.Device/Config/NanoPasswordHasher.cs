using System;
using System.Security.Cryptography;
using Pigeon.Config;

namespace Pigeon.Device.Config
{
    /// <summary>
    /// The board's admin-password hasher: PBKDF2-HMAC-SHA256 (<see cref="Pbkdf2"/>, RFC 8018)
    /// over nanoFramework.System.Security.Cryptography's HMACSHA256.HashData, which runs natively
    /// (mbedTLS) in the ESP32 firmware. The loop around it is interpreted, so the iteration count
    /// is far below the host's (docs/config.md, "Admin password").
    /// </summary>
    public sealed class NanoPasswordHasher : IPasswordHasher, IHmacSha256
    {
        /// <summary>
        /// Iterations for hashes made on the board. An estimate, not a measurement: one native
        /// HMAC plus a 32-byte XOR loop in the interpreter per iteration, on the order of 0.1 ms,
        /// so about a second per login. Hashes carry their count, so a host-made hash (600 000)
        /// still verifies here, slowly.
        /// </summary>
        public const int DefaultIterations = 10000;

        /// <inheritdoc />
        public int Iterations
        {
            get { return DefaultIterations; }
        }

        /// <summary>
        /// 16 bytes from System.Random mixed with the clock through HMAC-SHA256. A salt must be
        /// unique, not secret; whether nanoCLR's Random draws on the ESP32's hardware RNG was not
        /// verified here, so the clock is mixed in as well.
        /// </summary>
        public byte[] NewSalt()
        {
            byte[] key = new byte[32];
            new Random().NextBytes(key);
            byte[] ticks = BitConverter.GetBytes(DateTime.UtcNow.Ticks);
            byte[] mixed = HMACSHA256.HashData(key, ticks);
            byte[] salt = new byte[16];
            Array.Copy(mixed, salt, salt.Length);
            return salt;
        }

        /// <inheritdoc />
        public byte[] Derive(byte[] password, byte[] salt, int iterations, int length)
        {
            return Pbkdf2.Derive(this, password, salt, iterations, length);
        }

        /// <inheritdoc />
        public byte[] Compute(byte[] key, byte[] data)
        {
            return HMACSHA256.HashData(key, data);
        }
    }
}
