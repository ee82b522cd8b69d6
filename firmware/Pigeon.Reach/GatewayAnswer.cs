namespace Pigeon.Reach
{
    /// <summary>
    /// Decides whether a datagram that came from the gateway's address and port is the answer
    /// <see cref="GatewayUdp.Exchange"/> waits for; false keeps it listening.
    /// </summary>
    public delegate bool GatewayAnswer(byte[] answer, int count);
}
