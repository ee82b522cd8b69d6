using Pigeon.Net;

namespace Pigeon.Tests.Support
{
    /// <summary>"Random" bytes 1, 2, 3, ... so tests can write the expected nonces.</summary>
    public sealed class CountingRandom : IRandomBytes
    {
        private int _next = 1;

        /// <summary>Fills the next counting bytes.</summary>
        public void Fill(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = (byte)_next++;
            }
        }
    }
}
