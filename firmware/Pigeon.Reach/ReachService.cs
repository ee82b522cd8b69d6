using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Routing;
using Pigeon.Upstream;

namespace Pigeon.Reach
{
    /// <summary>
    /// The reachability work, composed the same way on the host and the board: router port mapping
    /// and the public address (UPnP IGD, NAT-PMP, PCP: <see cref="PortMapper"/>), dynamic DNS where
    /// the platform has HTTPS, and upstream health checks (<see cref="UpstreamHealth"/>, which
    /// sessions consult to prefer a healthy fallback). It runs nothing by itself: the platform
    /// calls <see cref="RefreshMappings"/> and <see cref="CheckUpstreams"/> from its own threads
    /// (two on the host; one on the board, so they hold one socket at a time).
    /// </summary>
    public sealed partial class ReachService
    {
        private readonly RelayServer _relay;

        /// <summary>Builds the pieces for <paramref name="relay"/>'s routes and the config's network section.</summary>
        public ReachService(PigeonConfig config, RelayServer relay, ReachSetup setup, ILog log)
        {
            _relay = relay;
            Clock = setup.Clock;
            NetworkConfig network = config.Network ?? new NetworkConfig();
            PublicHost = network.PublicHost;
            uint gateway = setup.Gateway;
            UpnpClient upnp = new UpnpClient(setup.Tcp, setup.Udp, setup.SsdpAddress, setup.SsdpPort, setup.SearchMs, setup.HttpTimeoutMs, setup.MaxResponseBytes);
            NatPmp natPmp = gateway == 0 ? null : new NatPmp(setup.Udp, gateway, setup.NatPmpPort);
            Pcp pcp = gateway == 0 ? null : new Pcp(setup.Udp, gateway, setup.NatPmpPort, setup.LocalAddress, setup.Random);
            Mapper = new PortMapper(upnp, natPmp, pcp, gateway, setup.Clock, log, "Pigeon relay");
            Mapper.SetPorts(MappablePorts(relay));
            if (!network.PortMapping)
            {
                Mapper.SetEnabled(false);
            }

            Health = new UpstreamHealth(Routes(), setup.Tcp, relay.Dns, setup.Clock, relay.ConnectTimeoutMs);
            relay.Health = Health; // sessions try a healthy fallback first

            if (network.DynDnsUrl != null && network.DynDnsUrl.Length > 0)
            {
                StartDynDns(network, setup, log);
                if (DynDns == null)
                {
                    log.Warn("dynamic DNS: not available here (no HTTPS client); update the name from the router or a host");
                }
            }
        }

        /// <summary>Router port mapping and the public address.</summary>
        public PortMapper Mapper { get; private set; }

        /// <summary>Upstream health.</summary>
        public UpstreamHealth Health { get; private set; }

        /// <summary>Dynamic DNS; null when not configured or not available on this platform.</summary>
        public DynDns DynDns { get; private set; }

        /// <summary>The clock the pieces use.</summary>
        public IClock Clock { get; private set; }

        /// <summary>network.publicHost as configured (the share host, when set).</summary>
        public string PublicHost { get; private set; }

        /// <summary>The router's and dynamic DNS's work, once (renewals when due, an update when the address changed).</summary>
        public void RefreshMappings()
        {
            Mapper.Refresh();
            UpdateDynDns();
        }

        // Dynamic DNS is the host's (ReachService.Host.cs, DynDns.Host.cs): a board has no HTTPS
        // client, and without those files the compiler drops these calls (DynDns stays null).
        partial void StartDynDns(NetworkConfig network, ReachSetup setup, ILog log);

        partial void UpdateDynDns();

        /// <summary>One round of upstream checks (each may block for the connect timeout).</summary>
        public void CheckUpstreams()
        {
            Health.CheckAll();
        }

        /// <summary>Deletes the router's mappings (a stop or a factory reset: they point at this machine).</summary>
        public void RemoveMappings()
        {
            Mapper.RemoveAll();
        }

        /// <summary>
        /// The address outside users can reach the relay on: the router-reported address when it
        /// is public (not CGNAT or private); null before the router answered or when none is.
        /// </summary>
        public string ShareHost()
        {
            return Mapper.ShareHost(null);
        }

        /// <summary>The relay's routes, in order.</summary>
        public Route[] Routes()
        {
            Route[] routes = new Route[_relay.RouteCount];
            for (int i = 0; i < routes.Length; i++)
            {
                routes[i] = _relay.GetRoute(i);
            }

            return routes;
        }

        /// <summary>The routes' ports, without those listening on loopback only (nothing outside can reach them).</summary>
        public static int[] MappablePorts(RelayServer relay)
        {
            int count = 0;
            int[] ports = new int[relay.RouteCount];
            for (int i = 0; i < relay.RouteCount; i++)
            {
                Route route = relay.GetRoute(i);
                if (!route.ListenAddress.IsLoopback && System.Array.IndexOf(ports, route.ListenPort, 0, count) < 0)
                {
                    ports[count++] = route.ListenPort;
                }
            }

            int[] result = new int[count];
            System.Array.Copy(ports, result, count);
            return result;
        }
    }
}
