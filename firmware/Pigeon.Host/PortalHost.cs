using System;
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Portal;
using Pigeon.Relay;
using Pigeon.Sockets;

namespace Pigeon.Host
{
    /// <summary>
    /// Runs the portal on the host: the same core server, router and API as the board, over
    /// .NET sockets, the data folder's config file, and a labelled fake Wi-Fi scan. Listens where
    /// the config's "portal" section says (default 127.0.0.1:8080). With --dns-port, also runs the
    /// captive DNS responder on that port (for tests; it answers with the portal's address).
    /// </summary>
    public sealed class PortalHost
    {
        /// <summary>Host slots: more than the board's two, still a small fixed number.</summary>
        public const int HostSlots = 8;

        private readonly ILog _log;
        private PortalServer _server;
        private CaptiveDnsServer _dns;

        private PortalHost(ILog log, PortalBackend backend)
        {
            _log = log;
            Backend = backend;
        }

        /// <summary>The backend (tests replace the fake scan list through it).</summary>
        public PortalBackend Backend { get; private set; }

        /// <summary>The API (tests give it a fixed reachability source through <see cref="PortalApi.Reach"/>).</summary>
        public PortalApi Api { get; private set; }

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

        /// <summary>Starts the portal; null (after a warning) when it cannot listen.</summary>
        public static PortalHost Start(HostOptions options, Func<RelayServer> relay, ILog log, ConfigStore store = null, IMetricsSource metrics = null)
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
            string url = "http://" + self + (portal.Port == 80 ? string.Empty : ":" + portal.Port) + "/";
            PortalApi api = new PortalApi(backend, new HostClock(), new PortalRandom());
            PortalSite site = new PortalSite(backend, host.Assets, api, new[] { self, "localhost" }, url);
            site.Metrics = metrics; // GET /metrics (token or admin session; docs/reachability.md)
            api.Reach = metrics as IReachStatus; // "reach" in /api/status
            host.Api = api;
            host._server = new PortalServer(new SocketTransport(), new HostClock(), log, site, HostSlots);
            if (!host._server.Start(address, portal.Port, out string error))
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

            _server.Stop();
            _log.Info("portal: stopped");
        }
    }
}
