using System.Collections.Generic;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// Relay buffers of one size, lent to a session only while bytes are moving: an idle session
    /// waits for data with a zero-byte read and holds none (as Kestrel and YARP do). Buffers come
    /// back for reuse, so a steady transfer allocates nothing; beyond <see cref="MaxIdle"/> kept
    /// idle, returned buffers are left to the collector so a burst does not pin its peak forever.
    /// </summary>
    public sealed class BufferPool
    {
        /// <summary>
        /// Idle buffers kept: 64 x 64 KB = 4 MB at the host default, enough for 32 sessions moving
        /// both ways at once without allocating (bulk transfers are few; idle sessions hold none).
        /// </summary>
        public const int MaxIdle = 64;

        private readonly Stack<byte[]> _idle = new Stack<byte[]>();
        private readonly object _lock = new object();
        private long _created;

        /// <summary>A pool of <paramref name="size"/>-byte buffers.</summary>
        public BufferPool(int size)
        {
            Size = size;
        }

        /// <summary>Bytes in each buffer.</summary>
        public int Size { get; }

        /// <summary>Buffers made since start (the pool's whole allocation).</summary>
        public long Created
        {
            get { return System.Threading.Interlocked.Read(ref _created); }
        }

        /// <summary>Buffers lent out now.</summary>
        public int Lent { get; private set; }

        /// <summary>Lends a buffer.</summary>
        public byte[] Rent()
        {
            lock (_lock)
            {
                Lent++;
                if (_idle.Count > 0)
                {
                    return _idle.Pop();
                }
            }

            System.Threading.Interlocked.Increment(ref _created);
            return new byte[Size];
        }

        /// <summary>Takes a buffer back.</summary>
        public void Return(byte[] buffer)
        {
            lock (_lock)
            {
                Lent--;
                if (_idle.Count < MaxIdle)
                {
                    _idle.Push(buffer);
                }
            }
        }
    }
}
