// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Portal;

namespace Pigeon.Tests.Portal
{
    /// <summary>A 24-hour summary with a fixed line.</summary>
    public sealed class FakeDailySummary : IDailySummary
    {
        private readonly string _line;

        /// <summary>Always answers <paramref name="line"/>.</summary>
        public FakeDailySummary(string line)
        {
            _line = line;
        }

        /// <inheritdoc />
        public string Line()
        {
            return _line;
        }
    }
}
