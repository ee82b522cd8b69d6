using Pigeon.Net;
using Pigeon.Text;

namespace Pigeon.Portal
{
    /// <summary>
    /// Admin login sessions: a fixed handful of slots, each a random 128-bit session token (the
    /// HttpOnly cookie) and a separate random CSRF token (sent back by the page in the
    /// X-CSRF-Token header). A session ends after <see cref="IdleMs"/> without use; when every
    /// slot is taken, the longest-idle one is dropped. Tokens are compared in constant time.
    /// </summary>
    public sealed class PortalSessions
    {
        /// <summary>Slots: one admin with a phone and a laptop, and room to spare.</summary>
        public const int Slots = 4;

        /// <summary>30 minutes idle.</summary>
        public const int IdleMs = 30 * 60 * 1000;

        /// <summary>The cookie's name.</summary>
        public const string CookieName = "pigeon_session";

        private const int TokenBytes = 16;
        private readonly string[] _tokens = new string[Slots];
        private readonly string[] _csrf = new string[Slots];
        private readonly long[] _lastUsed = new long[Slots];
        private readonly IRandomBytes _random;
        private readonly object _lock = new object();

        /// <summary>Creates the empty table.</summary>
        public PortalSessions(IRandomBytes random)
        {
            _random = random;
        }

        /// <summary>Starts a session; returns its slot.</summary>
        public int Create(long now)
        {
            lock (_lock)
            {
                int slot = 0;
                for (int i = 0; i < Slots; i++)
                {
                    if (_tokens[i] == null)
                    {
                        slot = i;
                        break;
                    }

                    if (_lastUsed[i] < _lastUsed[slot])
                    {
                        slot = i;
                    }
                }

                _tokens[slot] = NewToken();
                _csrf[slot] = NewToken();
                _lastUsed[slot] = now;
                return slot;
            }
        }

        /// <summary>The slot whose token is <paramref name="token"/> and still live (refreshing it); -1 otherwise.</summary>
        public int Find(string token, long now)
        {
            if (token == null || token.Length != TokenBytes * 2)
            {
                return -1;
            }

            lock (_lock)
            {
                int found = -1;
                for (int i = 0; i < Slots; i++)
                {
                    if (_tokens[i] != null && FixedTime.Equal(token, _tokens[i]))
                    {
                        found = i;
                    }
                }

                if (found < 0)
                {
                    return -1;
                }

                if (now - _lastUsed[found] > IdleMs)
                {
                    _tokens[found] = null;
                    _csrf[found] = null;
                    return -1;
                }

                _lastUsed[found] = now;
                return found;
            }
        }

        /// <summary>The session token of a slot (for Set-Cookie).</summary>
        public string GetToken(int slot)
        {
            lock (_lock)
            {
                return _tokens[slot];
            }
        }

        /// <summary>The CSRF token of a slot.</summary>
        public string GetCsrf(int slot)
        {
            lock (_lock)
            {
                return _csrf[slot];
            }
        }

        /// <summary>True when <paramref name="csrf"/> is the slot's CSRF token.</summary>
        public bool CheckCsrf(int slot, string csrf)
        {
            lock (_lock)
            {
                return csrf != null && _csrf[slot] != null && FixedTime.Equal(csrf, _csrf[slot]);
            }
        }

        /// <summary>Ends one session.</summary>
        public void End(int slot)
        {
            lock (_lock)
            {
                _tokens[slot] = null;
                _csrf[slot] = null;
            }
        }

        /// <summary>Ends every session (new password, factory reset).</summary>
        public void EndAll()
        {
            lock (_lock)
            {
                for (int i = 0; i < Slots; i++)
                {
                    _tokens[i] = null;
                    _csrf[i] = null;
                }
            }
        }

        private string NewToken()
        {
            byte[] bytes = new byte[TokenBytes];
            _random.Fill(bytes, 0, TokenBytes);
            char[] chars = new char[TokenBytes * 2];
            for (int i = 0; i < TokenBytes; i++)
            {
                chars[2 * i] = Hex.Digit(bytes[i] >> 4);
                chars[(2 * i) + 1] = Hex.Digit(bytes[i]);
            }

            return new string(chars);
        }
    }
}
