using System;
using System.Net.NetworkInformation;
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

namespace Pigeon.Device
{
    /// <summary>
    /// The board's reachability work (docs/reachability.md): router port mapping and public
    /// address (UPnP IGD, NAT-PMP), upstream health checks, the /metrics page and the "reach"
    /// object of the status API. The host's ReachService does the same with two threads; the
    /// board uses ONE thread for the mapper and the health checks, so they hold one socket at a
    /// time (<see cref="SessionBudget.ReachSockets"/>) and one thread's heap.
    /// Dynamic DNS is not run on the board: the pinned packages have no HTTPS client
    /// (nanoFramework.System.Net.Http is not pinned; docs/device.md).
    /// </summary>
    public sealed class DeviceReach : IMetricsSource, IReachStatus
    {
        /// <summary>How long to wait for SSDP answers (UPnP asks for MX = 2 s, plus slack).</summary>
        public const int SearchMs = 3000;

        /// <summary>Per-request timeout of the router's HTTP (description, SOAP).</summary>
        public const int HttpTimeoutMs = 5000;

        /// <summary>
        /// Largest router answer read (the description of a real router is 2-6 KB). The buffer is
        /// allocated per request on the reach thread; <see cref="HeapBytes"/> counts it.
        /// </summary>
        public const int MaxResponseBytes = 16384;

        /// <summary>
        /// Heap the reach work may hold at once besides the relay: the router answer buffer
        /// (16 KB), the request and SOAP text (up to 8 KB while growing) and the thread. Added to
        /// the budget's reserve when the reach thread runs (docs/device.md, "Heap").
        /// </summary>
        public const int HeapBytes = 24 * 1024;

        private readonly PigeonConfig _config;
        private readonly RelayServer _relay;
        private readonly ILog _log;
        private readonly IClock _clock;
        private Thread _thread;

        /// <summary>
        /// Builds the pieces. With <paramref name="background"/> false (the socket budget has no
        /// socket for them) the mapper and the health checks are not built: the metrics and the
        /// status still work, without those families.
        /// </summary>
        public DeviceReach(PigeonConfig config, RelayServer relay, IClock clock, ILog log, bool background)
        {
            _config = config;
            _relay = relay;
            _clock = clock;
            _log = log;
            Memory = new DeviceMemory();
            if (!background)
            {
                return;
            }

            NetworkConfig network = config.Network ?? new NetworkConfig();
            SocketTransport tcp = new SocketTransport();
            SocketDatagram udp = new SocketDatagram();
            NetworkInterface uplink = Uplink();
            Gateway = Parse(uplink == null ? null : uplink.IPv4GatewayAddress);
            LocalAddress = Parse(uplink == null ? null : uplink.IPv4Address);

            UpnpClient upnp = new UpnpClient(tcp, udp, Ssdp.MulticastAddress, Ssdp.MulticastPort, SearchMs, HttpTimeoutMs, MaxResponseBytes);
            NatPmp natPmp = Gateway == 0 ? null : new NatPmp(udp, Gateway, NatPmp.ServerPort);
            Pcp pcp = Gateway == 0 ? null : new Pcp(udp, Gateway, Pcp.ServerPort, LocalAddress, new DeviceRandom());
            Mapper = new PortMapper(upnp, natPmp, pcp, Gateway, clock, log, "Pigeon relay");
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

            // The relay's resolver and cache (DeviceResolver behind it) and its connect timeout.
            Health = new UpstreamHealth(routes, tcp, relay.Dns, clock, relay.ConnectTimeoutMs);
            relay.Health = Health; // sessions try a healthy fallback first

            if (network.DynDnsUrl != null && network.DynDnsUrl.Length > 0)
            {
                log.Warn("dynamic DNS: not available on the board (no HTTPS client in this image); update the name from the router or a host");
            }
        }

        /// <summary>Router port mapping and the public address; null when not running.</summary>
        public PortMapper Mapper { get; private set; }

        /// <summary>Upstream health; null when not running.</summary>
        public UpstreamHealth Health { get; private set; }

        /// <summary>The board's free heap.</summary>
        public IMemoryInfo Memory { get; private set; }

        /// <summary>The uplink's default gateway at start (packed IPv4; 0 = none known).</summary>
        public uint Gateway { get; private set; }

