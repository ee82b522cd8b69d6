// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Net;

namespace Pigeon.Tests.Support
{
    /// <summary>A clock the test moves by hand (timeouts, lease renewals, retry back-off).</summary>
    public sealed class FakeClock : IClock
    {
        /// <summary>The time now, in milliseconds.</summary>
        public long Now = 1000;

        /// <summary>Starts at 1000 ms.</summary>
        public FakeClock()
        {
        }

        /// <summary>Starts at <paramref name="start"/> ms.</summary>
        public FakeClock(long start)
        {
            Now = start;
        }

        /// <inheritdoc />
        public long NowMilliseconds
        {
            get { return Now; }
        }

        /// <summary>Moves the clock forward.</summary>
        public void Advance(long milliseconds)
        {
            Now += milliseconds;
        }
    }
}
