using System.Threading;
using Pigeon.Relay;

namespace Pigeon.Counters
{
    /// <summary>
    /// Counters of one route (and, summed, of the whole relay). Integers are updated with
    /// Interlocked; the byte totals are folded in under a lock when a session ends (nanoFramework
    /// has no 64-bit Interlocked), and live sessions' bytes are added when a snapshot is taken.
    /// No client address is ever stored here.
    /// </summary>
    public sealed class RouteCounters
    {
        /// <summary>The number of <see cref="RefusalReason"/> values.</summary>
        public const int ReasonCount = RefusalReasons.Count;

        private readonly object _lock = new object();
        private readonly int[] _refused = new int[ReasonCount];
        private int _active;
        private int _accepted;
        private int _upstreamFailures;
        private int _relayed;
        private int _signalRelayed;
        private long _bytesToUpstream;
        private long _bytesToClient;

        /// <summary>Sessions relaying now (or still reading their hello).</summary>
        public int Active
        {
            get { return _active; }
        }

        /// <summary>Clients given a session slot since start.</summary>
        public int Accepted
        {
            get { return _accepted; }
        }

        /// <summary>Sessions whose upstream (and fallback) could not be reached.</summary>
        public int UpstreamFailures
        {
            get { return _upstreamFailures; }
        }

        /// <summary>
        /// Sessions that reached their upstream and began relaying (counted at that moment, so a
        /// session still reading its hello or dialling is in none of Relayed, Refused or
        /// UpstreamFailures yet).
        /// </summary>
        public int Relayed
        {
            get { return _relayed; }
        }

        /// <summary>Of <see cref="Relayed"/>, the sessions passed through to Signal (a TLS route's Signal hosts); the rest are WhatsApp's.</summary>
        public int SignalRelayed
        {
            get { return _signalRelayed; }
        }

        /// <summary>Bytes relayed from clients to upstreams (finished sessions; see <see cref="RelayServer.Snapshot"/>).</summary>
        public long BytesToUpstream
        {
            get { return _bytesToUpstream; }
        }

        /// <summary>Bytes relayed from upstreams to clients (finished sessions).</summary>
        public long BytesToClient
        {
            get { return _bytesToClient; }
        }

        /// <summary>Refusals for one reason.</summary>
        public int Refused(RefusalReason reason)
        {
            return _refused[(int)reason];
        }

        /// <summary>Refusals for every reason together.</summary>
        public int RefusedTotal
        {
            get
            {
                int sum = 0;
                for (int i = 0; i < ReasonCount; i++)
                {
                    sum += _refused[i];
                }

                return sum;
            }
        }

        internal void OnAccepted()
        {
            Interlocked.Increment(ref _accepted);
            Interlocked.Increment(ref _active);
        }

        internal void OnSessionEnded()
        {
            Interlocked.Decrement(ref _active);
        }

        internal void OnRefused(RefusalReason reason)
        {
            Interlocked.Increment(ref _refused[(int)reason]);
        }

        internal void OnUpstreamFailure()
        {
            Interlocked.Increment(ref _upstreamFailures);
        }

        internal void OnRelaying(bool signal)
        {
            Interlocked.Increment(ref _relayed);
            if (signal)
            {
                Interlocked.Increment(ref _signalRelayed);
            }
        }

        internal void AddBytes(long toUpstream, long toClient)
        {
            lock (_lock)
            {
                _bytesToUpstream += toUpstream;
                _bytesToClient += toClient;
            }
        }

        /// <summary>Adds this route's counters into <paramref name="total"/> (for the relay-wide sum).</summary>
        public void AddTo(RouteCounters total)
        {
            total._active += _active;
            total._accepted += _accepted;
            total._upstreamFailures += _upstreamFailures;
            total._relayed += _relayed;
            total._signalRelayed += _signalRelayed;
            for (int i = 0; i < ReasonCount; i++)
            {
                total._refused[i] += _refused[i];
            }

            long up;
            long down;
            lock (_lock)
            {
                up = _bytesToUpstream;
                down = _bytesToClient;
            }

            total.AddBytes(up, down);
        }

        /// <summary>Sets every counter to zero (used on snapshot targets before summing).</summary>
        public void Clear()
        {
            _active = 0;
            _accepted = 0;
            _upstreamFailures = 0;
            _relayed = 0;
            _signalRelayed = 0;
            for (int i = 0; i < ReasonCount; i++)
            {
                _refused[i] = 0;
            }

            lock (_lock)
            {
                _bytesToUpstream = 0;
                _bytesToClient = 0;
            }
        }
    }
}
