namespace Pigeon.Net
{
    /// <summary>
    /// Unpredictable bytes for session and CSRF tokens. The host uses the OS's CSPRNG
    /// (RandomNumberGenerator); the board its hardware RNG (the ESP32's, behind System.Random on
    /// nanoFramework, is fed by RF noise while the radio is on).
    /// </summary>
    public interface IRandomBytes
    {
        /// <summary>Fills <paramref name="count"/> bytes at <paramref name="offset"/>.</summary>
        void Fill(byte[] buffer, int offset, int count);
    }
}
