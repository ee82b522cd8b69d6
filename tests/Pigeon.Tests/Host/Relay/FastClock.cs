using System.Diagnostics;
using Pigeon.Net;

namespace Pigeon.Tests.Host.Relay
{
    /// <summary>
    /// A real clock that runs <c>factor</c> times faster: a relay timeout the validator keeps at
    /// 10 s or more passes in a second of a test, over real sockets and the real reaper.
    /// </summary>
    public sealed class FastClock : IClock
    {
        private readonly long _start = Stopwatch.GetTimestamp();
        private readonly int _factor;

        public FastClock(int factor)
        {
            _factor = factor;
        }

        public long NowMilliseconds
        {
            get { return (Stopwatch.GetTimestamp() - _start) * _factor * 1000 / Stopwatch.Frequency; }
        }
    }
}
