using System;
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Portal;
using Pigeon.Reach;
using Pigeon.Relay;
using Pigeon.Sockets;

namespace Pigeon.Host
{
    /// <summary>
    /// Runs the portal on the host: the shared <see cref="PortalService"/> over .NET sockets, the
    /// data folder's config file, and a labelled fake Wi-Fi scan. Listens where the config's
    /// "portal" section says (default 127.0.0.1:8080). With --dns-port, also runs the captive DNS
    /// responder on that port (for tests; it answers with the portal's address).
    /// </summary>
    public sealed class PortalHost
    {
        /// <summary>Host slots: more than the board's two, still a small fixed number.</summary>
        public const int HostSlots = 8;

        private readonly ILog _log;
        private PortalService _portal;
        private CaptiveDnsServer _dns;

        private PortalHost(ILog log, PortalBackend backend)
        {
            _log = log;
            Backend = backend;
        }

        /// <summary>The backend (tests replace the fake scan list through it).</summary>
        public PortalBackend Backend { get; private set; }

        /// <summary>The API (tests give it a fixed reachability source through <see cref="PortalApi.Reach"/>).</summary>
        public PortalApi Api
        {
            get { return _portal.Api; }
        }

        /// <summary>The portal's listener: its waiting room, caps and counters.</summary>
        public PortalGate Gate { get; private set; }

        /// <summary>The page's files.</summary>
        public PortalAssets Assets { get; private set; }

        /// <summary>The port the portal listens on.</summary>
        public int Port { get; private set; }

        /// <summary>The address the portal listens on.</summary>
        public uint Address { get; private set; }

        /// <summary>The DNS responder's port (0 when not running).</summary>
        public int DnsPort
        {
            get { return _dns == null ? 0 : _dns.LocalPort; }
        }

        /// <summary>
        /// Starts the portal; null (after a warning) when it cannot listen. <paramref name="reach"/>
        /// (null with --no-reach) adds port mapping and upstream health to /metrics and the status;
        /// the relay's own counters are on /metrics either way.
        /// </summary>
        public static PortalHost Start(HostOptions options, Func<RelayServer> relay, ILog log, ConfigStore store = null, ReachService reach = null)
        {
            // One ConfigStore per config file (its lock orders saves and loads): the app's, when given.
            PortalBackend backend = store == null
                ? new PortalBackend(options.EffectiveConfigPath, relay)
                : new PortalBackend(store, new Pbkdf2PasswordHasher(), relay);
            if (options.FakeWifiPath != null)
            {
                backend.FakeNetworks = PortalBackend.ReadFakeNetworks(options.FakeWifiPath);
            }

            PortalHost host = new PortalHost(log, backend);
            PortalConfig portal = backend.LoadConfig().Portal ?? ConfigDefaults.Create(false).Portal;
            if (!IPv4.TryParse(portal.ListenAddress, out uint address))
            {
                log.Warn("portal: listenAddress \"" + portal.ListenAddress + "\" is not an IPv4 address; the portal is off");
                return null;
            }

            RelayServer running = relay == null ? null : relay();
            for (int i = 0; running != null && i < running.RouteCount; i++)
            {
                if (running.GetRoute(i).ListenPort == portal.Port)
                {
                    log.Warn("portal: port " + portal.Port + " is a relay port; the portal is off");
                    return null;
                }
            }

            host.Address = address;
            host.Port = portal.Port;
            host.Assets = new PortalAssets();
            string self = IPv4.ToText(address == IPv4.Any ? IPv4.Loopback : address);
            // The gate holds each connection until its request is whole and keeps a slot for the
            // owner (docs/portal.md, "Floods"); the server only serves what it is handed.
            HostClock clock = new HostClock();
            host.Gate = new PortalGate(clock, log, HostSlots);
            host._portal = new PortalService(backend, host.Assets, host.Gate, clock, log, new PortalRandom(), new HostMemory(), self, portal.Port, HostSlots);
            host.Gate.Sessions = host._portal.Api.Sessions;
            host._portal.SetReach(reach); // GET /metrics and "reach" in /api/status (docs/reachability.md)
            if (!host._portal.Start(address, out string error))
            {
                log.Warn("portal: cannot listen on " + IPv4.ToText(address) + ":" + portal.Port + ": " + error);
                return null;
            }

            if (options.DnsPort >= 0)
            {
                host._dns = new CaptiveDnsServer(log);
                uint answer = address == IPv4.Any ? IPv4.Loopback : address;
                if (!host._dns.Start(new SocketDatagram(), address, options.DnsPort, answer, out string dnsError))
                {
                    log.Warn("captive DNS: cannot bind port " + options.DnsPort + ": " + dnsError);
                    host._dns = null;
                }
            }

            return host;
        }

        /// <summary>Stops the DNS responder and the portal.</summary>
        public void Stop()
        {
            if (_dns != null)
            {
                _dns.Stop();
            }

            _portal.Stop();
            _log.Info("portal: stopped");
        }
    }
}
