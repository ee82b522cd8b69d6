using System;

namespace Pigeon.Host.Service
{
    /// <summary>
    /// The relay's last 24 hours in 144 ten-minute buckets of wall time: sessions served, bytes
    /// relayed (both directions) and refusals by reason. A bucket older than 24 hours no longer
    /// counts and its slot is reused, so the window slides without a timer. Not thread-safe:
    /// <see cref="TallyRecorder"/> holds the lock.
    /// </summary>
    public sealed class DailyTally
    {
        /// <summary>The window: 24 hours.</summary>
        public const long WindowMs = 24L * 3600 * 1000;

        /// <summary>One bucket: 10 minutes (the window is exact to within this).</summary>
        public const long BucketMs = 10L * 60 * 1000;

        /// <summary>Buckets in the window.</summary>
        public const int BucketCount = (int)(WindowMs / BucketMs);

        private readonly string[] _reasons;
        private readonly long[] _start = new long[BucketCount];
        private readonly bool[] _used = new bool[BucketCount];
        private readonly long[] _sessions = new long[BucketCount];
        private readonly long[] _bytes = new long[BucketCount];
        private readonly long[][] _refused = new long[BucketCount][];

        /// <summary>A tally that counts refusals under these reason names (the status page's).</summary>
        public DailyTally(string[] reasonNames)
        {
            _reasons = (string[])reasonNames.Clone();
            for (int i = 0; i < BucketCount; i++)
            {
                _refused[i] = new long[_reasons.Length];
            }
        }

        /// <summary>The reason names, by index.</summary>
        public string ReasonName(int index)
        {
            return _reasons[index];
        }

        /// <summary>How many reasons are counted.</summary>
        public int ReasonCount
        {
            get { return _reasons.Length; }
        }

        /// <summary>Adds activity at wall time <paramref name="nowMs"/> (ms since 1970).</summary>
        public void Add(long nowMs, long sessions, long bytes, long[] refusedByReason)
        {
            int slot = Slot(nowMs);
            _sessions[slot] += sessions;
            _bytes[slot] += bytes;
            for (int r = 0; refusedByReason != null && r < refusedByReason.Length && r < _reasons.Length; r++)
            {
                _refused[slot][r] += refusedByReason[r];
            }
        }

        /// <summary>Adds refusals counted under a reason name (from a saved file); unknown names are dropped.</summary>
        public void AddRefused(long bucketStartMs, string reason, long count)
        {
            for (int r = 0; r < _reasons.Length; r++)
            {
                if (_reasons[r] == reason)
                {
                    _refused[Slot(bucketStartMs)][r] += count;
                    return;
                }
            }
        }

        /// <summary>The sums over the 24 hours before <paramref name="nowMs"/>.</summary>
        public TallySum Sum(long nowMs)
        {
            TallySum sum = new TallySum(_reasons);
            for (int i = 0; i < BucketCount; i++)
            {
                if (!Live(i, nowMs))
                {
                    continue;
                }

                sum.Sessions += _sessions[i];
                sum.Bytes += _bytes[i];
                for (int r = 0; r < _reasons.Length; r++)
                {
                    sum.RefusedByReason[r] += _refused[i][r];
                }
            }

            return sum;
        }

        /// <summary>Calls <paramref name="visit"/> for each bucket of the window that holds anything (for saving).</summary>
        public void ForEachBucket(long nowMs, Action<long, long, long, long[]> visit)
        {
            for (int i = 0; i < BucketCount; i++)
            {
                if (Live(i, nowMs) && (_sessions[i] != 0 || _bytes[i] != 0 || Any(_refused[i])))
                {
                    visit(_start[i], _sessions[i], _bytes[i], _refused[i]);
                }
            }
        }

        private bool Live(int slot, long nowMs)
        {
            // A bucket "from the future" (the wall clock was set back) still counts until its
            // slot is reused; one from more than 24 hours ago does not.
            return _used[slot] && _start[slot] > nowMs - WindowMs;
        }

        private int Slot(long timeMs)
        {
            long start = timeMs - Mod(timeMs, BucketMs);
            int slot = (int)Mod(start / BucketMs, BucketCount);
            if (!_used[slot] || _start[slot] != start)
            {
                _used[slot] = true;
                _start[slot] = start;
                _sessions[slot] = 0;
                _bytes[slot] = 0;
                Array.Clear(_refused[slot], 0, _refused[slot].Length);
            }

            return slot;
        }

        private static long Mod(long value, long divisor)
        {
            long m = value % divisor;
            return m < 0 ? m + divisor : m;
        }

        private static bool Any(long[] values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] != 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
