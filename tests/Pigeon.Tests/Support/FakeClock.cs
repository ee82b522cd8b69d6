// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Net;

namespace Pigeon.Tests.Support
{
    /// <summary>A clock the test moves by hand (lease renewals, retry back-off).</summary>
    public sealed class FakeClock : IClock
    {
        private long _now;

        /// <summary>Starts at <paramref name="start"/> ms.</summary>
        public FakeClock(long start)
        {
            _now = start;
        }

        /// <inheritdoc />
        public long NowMilliseconds
        {
            get { return _now; }
        }

        /// <summary>Moves the clock forward.</summary>
        public void Advance(long milliseconds)
        {
            _now += milliseconds;
        }
    }
}
