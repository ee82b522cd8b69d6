using System;
using Pigeon.Net;

namespace Pigeon.Host.Service
{
    /// <summary>
    /// Milliseconds since 1970 (UTC) through the relay's clock seam, for what must survive a
    /// restart (the 24-hour tally): the monotonic <see cref="HostClock"/> restarts with the
    /// process. Wall time can be set back; the tally tolerates that (<see cref="DailyTally"/>).
    /// </summary>
    public sealed class WallClock : IClock
    {
        /// <inheritdoc />
        public long NowMilliseconds
        {
            get { return DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(); }
        }
    }
}
