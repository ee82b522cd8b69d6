using System;
using System.Net.NetworkInformation;
using System.Threading;
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Reach;
using Pigeon.Relay;
using Pigeon.Sockets;
using Pigeon.Budget;
using Pigeon.Upstream;

namespace Pigeon.Device
{
    /// <summary>
    /// The board's part of the reachability work (docs/reachability.md): its seams and the
    /// uplink's addresses for the shared <see cref="ReachService"/>, and ONE thread for the mapper
    /// and the health checks, so they hold one socket at a time
    /// (<see cref="SessionBudget.ReachSockets"/>) and one thread's heap (router answers read up to
    /// <see cref="SessionBudget.RouterAnswerBytes"/>; <see cref="SessionBudget.ReachHeapBytes"/>). Dynamic DNS does not run on
    /// the board: the pinned packages have no HTTPS client (nanoFramework.System.Net.Http is not
    /// pinned; docs/device.md), so the setup has no web client and the service says so.
    /// </summary>
    public sealed class DeviceReach
    {
        /// <summary>How long to wait for SSDP answers (UPnP asks for MX = 2 s, plus slack).</summary>
        public const int SearchMs = 3000;

        /// <summary>Per-request timeout of the router's HTTP (description, SOAP).</summary>
        public const int HttpTimeoutMs = 5000;

        private readonly ILog _log;
        private readonly IClock _clock;
        private Thread _thread;

        /// <summary>Builds the work for <paramref name="relay"/> over the uplink's addresses (nothing runs before <see cref="Start"/>).</summary>
        public DeviceReach(PigeonConfig config, RelayServer relay, IClock clock, ILog log)
        {
            _clock = clock;
            _log = log;
            NetworkInterface uplink = Uplink();
            ReachSetup setup = new ReachSetup();
            setup.Tcp = new SocketTransport();
            setup.Udp = new SocketDatagram();
            setup.Random = new DeviceRandom();
            setup.Clock = clock;
            setup.Gateway = Parse(uplink == null ? null : uplink.IPv4GatewayAddress);
            setup.LocalAddress = Parse(uplink == null ? null : uplink.IPv4Address);
            setup.SearchMs = SearchMs;
            setup.HttpTimeoutMs = HttpTimeoutMs;
            setup.MaxResponseBytes = SessionBudget.RouterAnswerBytes;
            Gateway = setup.Gateway;
            LocalAddress = setup.LocalAddress;
            Service = new ReachService(config, relay, setup, log);
        }

        /// <summary>The reachability work (the portal reports on it).</summary>
        public ReachService Service { get; private set; }

        /// <summary>The uplink's default gateway at start (packed IPv4; 0 = none known).</summary>
        public uint Gateway { get; private set; }

        /// <summary>The uplink's own address at start (packed IPv4; 0 = none).</summary>
        public uint LocalAddress { get; private set; }

        /// <summary>Starts the background thread.</summary>
        public void Start()
        {
            _log.Info("reach: gateway " + IPv4.ToText(Gateway) + ", address " + IPv4.ToText(LocalAddress)
                + (Service.Mapper.Enabled ? ", port mapping on" : ", port mapping off"));
            _thread = new Thread(Loop);
            _thread.Start();
        }

        /// <summary>
        /// Deletes the router mappings (factory reset). Waits for a refresh in progress (the
        /// mapper's lock), at most the router timeouts.
        /// </summary>
        public void RemoveMappings()
        {
            try
            {
                Service.RemoveMappings();
            }
            catch (Exception ex)
            {
                _log.Warn("reach: deleting mappings failed: " + ex.Message);
            }
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
                    Service.RefreshMappings();
                }
                catch (Exception ex)
                {
                    _log.Warn("reach: port mapping: " + ex.Message);
                }

                if (_clock.NowMilliseconds >= nextHealth)
                {
                    try
                    {
                        Service.CheckUpstreams();
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
