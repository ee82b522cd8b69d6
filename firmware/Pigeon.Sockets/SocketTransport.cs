using Pigeon.Net;

namespace Pigeon.Sockets
{
    /// <summary>The platform's sockets as an <see cref="ITransport"/> (board and host).</summary>
    public sealed class SocketTransport : ITransport
    {
        /// <inheritdoc />
        public IConnection CreateConnection()
        {
            return new SocketConnection();
        }

        /// <inheritdoc />
        public IListener Listen(uint ipv4, int port, int backlog, out string error)
        {
            return SocketListener.Open(ipv4, port, backlog, out error);
        }
    }
}
