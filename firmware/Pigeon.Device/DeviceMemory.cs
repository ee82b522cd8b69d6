using System;
using Pigeon.Net;

namespace Pigeon.Device
{
    /// <summary>
    /// The board's managed heap for the metrics. nanoFramework exposes only the free heap after a
    /// collection (<c>nanoFramework.Runtime.Native.GC.Run</c>, bytes), not the heap's size, so
    /// <see cref="TotalBytes"/> is unknown (-1: the metrics leave that family out).
    /// </summary>
    public sealed class DeviceMemory : IMemoryInfo
    {
        /// <summary>
        /// Free managed heap in bytes after a collection without compaction (compacting moves
        /// every object and stalls the relay's threads longer). Each read costs one GC: the
        /// metrics page reads it once per scrape.
        /// </summary>
        public long FreeBytes
        {
            get
            {
                try
                {
                    return nanoFramework.Runtime.Native.GC.Run(false);
                }
                catch (Exception)
                {
                    return -1;
                }
            }
        }

        /// <summary>Unknown on nanoFramework (no API reports the heap's size).</summary>
        public long TotalBytes
        {
            get { return -1; }
        }
    }
}
