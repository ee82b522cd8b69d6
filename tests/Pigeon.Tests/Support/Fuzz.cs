// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
namespace Pigeon.Tests.Support
{
    /// <summary>
    /// The fuzz tests' generator: xorshift32 (Marsaglia, 2003) over a fixed seed, in 32-bit unsigned
    /// arithmetic only, so .NET and nanoCLR draw the same sequence and a case that fails on one
    /// can be replayed on the other by its number. Not System.Random, whose sequence differs
    /// between the two runtimes.
    /// </summary>
    public sealed class Fuzz
    {
        private const string Letters = "abcdefghijklmnopqrstuvwxyz";
        private uint _state;

        /// <summary>A generator starting at <paramref name="seed"/> (0 is replaced: xorshift would stay at 0).</summary>
        public Fuzz(uint seed)
        {
            _state = seed == 0 ? 0x9E3779B9 : seed;
        }

        /// <summary>The next 32 bits.</summary>
        public uint Next()
        {
            uint x = _state;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            _state = x;
            return x;
        }

        /// <summary>0 to <paramref name="bound"/> - 1.</summary>
        public int Below(int bound)
        {
            return (int)(Next() % (uint)bound);
        }

        /// <summary><paramref name="low"/> to <paramref name="high"/>, both included.</summary>
        public int Between(int low, int high)
        {
            return low + Below(high - low + 1);
        }

        /// <summary>True once in <paramref name="times"/>.</summary>
        public bool OneIn(int times)
        {
            return Below(times) == 0;
        }

        /// <summary><paramref name="count"/> bytes of any value.</summary>
        public byte[] Bytes(int count)
        {
            byte[] bytes = new byte[count];
            for (int i = 0; i < count; i++)
            {
                bytes[i] = (byte)Next();
            }

            return bytes;
        }

        /// <summary><paramref name="count"/> lowercase ASCII letters.</summary>
        public string Word(int count)
        {
            char[] chars = new char[count];
            for (int i = 0; i < count; i++)
            {
                chars[i] = Letters[Below(Letters.Length)];
            }

            return new string(chars);
        }

        /// <summary>One of <paramref name="choices"/>.</summary>
        public string Pick(string[] choices)
        {
            return choices[Below(choices.Length)];
        }

        /// <summary>A copy of <paramref name="source"/> with 1 to <paramref name="most"/> bytes set to random values.</summary>
        public byte[] Flip(byte[] source, int most)
        {
            byte[] copy = new byte[source.Length];
            System.Array.Copy(source, copy, source.Length);
            int flips = Between(1, most);
            for (int f = 0; f < flips && copy.Length > 0; f++)
            {
                copy[Below(copy.Length)] = (byte)Next();
            }

            return copy;
        }

        /// <summary>Case <paramref name="index"/>'s input for a failure message: its length and up to 48 bytes in hex.</summary>
        public static string Describe(int index, byte[] input, int count)
        {
            string hex = "";
            for (int i = 0; i < count && i < 48 && i < input.Length; i++)
            {
                hex += Pigeon.Text.Hex.Digit(input[i] >> 4).ToString() + Pigeon.Text.Hex.Digit(input[i] & 15).ToString();
            }

            return "case " + index.ToString() + " (" + count.ToString() + " bytes: " + hex + (count > 48 ? "..." : "") + ")";
        }
    }
}
