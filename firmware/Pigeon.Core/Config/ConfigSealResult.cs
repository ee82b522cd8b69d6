namespace Pigeon.Config
{
    /// <summary>What <see cref="ConfigSeal.Open"/> found.</summary>
    public enum ConfigSealResult
    {
        /// <summary>A sealed copy whose checksum matches.</summary>
        Verified,

        /// <summary>No seal: a file written by hand (trusted only if it parses and validates).</summary>
        Unsealed,

        /// <summary>A sealed copy that was damaged (or edited without removing the seal).</summary>
        Damaged,
    }
}
