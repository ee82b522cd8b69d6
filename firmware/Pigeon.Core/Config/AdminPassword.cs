using Pigeon.Text;

namespace Pigeon.Config
{
    /// <summary>
    /// The portal's admin password, kept only as a salted PBKDF2-HMAC-SHA256 hash:
    /// <c>passwordHash = "pbkdf2-sha256$&lt;iterations&gt;$&lt;base64 of 32 bytes&gt;"</c>,
    /// <c>passwordSalt = base64 of 16 random bytes</c>. The iteration count travels with the hash,
    /// so a hash made on the host (600 000 iterations) verifies on the board and vice versa.
    /// </summary>
    public static class AdminPassword
    {
        /// <summary>The algorithm tag at the start of a hash.</summary>
        public const string Algorithm = "pbkdf2-sha256";

        /// <summary>Shortest admin password accepted.</summary>
        public const int MinLength = 8;

        /// <summary>Longest admin password accepted (bounds the hashing work per login; the page says 8-64).</summary>
        public const int MaxLength = 64;

        /// <summary>What <see cref="Set"/> refuses, in words (the portal shows it by the password field).</summary>
        public static string LengthRule
        {
            get { return "the admin password is " + MinLength.ToString() + " to " + MaxLength.ToString() + " characters"; }
        }

        /// <summary>Most iterations a stored hash may ask for: bounds the work a crafted config can cause per login.</summary>
        public const int MaxIterations = 10000000;

        private const int KeyLength = 32;

        /// <summary>True when a password has been set.</summary>
        public static bool IsSet(AdminConfig admin)
        {
            return admin != null && admin.PasswordHash != null && admin.PasswordHash.Length > 0;
        }

        /// <summary>
        /// Hashes and stores a new password. False (nothing changed) when it is shorter than
        /// <see cref="MinLength"/> or longer than <see cref="MaxLength"/> characters.
        /// </summary>
        public static bool Set(AdminConfig admin, string password, IPasswordHasher hasher)
        {
            if (admin == null || password == null || password.Length < MinLength || password.Length > MaxLength)
            {
                return false;
            }

            byte[] salt = hasher.NewSalt();
            int iterations = hasher.Iterations;
            byte[] key = hasher.Derive(Utf8.GetBytes(password), salt, iterations, KeyLength);
            admin.PasswordSalt = System.Convert.ToBase64String(salt);
            admin.PasswordHash = Algorithm + "$" + iterations.ToString() + "$" + System.Convert.ToBase64String(key);
            return true;
        }

        /// <summary>Removes the password (the portal then asks for a new one).</summary>
        public static void Clear(AdminConfig admin)
        {
            admin.PasswordHash = "";
            admin.PasswordSalt = "";
        }

        /// <summary>
        /// True when <paramref name="password"/> is the admin password. The hashes are compared in
        /// constant time (every byte, no early exit), so timing does not leak how much matched.
        /// False when no password is set or the stored hash is malformed.
        /// </summary>
        public static bool Verify(AdminConfig admin, string password, IPasswordHasher hasher)
        {
            int iterations;
            byte[] expected;
            byte[] salt;
            if (password == null || password.Length > MaxLength || !TryParse(admin, out iterations, out expected, out salt))
            {
                return false;
            }

            byte[] actual = hasher.Derive(Utf8.GetBytes(password), salt, iterations, expected.Length);
            return FixedTime.Equal(actual, expected);
        }

        /// <summary>True when the stored hash and salt have the shape <see cref="Set"/> writes.</summary>
        public static bool IsWellFormed(AdminConfig admin)
        {
            int iterations;
            byte[] expected;
            byte[] salt;
            return TryParse(admin, out iterations, out expected, out salt);
        }

        private static bool TryParse(AdminConfig admin, out int iterations, out byte[] hash, out byte[] salt)
        {
            iterations = 0;
            hash = null;
            salt = null;
            if (!IsSet(admin) || admin.PasswordSalt == null || admin.PasswordSalt.Length == 0)
            {
                return false;
            }

            string[] parts = admin.PasswordHash.Split('$');
            if (parts.Length != 3 || parts[0] != Algorithm || !Integer.TryParse(parts[1], out iterations)
                || iterations < 1 || iterations > MaxIterations)
            {
                return false;
            }

            hash = Base64(parts[2]);
            salt = Base64(admin.PasswordSalt);
            return hash != null && hash.Length == KeyLength && salt != null && salt.Length >= 8 && salt.Length <= 64;
        }

        private static byte[] Base64(string text)
        {
            // Checked by hand first: nothing should throw for a hand-edited config.
            if (text.Length == 0 || text.Length % 4 != 0)
            {
                return null;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
                    || (c == '=' && i >= text.Length - 2);
                if (!ok)
                {
                    return null;
                }
            }

            try
            {
                return System.Convert.FromBase64String(text);
            }
            catch (System.Exception)
            {
                return null;
            }
        }
    }
}
