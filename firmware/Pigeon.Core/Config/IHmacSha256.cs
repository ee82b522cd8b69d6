namespace Pigeon.Config
{
    /// <summary>One HMAC-SHA256 (RFC 2104) computation; the board's is native (mbedTLS).</summary>
    public interface IHmacSha256
    {
        /// <summary>HMAC-SHA256(key, data): 32 bytes.</summary>
        byte[] Compute(byte[] key, byte[] data);
    }
}
