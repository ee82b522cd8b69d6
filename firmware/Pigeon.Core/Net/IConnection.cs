namespace Pigeon.Net
{
    /// <summary>
    /// One TCP connection, as the relay sees it. A host creates a fixed number of these at start
    /// (two per session slot, one per listener) and re-attaches new sockets to them, so the relay
    /// allocates no wrapper object per session.
    /// </summary>
    /// <remarks>
    /// Every call may be made from the session's threads; <see cref="Close"/> may also be called
    /// from the relay's reaper thread to unblock a thread parked in Receive, Send or Connect, and
    /// must then make that call return its failure value. Implementations never throw out of these
    /// methods: outcomes are values (docs/architecture.md, convention 4).
    /// </remarks>
    public interface IConnection
    {
        /// <summary>True between a successful attach (accept or connect) and <see cref="Close"/>.</summary>
        bool IsOpen { get; }

        /// <summary>
        /// Opens a new outbound connection to an IPv4 address (network byte order packed as
        /// a.b.c.d = a &lt;&lt; 24 | ...). Blocks until connected or failed; the reaper enforces the
        /// timeout by calling Close. Returns false on any failure.
        /// </summary>
        bool Connect(uint ipv4, int port);

        /// <summary>Blocks until data arrives. Returns the byte count, 0 when the peer finished
        /// sending (FIN), or -1 on error, reset or Close.</summary>
        int Receive(byte[] buffer, int offset, int count);

        /// <summary>Sends all <paramref name="count"/> bytes; false on error or Close.</summary>
        bool Send(byte[] buffer, int offset, int count);

        /// <summary>
        /// Half-closes the sending direction (TCP FIN) where the platform can. nanoFramework has
        /// no managed Shutdown, so the device returns false and the relay falls back to a short
        /// drain followed by a full close.
        /// </summary>
        bool ShutdownSend();

        /// <summary>Address of the peer, IPv4 packed big-endian; 0 when unknown.</summary>
        uint RemoteAddress { get; }

        /// <summary>Port of the peer; 0 when unknown.</summary>
        int RemotePort { get; }

        /// <summary>Our own address on this connection (the address the client dialled); 0 when unknown.</summary>
        uint LocalAddress { get; }

        /// <summary>Our own port on this connection.</summary>
        int LocalPort { get; }

        /// <summary>Closes the socket (idempotent, thread-safe) and leaves the object ready for reuse.</summary>
        void Close();
    }
}
