namespace Pigeon.Net
{
    /// <summary>A bound UDP socket (captive DNS, SSDP, NAT-PMP). Never throws.</summary>
    public interface IDatagramSocket
    {
        /// <summary>
        /// Waits up to <paramref name="timeoutMs"/> for a datagram. Returns its length (the
        /// rest of a datagram longer than <paramref name="count"/> is dropped), 0 on timeout,
        /// -1 once the socket is closed or failed. The sender's address and port are returned.
        /// </summary>
        int ReceiveFrom(byte[] buffer, int offset, int count, int timeoutMs, out uint fromAddress, out int fromPort);

        /// <summary>Sends one datagram; false on failure.</summary>
        bool SendTo(byte[] buffer, int offset, int count, uint toAddress, int toPort);

        /// <summary>The local port bound (useful after binding port 0).</summary>
        int LocalPort { get; }

        /// <summary>Closes the socket; a blocked ReceiveFrom returns -1.</summary>
        void Close();
    }
}
