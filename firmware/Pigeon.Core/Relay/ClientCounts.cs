namespace Pigeon.Relay
{
    /// <summary>
    /// How many live sessions each client holds (by <see cref="Pigeon.Net.NetAddress.ClientKey"/>: an IPv4
    /// address, or an IPv6 /64), for relay.maxSessionsPerClient. Only
    /// addresses with a live session are in the table: an address leaves it when its last
    /// session ends, so nothing about past clients is kept. An open-addressing table of 64-bit
    /// keys (no per-session allocation; it doubles when half full, which happens only
    /// while the relay fills up). Not thread-safe: the relay calls it under its lock.
    /// </summary>
    public sealed class ClientCounts
    {
        private ulong[] _keys;
        private int[] _counts; // 0 = empty slot
        private int _used;

        /// <summary>An empty table for about <paramref name="expected"/> addresses.</summary>
        public ClientCounts(int expected)
        {
            int size = 16;
            while (size < expected * 2 && size < (1 << 30))
            {
                size <<= 1;
            }

            _keys = new ulong[size];
            _counts = new int[size];
        }

        /// <summary>Addresses that hold a session now.</summary>
        public int Addresses
        {
            get { return _used; }
        }

        /// <summary>Sessions <paramref name="address"/> holds now.</summary>
        public int CountOf(ulong address)
        {
            int i = Find(address);
            return i < 0 ? 0 : _counts[i];
        }

        /// <summary>Counts one more session for <paramref name="address"/>.</summary>
        public void Add(ulong address)
        {
            int i = Find(address);
            if (i >= 0)
            {
                _counts[i]++;
                return;
            }

            if ((_used + 1) * 2 > _keys.Length)
            {
                Grow();
            }

            Insert(address, 1);
            _used++;
        }

        /// <summary>The address holding the most sessions (0 when none), and how many: a scan of the table, for when the relay is full.</summary>
        public ulong Largest(out int count)
        {
            ulong largest = 0;
            count = 0;
            for (int i = 0; i < _counts.Length; i++)
            {
                if (_counts[i] > count)
                {
                    count = _counts[i];
                    largest = _keys[i];
                }
            }

            return largest;
        }

        /// <summary>One session of <paramref name="address"/> ended.</summary>
        public void Remove(ulong address)
        {
            int i = Find(address);
            if (i < 0)
            {
                return;
            }

            if (--_counts[i] > 0)
            {
                return;
            }

            // Backward-shift deletion: pull later members of the probe run into the hole so every
            // lookup still finds its key without tombstones.
            int mask = _keys.Length - 1;
            int hole = i;
            int j = i;
            while (true)
            {
                j = (j + 1) & mask;
                if (_counts[j] == 0)
                {
                    break;
                }

                int home = Home(_keys[j], mask);
                bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
                if (movable)
                {
                    _keys[hole] = _keys[j];
                    _counts[hole] = _counts[j];
                    hole = j;
                }
            }

            _keys[hole] = 0;
            _counts[hole] = 0;
            _used--;
        }

        private int Find(ulong address)
        {
            int mask = _keys.Length - 1;
            int i = Home(address, mask);
            while (_counts[i] != 0)
            {
                if (_keys[i] == address)
                {
                    return i;
                }

                i = (i + 1) & mask;
            }

            return -1;
        }

        private void Insert(ulong address, int count)
        {
            int mask = _keys.Length - 1;
            int i = Home(address, mask);
            while (_counts[i] != 0)
            {
                i = (i + 1) & mask;
            }

            _keys[i] = address;
            _counts[i] = count;
        }

        private void Grow()
        {
            ulong[] keys = _keys;
            int[] counts = _counts;
            _keys = new ulong[keys.Length * 2];
            _counts = new int[keys.Length * 2];
            for (int i = 0; i < keys.Length; i++)
            {
                if (counts[i] != 0)
                {
                    Insert(keys[i], counts[i]);
                }
            }
        }

        // Fibonacci hashing spreads neighbouring addresses (one subnet) over the table.
        private static int Home(ulong address, int mask)
        {
            uint h = unchecked((uint)(address ^ (address >> 32)) * 2654435769u);
            return (int)(h ^ (h >> 15)) & mask;
        }
    }
}
