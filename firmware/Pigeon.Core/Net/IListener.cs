namespace Pigeon.Net
{
    /// <summary>A bound, listening TCP socket.</summary>
    public interface IListener
    {
        /// <summary>
        /// Blocks until a client connects and attaches it to <paramref name="into"/> (an
        /// <see cref="IConnection"/> made by the same transport). Returns false once the listener
        /// is closed or failed; the caller then stops or restarts it.
        /// </summary>
        bool Accept(IConnection into);

        /// <summary>Stops listening; a blocked <see cref="Accept"/> returns false.</summary>
        void Close();
    }
}
