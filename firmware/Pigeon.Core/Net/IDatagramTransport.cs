namespace Pigeon.Net
{
    /// <summary>Makes UDP sockets on the platform (board or host).</summary>
    public interface IDatagramTransport
    {
        /// <summary>Binds a UDP socket (port 0 = any); null with a plain reason on failure.</summary>
        IDatagramSocket Bind(uint ipv4, int port, out string error);
    }
}
