namespace Pigeon.Net
{
    /// <summary>
    /// Where the core reports events worth a person's attention (start, listener failures).
    /// Never called per relayed byte or per read; never given a client address.
    /// </summary>
    public interface ILog
    {
        /// <summary>A normal event.</summary>
        void Info(string message);

        /// <summary>Something a volunteer may need to act on.</summary>
        void Warn(string message);
    }
}
