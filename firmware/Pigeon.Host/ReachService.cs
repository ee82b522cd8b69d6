using System.Threading;
using Pigeon.Config;
using Pigeon.Json;
using Pigeon.Net;
using Pigeon.Portal;
using Pigeon.Reach;
using Pigeon.Relay;
using Pigeon.Routing;
using Pigeon.Sockets;
using Pigeon.Text;

namespace Pigeon.Host
{
    /// <summary>
    /// The host's reachability work: router port mapping and public address (UPnP, NAT-PMP, PCP),
    /// dynamic DNS, upstream health checks and the metrics text. Two background threads: one for
    /// the router and dynamic DNS, one for the health checks (each check may block for the
    /// connect timeout). The board's composition root does the same with its own seams.
    /// </summary>
    public sealed class ReachService : IMetricsSource, IReachStatus
    {
        private readonly PigeonConfig _config;
        private readonly RelayServer _relay;
        private readonly ILog _log;
        private readonly ReachOptions _options;
        private readonly ManualResetEvent _stop = new ManualResetEvent(false);
        private Thread _mapperThread;
        private Thread _healthThread;

        /// <summary>Builds the pieces (nothing runs before <see cref="Start"/>).</summary>
        public ReachService(PigeonConfig config, RelayServer relay, ILog log, ReachOptions options)
        {
            _config = config;
            _relay = relay;
            _log = log;
            _options = options ?? new ReachOptions();
            Clock = _options.Clock ?? new HostClock();
            Memory = new HostMemory();
            ITransport tcp = _options.Transport ?? new SocketTransport();
            IDatagramTransport udp = _options.Datagrams ?? new SocketDatagram();
            NetworkConfig network = config.Network ?? new NetworkConfig();

            uint gateway = _options.Gateway != 0 ? _options.Gateway : HostGateway.Find();
            UpnpClient upnp = new UpnpClient(tcp, udp, _options.SsdpAddress, _options.SsdpPort, _options.SearchMs, _options.HttpTimeoutMs, _options.MaxResponseBytes);
            NatPmp natPmp = gateway == 0 ? null : new NatPmp(udp, gateway, _options.NatPmpPort);
            Pcp pcp = gateway == 0 ? null : new Pcp(udp, gateway, _options.NatPmpPort, HostGateway.LocalAddressToward(gateway), new PortalRandom());
            Mapper = new PortMapper(upnp, natPmp, pcp, gateway, Clock, log, "Pigeon relay");
            Mapper.SetPorts(MappablePorts(relay));
            if (!network.PortMapping)
            {
                Mapper.SetEnabled(false);
            }

            Route[] routes = new Route[relay.RouteCount];
            for (int i = 0; i < routes.Length; i++)
            {
                routes[i] = relay.GetRoute(i);
            }

            Health = new UpstreamHealth(routes, tcp, relay.Dns, Clock, relay.ConnectTimeoutMs);
            relay.Health = Health; // sessions try a healthy fallback first
            if (network.DynDnsUrl != null && network.DynDnsUrl.Length > 0)
            {
                DynDns = new DynDns(_options.Web ?? new HostWebClient(), Clock, network.DynDnsUrl, network.DynDnsUser, network.DynDnsPassword, network.PublicHost);
                if (DynDns.ConfigError != null)
                {
                    log.Warn("dynamic DNS: " + DynDns.ConfigError);
                }
            }
        }

        /// <summary>Router port mapping and the public address.</summary>
        public PortMapper Mapper { get; private set; }

        /// <summary>Upstream health.</summary>
        public UpstreamHealth Health { get; private set; }

        /// <summary>Dynamic DNS; null when not configured.</summary>
        public DynDns DynDns { get; private set; }

        /// <summary>Memory figures.</summary>
        public IMemoryInfo Memory { get; private set; }

        /// <summary>The clock the pieces use.</summary>
        public IClock Clock { get; private set; }

        /// <summary>Starts the background threads.</summary>
        public void Start()
        {
            _mapperThread = new Thread(MapperLoop) { IsBackground = true, Name = "pigeon-reach" };
            _healthThread = new Thread(HealthLoop) { IsBackground = true, Name = "pigeon-health" };
            _mapperThread.Start();
            _healthThread.Start();
        }

        /// <summary>Stops the threads; <paramref name="deleteMappings"/> also removes the router's mappings.</summary>
        public void Stop(bool deleteMappings)
        {
            _stop.Set();
            if (_mapperThread != null)
            {
                _mapperThread.Join(15000);
            }

            if (_healthThread != null)
            {
                _healthThread.Join(15000);
            }

            if (deleteMappings)
            {
                Mapper.RemoveAll();
            }
        }

        /// <inheritdoc />
        public string MetricsToken
        {
            get { return (_config.Network ?? new NetworkConfig()).MetricsToken ?? string.Empty; }
        }

        /// <inheritdoc />
        public void WriteMetrics(TextBuffer text)
        {
            MetricsWriter.Write(text, _relay, Health, Mapper, Memory, Clock);
        }

        /// <summary>The metrics page text (Prometheus text format).</summary>
        public TextBuffer WriteMetrics()
        {
            TextBuffer text = new TextBuffer(8192, 1 << 20);
            MetricsWriter.Write(text, _relay, Health, Mapper, Memory, Clock);
            return text;
        }

        /// <inheritdoc />
        public void WriteStatus(JsonWriter json)
        {
            Route[] routes = new Route[_relay.RouteCount];
            for (int i = 0; i < routes.Length; i++)
            {
                routes[i] = _relay.GetRoute(i);
            }

            ReachStatusWriter.Write(json, Mapper, Health, routes, DynDns, Clock, (_config.Network ?? new NetworkConfig()).PublicHost);
        }

        /// <inheritdoc />
        public string ShareHost()
        {
            return Mapper == null ? null : Mapper.ShareHost(null);
        }

        /// <summary>The mapper's and dynamic DNS's work once (also used by tests).</summary>
        public void RunMapperOnce()
        {
            Mapper.Refresh();
            if (DynDns != null && Mapper.ExternalAddress != 0)
            {
                DynDns.Update(Mapper.ExternalAddress);
            }
        }

        /// <summary>The routes' ports, without those listening on loopback only (nothing outside can reach them).</summary>
        public static int[] MappablePorts(RelayServer relay)
        {
            int count = 0;
            int[] ports = new int[relay.RouteCount];
            for (int i = 0; i < relay.RouteCount; i++)
            {
                Route route = relay.GetRoute(i);
                if ((route.ListenAddress >> 24) != 127 && System.Array.IndexOf(ports, route.ListenPort, 0, count) < 0)
                {
                    ports[count++] = route.ListenPort;
                }
            }

            System.Array.Resize(ref ports, count);
            return ports;
        }

        private void MapperLoop()
        {
            do
            {
                RunMapperOnce();
            }
            while (!_stop.WaitOne(_options.MapperTickMs));
        }

        private void HealthLoop()
        {
            do
            {
                Health.CheckAll();
            }
            while (!_stop.WaitOne(_options.HealthIntervalMs));
        }
    }
}
