using Pigeon.Net;
using Pigeon.Tls;
using Pigeon.Text;

namespace Pigeon.Upstream
{
    /// <summary>
    /// Upstream name answers, kept for a bounded time in a fixed table: a hit allocates nothing
    /// (names are compared as bytes), a miss asks the platform resolver once. Failures are kept
    /// briefly too, so a dead name does not make every new client wait for a DNS timeout.
    /// </summary>
    public sealed class DnsCache
    {
        /// <summary>How long a failed lookup is remembered.</summary>
        public const int NegativeSeconds = 10;

        /// <summary>Answer of TryCached: the name is not in the table (the resolver must be asked).</summary>
        public const int Miss = 0;

        /// <summary>Answer of TryCached: a fresh address.</summary>
        public const int Hit = 1;

        /// <summary>Answer of TryCached: the name failed to resolve moments ago.</summary>
        public const int Failed = 2;

        private readonly IResolver _resolver;
        private readonly IClock _clock;
        private readonly long _lifetimeMs;
        private readonly byte[][] _names;
        private readonly int[] _lengths;
        private readonly uint[] _addresses;
        private readonly long[] _expires;
        private readonly object _lock = new object();
        private int _next;

        /// <summary>A cache of <paramref name="capacity"/> names kept <paramref name="lifetimeSeconds"/> each.</summary>
        public DnsCache(IResolver resolver, IClock clock, int lifetimeSeconds, int capacity)
        {
            _resolver = resolver;
            _clock = clock;
            _lifetimeMs = (lifetimeSeconds < 1 ? 1 : lifetimeSeconds) * 1000L;
            if (capacity < 1)
            {
                capacity = 1;
            }

            _names = new byte[capacity][];
            _lengths = new int[capacity];
            _addresses = new uint[capacity];
            _expires = new long[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _names[i] = new byte[ClientHelloReader.MaxHostLength];
                _expires[i] = long.MinValue;
            }
        }

        /// <summary>Lookups answered by the platform resolver (cache misses), for tests and status.</summary>
        public int Misses { get; private set; }

        /// <summary>Resolves a configured host (a name or an IPv4 literal, which is used as is).</summary>
        public bool TryResolve(string host, out uint address)
        {
            return Answer(host, true, out address) == Hit;
        }

        /// <summary>Resolves a host name given as ASCII bytes (an SNI in the hello buffer).</summary>
        public bool TryResolve(byte[] buffer, int offset, int length, out uint address)
        {
            return Answer(null, buffer, offset, length, true, out address) == Hit;
        }

        /// <summary>
        /// Answers a configured host from the table alone, never asking the resolver: <see cref="Hit"/>
        /// (an IPv4 literal always is), <see cref="Failed"/> or <see cref="Miss"/>. The event-driven
        /// pump uses it to keep its threads from waiting on DNS.
        /// </summary>
        public int TryCached(string host, out uint address)
        {
            return Answer(host, false, out address);
        }

        /// <summary><see cref="TryCached(string, out uint)"/> for a name given as ASCII bytes (an SNI).</summary>
        public int TryCached(byte[] buffer, int offset, int length, out uint address)
        {
            return Answer(null, buffer, offset, length, false, out address);
        }

        // A configured host: an IPv4 literal is its own answer; a name is looked up by its text.
        private int Answer(string host, bool resolve, out uint address)
        {
            if (IPv4.TryParse(host, out address))
            {
                return Hit;
            }

            return Answer(host, null, 0, host == null ? 0 : host.Length, resolve, out address);
        }

        // The table's answer for a name (given as text, or as bytes when text is null); on a miss,
        // with resolve, the resolver's, which the table then keeps (Hit or Failed).
        private int Answer(string text, byte[] buffer, int offset, int length, bool resolve, out uint address)
        {
            int cached = Cached(text, buffer, offset, length, out address);
            return cached == Miss && resolve ? Resolve(text, buffer, offset, length, out address) : cached;
        }

        private int Cached(string text, byte[] buffer, int offset, int length, out uint address)
        {
            address = 0;
            if (length < 1 || length > ClientHelloReader.MaxHostLength)
            {
                return Failed;
            }

            long now = _clock.NowMilliseconds;
            lock (_lock)
            {
                for (int i = 0; i < _names.Length; i++)
                {
                    if (_expires[i] > now && _lengths[i] == length && SameName(i, text, buffer, offset, length))
                    {
                        address = _addresses[i];
                        return address != 0 ? Hit : Failed;
                    }
                }
            }

            return Miss;
        }

        private int Resolve(string text, byte[] buffer, int offset, int length, out uint address)
        {
            // Miss: resolve outside the lock (it may take seconds), then remember the answer.
            string name = text ?? Ascii.GetString(buffer, offset, length);
            uint resolved;
            bool ok = _resolver.TryResolve(name, out resolved) && resolved != 0;
            lock (_lock)
            {
                Misses++;
                int slot = _next;
                _next = (_next + 1) % _names.Length;
                for (int i = 0; i < length; i++)
                {
                    _names[slot][i] = Ascii.ToLower(text != null ? (byte)text[i] : buffer[offset + i]);
                }

                _lengths[slot] = length;
                _addresses[slot] = ok ? resolved : 0;
                _expires[slot] = _clock.NowMilliseconds + (ok ? _lifetimeMs : NegativeSeconds * 1000L);
            }

            address = ok ? resolved : 0;
            return ok ? Hit : Failed;
        }

        private bool SameName(int slot, string text, byte[] buffer, int offset, int length)
        {
            byte[] name = _names[slot];
            for (int i = 0; i < length; i++)
            {
                byte b = text != null ? (text[i] > (char)0x7F ? (byte)0 : (byte)text[i]) : buffer[offset + i];
                if (Ascii.ToLower(b) != name[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
