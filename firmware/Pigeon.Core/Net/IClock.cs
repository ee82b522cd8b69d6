namespace Pigeon.Net
{
    /// <summary>
    /// A monotonic millisecond clock. Not wall time: the board's wall clock jumps when SNTP sets
    /// it, and a timeout must not.
    /// </summary>
    public interface IClock
    {
        /// <summary>Milliseconds since an arbitrary, fixed origin; never goes backwards.</summary>
        long NowMilliseconds { get; }
    }
}
