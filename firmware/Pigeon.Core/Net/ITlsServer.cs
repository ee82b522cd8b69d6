namespace Pigeon.Net
{
    /// <summary>
    /// The TLS server side of terminateTls routes for a pump over <see cref="IConnection"/>s
    /// (the blocking pump). The host implements it over .NET's SslStream; a board has none (its
    /// SslStream reads the socket itself, so it cannot be handed bytes already read, and its
    /// handshake blocks: docs/device.md), and the validator keeps terminateTls off boards.
    /// </summary>
    public interface ITlsServer
    {
        /// <summary>
        /// Runs the server handshake on <paramref name="client"/>, whose first bytes were already
        /// read into <paramref name="prefix"/>. Blocks until done; closing <paramref name="client"/>
        /// (the reaper, at the hello timeout) makes it fail. Returns the connection that reads and
        /// writes the bytes inside the TLS (closing it closes <paramref name="client"/>), or null
        /// with <paramref name="refusal"/> saying why.
        /// </summary>
        IConnection Handshake(IConnection client, byte[] prefix, int offset, int count, out Pigeon.Relay.RefusalReason refusal);
    }
}
