using System.Security.Cryptography;
using Pigeon.Net;

namespace Pigeon.Host
{
    /// <summary>Session and CSRF tokens from the OS's CSPRNG.</summary>
    public sealed class PortalRandom : IRandomBytes
    {
        /// <inheritdoc />
        public void Fill(byte[] buffer, int offset, int count)
        {
            RandomNumberGenerator.Fill(new System.Span<byte>(buffer, offset, count));
        }
    }
}
