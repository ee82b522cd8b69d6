using System;
using Pigeon.Net;

namespace Pigeon.Host
{
    /// <summary>The host's memory for the metrics: the GC heap's size and what the process may still use.</summary>
    public sealed class HostMemory : IMemoryInfo
    {
        /// <inheritdoc />
        public long FreeBytes
        {
            get
            {
                GCMemoryInfo info = GC.GetGCMemoryInfo();
                long free = info.TotalAvailableMemoryBytes - GC.GetTotalMemory(false);
                return free < 0 ? 0 : free;
            }
        }

        /// <inheritdoc />
        public long TotalBytes
        {
            get { return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes; }
        }
    }
}
