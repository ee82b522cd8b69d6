namespace Pigeon.Net
{
    /// <summary>The sockets of one platform: .NET on the host, lwIP under nanoFramework on the board.</summary>
    public interface ITransport
    {
        /// <summary>Makes an empty, reusable connection object (called only at start).</summary>
        IConnection CreateConnection();

        /// <summary>
        /// Binds and listens. On failure returns null and sets <paramref name="error"/> to a plain
        /// reason (for example "permission denied: ports below 1024 need privileges").
        /// </summary>
        IListener Listen(uint ipv4, int port, int backlog, out string error);
    }
}