        /// <summary>The uplink's own address at start (packed IPv4; 0 = none).</summary>
        public uint LocalAddress { get; private set; }

        /// <summary>Starts the background thread (nothing when the mapper was not built).</summary>
        public void Start()
        {
            if (Mapper == null)
            {
                return;
            }

            _log.Info("reach: gateway " + IPv4.ToText(Gateway) + ", address " + IPv4.ToText(LocalAddress)
                + (Mapper.Enabled ? ", port mapping on" : ", port mapping off"));
            _thread = new Thread(Loop);
            _thread.Start();
        }

        /// <summary>
        /// Deletes the router mappings (factory reset). Waits for a refresh in progress (the
        /// mapper's lock), at most the router timeouts.
        /// </summary>
        public void RemoveMappings()
        {
            if (Mapper == null)
            {
                return;
            }

            try
            {
                Mapper.RemoveAll();
            }
            catch (Exception ex)
            {
                _log.Warn("reach: deleting mappings failed: " + ex.Message);
            }
        }

        /// <inheritdoc />
        public string MetricsToken
        {
            get
            {
                NetworkConfig network = _config.Network;
                return network == null || network.MetricsToken == null ? "" : network.MetricsToken;
            }
        }

        /// <inheritdoc />
        public void WriteMetrics(TextBuffer text)
        {
            MetricsWriter.Write(text, _relay, Health, Mapper, Memory, _clock);
        }

        /// <inheritdoc />
        public void WriteStatus(JsonWriter json)
        {
            Route[] routes = new Route[_relay.RouteCount];
            for (int i = 0; i < routes.Length; i++)
            {
                routes[i] = _relay.GetRoute(i);
            }

            NetworkConfig network = _config.Network;
            ReachStatusWriter.Write(json, Mapper, Health, routes, null, _clock, network == null ? null : network.PublicHost);
        }

        /// <inheritdoc />
        public string ShareHost()
        {
            // The router-reported address when it is public; null without a mapper (8-socket
            // boards) or before the router answered. The configured name is the portal's to prefer.
            return Mapper == null ? null : Mapper.ShareHost(null);
        }

        /// <summary>The routes' ports, without those listening on loopback only (as the host's ReachService.MappablePorts).</summary>
        public static int[] MappablePorts(RelayServer relay)
        {
            int count = 0;
            int[] ports = new int[relay.RouteCount];
            for (int i = 0; i < relay.RouteCount; i++)
            {
                Route route = relay.GetRoute(i);
                if ((route.ListenAddress >> 24) != 127 && Array.IndexOf(ports, route.ListenPort, 0, count) < 0)
                {
                    ports[count++] = route.ListenPort;
                }
            }

            int[] result = new int[count];
            Array.Copy(ports, result, count);
            return result;
        }

        /// <summary>
        /// One thread, one socket at a time: the mapper every <see cref="PortMapper.TickMs"/>
        /// (it only works when something is due) and the health checks every
        /// <see cref="UpstreamHealth.IntervalMs"/>, in turn.
        /// </summary>
        private void Loop()
        {
            long nextHealth = 0;
            while (true)
            {
                try
                {
                    Mapper.Refresh();
                }
                catch (Exception ex)
                {
                    _log.Warn("reach: port mapping: " + ex.Message);
                }

                if (_clock.NowMilliseconds >= nextHealth)
                {
                    try
                    {
                        Health.CheckAll();
                    }
                    catch (Exception ex)
                    {
                        _log.Warn("reach: health checks: " + ex.Message);
                    }

                    nextHealth = _clock.NowMilliseconds + UpstreamHealth.IntervalMs;
                }

                Thread.Sleep(PortMapper.TickMs);
            }
        }

        /// <summary>The interface the relay's traffic leaves by: Ethernet when it has an address, else the station.</summary>
        private static NetworkInterface Uplink()
        {
            NetworkInterface ethernet = NetworkInterfaces.Find(NetworkInterfaceType.Ethernet);
            if (NetworkInterfaces.HasAddress(ethernet))
            {
                return ethernet;
            }

            NetworkInterface station = NetworkInterfaces.Find(NetworkInterfaceType.Wireless80211);
            return NetworkInterfaces.HasAddress(station) ? station : null;
        }

        private static uint Parse(string text)
        {
            uint address;
            return text != null && IPv4.TryParse(text, out address) ? address : 0;
        }
    }
}
