using System;
using Pigeon.Net;

namespace Pigeon.Device
{
    /// <summary>
    /// Milliseconds since boot from nanoFramework.Runtime.Native's Environment.TickCount64: a
    /// monotonic counter that SNTP does not move (DateTime.UtcNow jumps when the clock is set).
    /// </summary>
    public sealed class DeviceClock : IClock
    {
        /// <inheritdoc />
        public long NowMilliseconds
        {
            get { return Environment.TickCount64; }
        }
    }
}
