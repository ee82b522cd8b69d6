namespace Pigeon.Net
{
    /// <summary>
    /// The platform's memory figures for the metrics: the board reports its managed heap
    /// (nanoFramework's <c>nanoFramework.Runtime.Native.GC.Run(false)</c> returns the free bytes),
    /// the host its GC heap and the memory available to the process.
    /// </summary>
    public interface IMemoryInfo
    {
        /// <summary>Free bytes of the heap the relay allocates from; -1 when unknown.</summary>
        long FreeBytes { get; }

        /// <summary>Total bytes of that heap; -1 when unknown.</summary>
        long TotalBytes { get; }
    }
}
