// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Net;

namespace Pigeon.Tests.Support
{
    /// <summary>A clock the test moves by hand.</summary>
    public sealed class FakeClock : IClock
    {
        /// <summary>The time now, in milliseconds.</summary>
        public long Now = 1000;

        /// <inheritdoc />
        public long NowMilliseconds
        {
            get { return Now; }
        }
    }
}
