using Pigeon.Net;
using Pigeon.Reach;

namespace Pigeon.Host
{
    /// <summary>Where the reachability work looks for the router; tests point it at a fake router on 127.0.0.1.</summary>
    public sealed class ReachOptions
    {
        /// <summary>Where the SSDP search goes (default the multicast group).</summary>
        public uint SsdpAddress { get; set; } = Ssdp.MulticastAddress;

        /// <summary>The SSDP port.</summary>
        public int SsdpPort { get; set; } = Ssdp.MulticastPort;

        /// <summary>The router's address; 0 = the host's default gateway.</summary>
        public uint Gateway { get; set; }

        /// <summary>The NAT-PMP port on the router.</summary>
        public int NatPmpPort { get; set; } = NatPmp.ServerPort;

        /// <summary>How long to wait for SSDP answers (UPnP asks for MX = 2 s, plus slack).</summary>
        public int SearchMs { get; set; } = 3000;

        /// <summary>Per HTTP exchange with the router.</summary>
        public int HttpTimeoutMs { get; set; } = 5000;

        /// <summary>Cap on the router's answers (the description is the largest, 2-6 KB).</summary>
        public int MaxResponseBytes { get; set; } = 16384;

        /// <summary>How often the mapper looks whether something is due.</summary>
        public int MapperTickMs { get; set; } = PortMapper.TickMs;

        /// <summary>How often upstreams are checked.</summary>
        public int HealthIntervalMs { get; set; } = Pigeon.Routing.UpstreamHealth.IntervalMs;

        /// <summary>Sockets to use (null = the platform's).</summary>
        public ITransport Transport { get; set; }

        /// <summary>UDP sockets to use (null = the platform's).</summary>
        public IDatagramTransport Datagrams { get; set; }

        /// <summary>Clock (null = the host's).</summary>
        public IClock Clock { get; set; }

        /// <summary>HTTPS client for dynamic DNS (null = HttpClient).</summary>
        public IWebClient Web { get; set; }
    }
}
