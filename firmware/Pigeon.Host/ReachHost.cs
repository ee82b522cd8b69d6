using System.Threading;
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Reach;
using Pigeon.Relay;
using Pigeon.Routing;
using Pigeon.Sockets;
using Pigeon.Upstream;

namespace Pigeon.Host
{
    /// <summary>
    /// The host's part of the reachability work: its seams and addresses for the shared
    /// <see cref="ReachService"/>, and two background threads, one for the router and dynamic DNS,
    /// one for the health checks (each check may block for the connect timeout).
    /// </summary>
    public sealed class ReachHost
    {
        private readonly ManualResetEvent _stop = new ManualResetEvent(false);
        private readonly int _mapperTickMs;
        private readonly int _healthIntervalMs;
        private Thread _mapperThread;
        private Thread _healthThread;

        /// <summary>Runs <paramref name="service"/> on the given intervals (tests shorten them).</summary>
        public ReachHost(ReachService service, int mapperTickMs, int healthIntervalMs)
        {
            Service = service;
            _mapperTickMs = mapperTickMs;
            _healthIntervalMs = healthIntervalMs;
        }

        /// <summary>The reachability work.</summary>
        public ReachService Service { get; private set; }

        /// <summary>The host's seams: .NET sockets, HttpClient, the default gateway and the address toward it.</summary>
        public static ReachSetup Setup()
        {
            uint gateway = HostGateway.Find();
            return new ReachSetup
            {
                Tcp = new SocketTransport(),
                Udp = new SocketDatagram(),
                Web = new HostWebClient(),
                Random = new PortalRandom(),
                Clock = new HostClock(),
                Gateway = gateway,
                LocalAddress = gateway == 0 ? 0 : HostGateway.LocalAddressToward(gateway),
            };
        }

        /// <summary>Builds the reachability work for the relay and starts its threads.</summary>
        public static ReachHost Start(PigeonConfig config, RelayServer relay, ILog log)
        {
            ReachHost host = new ReachHost(new ReachService(config, relay, Setup(), log), PortMapper.TickMs, UpstreamHealth.IntervalMs);
            host.Start();
            return host;
        }

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
            _mapperThread?.Join(15000);
            _healthThread?.Join(15000);
            if (deleteMappings)
            {
                Service.RemoveMappings();
            }
        }

        private void MapperLoop()
        {
            do
            {
                Service.RefreshMappings();
            }
            while (!_stop.WaitOne(_mapperTickMs));
        }

        private void HealthLoop()
        {
            do
            {
                Service.CheckUpstreams();
            }
            while (!_stop.WaitOne(_healthIntervalMs));
        }
    }
}
