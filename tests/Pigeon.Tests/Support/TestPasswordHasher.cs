// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;

namespace Pigeon.Tests.Support
{
    /// <summary>A deterministic stand-in (NOT a real KDF): mixes password, salt and iterations.</summary>
    public class TestPasswordHasher : IPasswordHasher
    {
        public int Calls { get; private set; }

        public int Iterations
        {
            get { return 3; }
        }

        public byte[] NewSalt()
        {
            return new byte[] { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6 };
        }

        public byte[] Derive(byte[] password, byte[] salt, int iterations, int length)
        {
            Calls++;
            byte[] result = new byte[length];
            for (int i = 0; i < length; i++)
            {
                int v = iterations + i;
                for (int j = 0; j < password.Length; j++)
                {
                    v = (v * 31) + password[j] + (salt[(i + j) % salt.Length] * 7);
                }

                result[i] = (byte)v;
            }

            return result;
        }
    }
}
