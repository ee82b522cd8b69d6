namespace Pigeon.Upstream
{
    /// <summary>One upstream host's last check (immutable: replaced whole, read from any thread).</summary>
    public sealed class UpstreamCheck
    {
        /// <summary>Creates a record.</summary>
        public UpstreamCheck(string host, int port, UpstreamState state, int connectMs, long checkedAtMs, string message)
        {
            Host = host;
            Port = port;
            State = state;
            ConnectMs = connectMs;
            CheckedAtMs = checkedAtMs;
            Message = message;
        }

        /// <summary>The upstream host name or address.</summary>
        public string Host { get; private set; }

        /// <summary>The upstream port.</summary>
        public int Port { get; private set; }

        /// <summary>Up, down, or unknown.</summary>
        public UpstreamState State { get; private set; }

        /// <summary>How long the TCP connect took (ms); -1 when it failed or never ran.</summary>
        public int ConnectMs { get; private set; }

        /// <summary>When it was checked (the checker's clock, ms); 0 = never.</summary>
        public long CheckedAtMs { get; private set; }

        /// <summary>A plain sentence ("reachable in 35 ms", "the name does not resolve", ...).</summary>
        public string Message { get; private set; }
    }
}
