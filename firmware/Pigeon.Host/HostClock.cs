using System.Diagnostics;
using Pigeon.Net;

namespace Pigeon.Host
{
    /// <summary>Monotonic milliseconds from the OS's high-resolution counter (no allocation).</summary>
    public sealed class HostClock : IClock
    {
        /// <inheritdoc />
        public long NowMilliseconds
        {
            get { return Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1000); }
        }
    }
}
