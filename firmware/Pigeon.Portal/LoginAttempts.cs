namespace Pigeon.Portal
{
    /// <summary>The wrong passwords of one client address while they count (see <see cref="LoginLimiter"/>).</summary>
    internal sealed class LoginAttempts
    {
        public uint Client;
        public int Failures;
        public long LastFailure;
        public long LockedUntil;
    }
}
