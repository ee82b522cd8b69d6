using Pigeon.Net;

namespace Pigeon.Reach
{
    /// <summary>
    /// What a platform hands <see cref="ReachService"/>: its sockets, clock and random source, the
    /// router's address as it sees it, and how long to wait for the router. Tests point it at a
    /// fake router on 127.0.0.1.
    /// </summary>
    public sealed class ReachSetup
    {
        /// <summary>TCP sockets (the router's HTTP and the upstream checks).</summary>
        public ITransport Tcp { get; set; }

        /// <summary>UDP sockets (SSDP, NAT-PMP, PCP).</summary>
        public IDatagramTransport Udp { get; set; }

        /// <summary>HTTPS for dynamic DNS; null where the platform has none (the board's pinned packages).</summary>
        public IWebClient Web { get; set; }

        /// <summary>PCP nonces.</summary>
        public IRandomBytes Random { get; set; }

        /// <summary>The clock of leases, checks and updates.</summary>
        public IClock Clock { get; set; }

        /// <summary>The router's address (packed IPv4); 0 when unknown: then only UPnP is tried.</summary>
        public uint Gateway { get; set; }

        /// <summary>This machine's address toward the router (PCP names it); 0 when unknown.</summary>
        public uint LocalAddress { get; set; }

        /// <summary>Where the SSDP search goes (default the multicast group).</summary>
        public uint SsdpAddress { get; set; } = Ssdp.MulticastAddress;

        /// <summary>The SSDP port.</summary>
        public int SsdpPort { get; set; } = Ssdp.MulticastPort;

        /// <summary>The NAT-PMP and PCP port on the router.</summary>
        public int NatPmpPort { get; set; } = NatPmp.ServerPort;

        /// <summary>How long to wait for SSDP answers (UPnP asks for MX = 2 s, plus slack).</summary>
        public int SearchMs { get; set; } = 3000;

        /// <summary>Per HTTP exchange with the router (description, SOAP).</summary>
        public int HttpTimeoutMs { get; set; } = 5000;

        /// <summary>Largest router answer read (the description of a real router is 2-6 KB).</summary>
        public int MaxResponseBytes { get; set; } = 16384;
    }
}
