namespace Pigeon.Portal
{
    /// <summary>
    /// Slows password guessing: <see cref="FreeAttempts"/> wrong passwords in a row are free,
    /// then each further wrong one locks logins for 30 s, doubling up to 15 minutes; a right
    /// password resets it. One counter for all clients: the portal keeps no client addresses
    /// (nothing to log, nothing to spoof), at the price that a guesser also delays the admin,
    /// who can always recover with the board's setup button.
    /// </summary>
    public sealed class LoginLimiter
    {
        /// <summary>Wrong passwords allowed before the lock starts.</summary>
        public const int FreeAttempts = 5;

        /// <summary>The first lock.</summary>
        public const int FirstLockMs = 30 * 1000;

        /// <summary>The longest lock.</summary>
        public const int MaxLockMs = 15 * 60 * 1000;

        private readonly object _lock = new object();
        private int _failures;
        private long _lockedUntil;
        private bool _locked;

        /// <summary>True when a login may be tried now; else the seconds to wait.</summary>
        public bool IsAllowed(long now, out int retryAfterSeconds)
        {
            lock (_lock)
            {
                retryAfterSeconds = 0;
                if (_locked && now < _lockedUntil)
                {
                    retryAfterSeconds = (int)((_lockedUntil - now + 999) / 1000);
                    return false;
                }

                return true;
            }
        }

        /// <summary>Records a wrong password.</summary>
        public void Failed(long now)
        {
            lock (_lock)
            {
                _failures++;
                if (_failures < FreeAttempts)
                {
                    return;
                }

                long lockMs = FirstLockMs;
                for (int i = FreeAttempts; i < _failures && lockMs < MaxLockMs; i++)
                {
                    lockMs *= 2;
                }

                if (lockMs > MaxLockMs)
                {
                    lockMs = MaxLockMs;
                }

                _locked = true;
                _lockedUntil = now + lockMs;
            }
        }

        /// <summary>Records a right password.</summary>
        public void Succeeded()
        {
            lock (_lock)
            {
                _failures = 0;
                _locked = false;
            }
        }
    }
}
