namespace Pigeon.Portal
{
    /// <summary>
    /// Slows password guessing per client address, so a stranger on the network cannot lock the
    /// owner out (issue 13, item 6): <see cref="FreeAttempts"/> wrong passwords in a row from one
    /// address are free, then each further wrong one locks that address for 30 s, doubling up to
    /// 15 minutes; a right password clears it. A global ceiling bounds guessing from many
    /// addresses: after <see cref="GlobalCeiling"/> wrong passwords from anywhere within
    /// <see cref="GlobalWindowMs"/>, every login waits for the window to end (one address alone
    /// cannot reach it: its own lock stops it first).
    /// </summary>
    /// <remarks>
    /// No address is kept beyond these limits: at most <see cref="Tracked"/> addresses, each
    /// forgotten once its lock is over and <see cref="MaxLockMs"/> have passed since its last
    /// wrong password (when the table is full, the record whose lock ends first goes); nothing is
    /// logged.
    /// </remarks>
    public sealed class LoginLimiter
    {
        /// <summary>Wrong passwords allowed from one address before its lock starts.</summary>
        public const int FreeAttempts = 5;

        /// <summary>The first lock.</summary>
        public const int FirstLockMs = 30 * 1000;

        /// <summary>The longest lock.</summary>
        public const int MaxLockMs = 15 * 60 * 1000;

        /// <summary>Wrong passwords from all addresses together that close logins for the rest of the window.</summary>
        public const int GlobalCeiling = 30;

        /// <summary>The window of the global ceiling, from its first wrong password.</summary>
        public const int GlobalWindowMs = 10 * 60 * 1000;

        /// <summary>Addresses tracked at once.</summary>
        public const int Tracked = 16;

        private readonly object _lock = new object();
        private readonly LoginAttempts[] _attempts = new LoginAttempts[Tracked];
        private int _globalFailures;
        private long _globalSince;

        /// <summary>True when a login may be tried now from <paramref name="client"/>; else the seconds to wait.</summary>
        public bool IsAllowed(uint client, long now, out int retryAfterSeconds)
        {
            lock (_lock)
            {
                long until = 0;
                if (_globalFailures >= GlobalCeiling && now - _globalSince < GlobalWindowMs)
                {
                    until = _globalSince + GlobalWindowMs;
                }

                LoginAttempts mine = Find(client, now, false);
                if (mine != null && mine.LockedUntil > now && mine.LockedUntil > until)
                {
                    until = mine.LockedUntil;
                }

                retryAfterSeconds = until > now ? (int)((until - now + 999) / 1000) : 0;
                return retryAfterSeconds == 0;
            }
        }

        /// <summary>Records a wrong password from <paramref name="client"/>.</summary>
        public void Failed(uint client, long now)
        {
            lock (_lock)
            {
                if (_globalFailures == 0 || now - _globalSince >= GlobalWindowMs)
                {
                    _globalSince = now;
                    _globalFailures = 0;
                }

                _globalFailures++;
                LoginAttempts mine = Find(client, now, true);
                mine.Failures++;
                mine.LastFailure = now;
                if (mine.Failures < FreeAttempts)
                {
                    return;
                }

                long lockMs = FirstLockMs;
                for (int i = FreeAttempts; i < mine.Failures && lockMs < MaxLockMs; i++)
                {
                    lockMs *= 2;
                }

                mine.LockedUntil = now + (lockMs > MaxLockMs ? MaxLockMs : lockMs);
            }
        }

        /// <summary>Records a right password from <paramref name="client"/>: its count starts again.</summary>
        public void Succeeded(uint client, long now)
        {
            lock (_lock)
            {
                LoginAttempts mine = Find(client, now, false);
                if (mine != null)
                {
                    mine.Failures = 0;
                    mine.LockedUntil = 0;
                }
            }
        }

        // The address's record; a record whose time is over is forgotten first. With `make`, a new
        // record for an address not yet tracked (in a free place, else the oldest one's).
        private LoginAttempts Find(uint client, long now, bool make)
        {
            LoginAttempts oldest = null;
            int free = -1;
            for (int i = 0; i < _attempts.Length; i++)
            {
                LoginAttempts a = _attempts[i];
                if (a != null && a.LockedUntil <= now && now - a.LastFailure >= MaxLockMs)
                {
                    _attempts[i] = a = null; // forgotten
                }

                if (a == null)
                {
                    free = free < 0 ? i : free;
                }
                else if (a.Client == client)
                {
                    return a;
                }
                else if (oldest == null || a.LockedUntil < oldest.LockedUntil
                    || (a.LockedUntil == oldest.LockedUntil && a.LastFailure < oldest.LastFailure))
                {
                    oldest = a; // when full, an unlocked record (the oldest of them) goes before a locked one
                }
            }

            if (!make)
            {
                return null;
            }

            LoginAttempts made = free >= 0 ? new LoginAttempts() : oldest;
            made.Client = client;
            made.Failures = 0;
            made.LockedUntil = 0;
            if (free >= 0)
            {
                _attempts[free] = made;
            }

            return made;
        }
    }
}
