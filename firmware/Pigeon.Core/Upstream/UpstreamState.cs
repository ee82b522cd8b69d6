namespace Pigeon.Upstream
{
    /// <summary>The last health check of one upstream host.</summary>
    public enum UpstreamState
    {
        /// <summary>Not checked yet, or not checkable (the route follows the client's SNI).</summary>
        Unknown = 0,

        /// <summary>A TCP connection opened within the timeout.</summary>
        Up = 1,

        /// <summary>The name did not resolve, or the connection failed or timed out.</summary>
        Down = 2,
    }
}
