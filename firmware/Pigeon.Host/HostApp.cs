using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Pigeon.Config;
using Pigeon.Host.Service;
using Pigeon.Json;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Routing;
using Pigeon.Pumps.Events;
using Pigeon.Host.Tls;
using Pigeon.Host.Web;
using Pigeon.Sockets;
using Pigeon.Counters;
using Pigeon.Pumps.Threaded;

namespace Pigeon.Host
{
    /// <summary>
    /// The host's composition root: loads the config, builds the relay over .NET sockets, starts
    /// and stops it. Program.Main is a thin shell over this, so tests can run the host in-process.
    /// </summary>
    public sealed class HostApp
    {
        private readonly HostOptions _options;
        private readonly ILog _log;
        private RelayServer _relay;
        private Timer _statsTimer;
        private ReachHost _reach;
        private long _statusAllocated;
        private PortalHost _portal;
        private TallyRecorder _tally;
        private CertificateService _certificates;
        private Acme.HttpSite _site;

        /// <summary>Creates the app for the given options.</summary>
        public HostApp(HostOptions options, ILog log)
        {
            _options = options;
            _log = log;
        }

        /// <summary>The running relay (after <see cref="Start"/>).</summary>
        public RelayServer Relay
        {
            get { return _relay; }
        }

        /// <summary>Port mapping, public address, upstream health, dynamic DNS (after <see cref="Start"/>; null with --no-reach).</summary>
        public Pigeon.Reach.ReachService Reach
        {
            get { return _reach?.Service; }
        }

        /// <summary>The portal (after <see cref="Start"/>; null when it could not listen).</summary>
        public PortalHost Portal
        {
            get { return _portal; }
        }

        /// <summary>The last 24 hours' activity (after <see cref="Start"/>), saved beside the config.</summary>
        public TallyRecorder Tally
        {
            get { return _tally; }
        }

        /// <summary>The config in use.</summary>
        public PigeonConfig Config { get; private set; }

        /// <summary>The power-safe config store (the portal saves through it).</summary>
        public ConfigStore Store { get; private set; }


        /// <summary>
        /// Loads the config (creating the data folder's default on first start) and builds the
        /// relay. Returns false and fills <paramref name="errors"/> with "field: reason" lines.
        /// </summary>
        public bool Load(List<string> errors)
        {
            Store = HostConfig.OpenStore(_options);
            if (!HostConfig.Load(Store, _options, _log, errors))
            {
                return false;
            }

            if (_options.Setup != null)
            {
                // A container's settings (PIGEON_PUBLIC_HOST, ...): `pigeon setup` before each start.
                ValidationReport report = new ValidationReport();
                List<string> done = new List<string>();
                if (!SetupCommand.Apply(Store, _options.Setup, new Pbkdf2PasswordHasher(), report, done))
                {
                    for (int i = 0; i < report.ErrorCount; i++)
                    {
                        errors.Add(report.GetError(i).ToString());
                    }

                    return false;
                }

                foreach (string line in done)
                {
                    _log.Info("setup from the environment: " + line);
                }
            }

            Config = Store.Current;
            try
            {
                _relay = CreateRelay(Config.Relay, _options.Pump, new HostResolver(), new HostClock(), _log);
            }
            catch (ArgumentException e)
            {
                errors.Add(e.Message);
                return false;
            }

            return LoadTls(errors);
        }

        /// <summary>The certificate terminateTls routes present (null when no route terminates TLS).</summary>
        public TlsIdentity Tls
        {
            get { return _certificates?.Current; }
        }

        /// <summary>Where that certificate comes from and what keeps it current (null when no route terminates TLS).</summary>
        public CertificateService Certificates
        {
            get { return _certificates; }
        }

        /// <summary>Plain HTTP on relay.httpPort (after <see cref="Start"/>; null when off or not listening).</summary>
        public Acme.HttpSite Site
        {
            get { return _site; }
        }

        /// <summary>
        /// Makes a new certificate for the terminateTls routes and presents it from the next
        /// handshake on (the portal's "new certificate"). False with a reason when the config names
        /// its own PEM files (Pigeon never replaces those) or no route terminates TLS.
        /// </summary>
        public bool RenewCertificate(out string error)
        {
            if (_certificates == null)
            {
                error = "no route terminates TLS";
                return false;
            }

            return _certificates.RenewMade(out error);
        }

        private bool LoadTls(List<string> errors)
        {
            bool needed = false;
            for (int i = 0; i < _relay.RouteCount; i++)
            {
                needed = needed || _relay.GetRoute(i).TerminateTls;
            }

            if (!needed)
            {
                return true;
            }

            _certificates = CertificateService.Load(Config, _options.StateDir, _log, errors);
            if (_certificates == null)
            {
                return false;
            }

            // Offered in ALPN as a web server on 443 would (nginx: http/1.1 without HTTP/2).
            _certificates.Store.ApplicationProtocols = new List<System.Net.Security.SslApplicationProtocol> { System.Net.Security.SslApplicationProtocol.Http11 };
            if (_relay is EventRelay events)
            {
                events.Certificates = _certificates.Store;
            }
            else if (_relay is ThreadedRelay threaded)
            {
                threaded.Tls = new TlsServer(_certificates.Store);
            }

            return true;
        }

        /// <summary>
        /// The host's relay: the event-driven pump, or with "threads" the board's blocking one
        /// (with a server's listen backlog rather than lwIP's 8).
        /// </summary>
        public static RelayServer CreateRelay(RelayConfig config, string pump, IResolver resolver, IClock clock, ILog log)
        {
            if (pump == "threads")
            {
                ThreadedRelay threaded = new ThreadedRelay(config, new SocketTransport(), resolver, clock, log);
                threaded.Backlog = SocketListener.ServerBacklog;
                threaded.Web = new DecoySite(config.DecoyPage, DateTime.UtcNow);
                return threaded;
            }

            return new EventRelay(config, resolver, clock, log) { Web = new DecoySite(config.DecoyPage, DateTime.UtcNow) };
        }

        /// <summary>
        /// Opens the ports; returns how many routes listen, or -1 when a port is taken by another
        /// program (another Pigeon, most likely): then nothing runs and the log says which port.
        /// </summary>
        public int Start()
        {
            long files = FileLimit.Ensure(_relay.MaxSessions, _relay.RouteCount, _log);
            if (files > 0 && _relay.LimitSessions((int)Math.Min(int.MaxValue, FileLimit.SessionsWithin(files, _relay.RouteCount))))
            {
                _log.Warn("relay: at most " + _relay.MaxSessions + " sessions at once under the open-file limit of " + files
                    + " (two each, and room for the runtime's own); later clients are refused as \"relay full\" until sessions end");
            }

            if (_certificates != null && !TlsWarmUp.Run(_certificates.Store.Options, out string warmUpError))
            {
                _log.Warn("TLS: the first handshake, made at start, failed: " + warmUpError);
            }

            int opened = _relay.Start();
            bool inUse = false;
            for (int i = 0; i < _relay.RouteCount; i++)
            {
                if (_relay.GetListener(i).PortInUse)
                {
                    _log.Warn("route " + _relay.GetRoute(i).Name + ": port " + _relay.GetRoute(i).ListenPort + " is in use by another program; is Pigeon running already?");
                    inUse = true;
                }
            }

            if (inUse)
            {
                _relay.Stop();
                return -1;
            }

            for (int i = 0; i < _relay.RouteCount; i++)
            {
                Route route = _relay.GetRoute(i);
                RouteListener listener = _relay.GetListener(i);
                string target = route.UpstreamFromSni ? "<SNI host>:" + route.UpstreamPort : route.UpstreamHost + ":" + route.UpstreamPort;
                string kind = route.InspectsSni ? "TLS passthrough, SNI allow-list"
                    : (route.TerminateTls ? "TLS terminated" : "plain") + (route.ProxyProtocol ? ", PROXY v" + route.ProxyVersion : string.Empty)
                    + (route.AcceptProxy ? ", expects a PROXY header" : string.Empty);
                if (listener.IsListening)
                {
                    _log.Info("route " + route.Name + ": listening on " + Endpoint(route.ListenAddress, route.ListenPort) + " -> " + target + " (" + kind + ")");
                }
            }

            int lowestSkipped = 0;
            for (int i = 0; i < _relay.RouteCount; i++)
            {
                int port = _relay.GetRoute(i).ListenPort;
                string error = _relay.GetListener(i).Error;
                if (!_relay.GetListener(i).IsListening && port < 1024 && error != null && error.StartsWith("permission denied", StringComparison.Ordinal)
                    && (lowestSkipped == 0 || port < lowestSkipped))
                {
                    lowestSkipped = port;
                }
            }

            if (lowestSkipped > 0)
            {
                _log.Warn(LowPortHint(lowestSkipped, Environment.ProcessPath, Environment.GetEnvironmentVariable("INVOCATION_ID") != null));
            }

            _log.Info("relay up: " + opened + " of " + _relay.RouteCount + " routes, " + _relay.MaxSessions + " session slots, "
                + (_relay.BufferBytesPerSession / 1024) + " KB of buffers " + (_relay.LendsBuffers ? "lent to each session only while bytes move" : "each"));
            _reach = !_options.Reach ? null : ReachHost.Start(Config, _relay, _log);
            _certificates?.Start();
            if (Config.Relay.HttpPort > 0)
            {
                Acme.AcmeChallenges challenges = _certificates?.Acme?.Challenges;
                _site = Acme.HttpSite.Start(System.Net.IPAddress.Any, Config.Relay.HttpPort, Config.Relay.DecoyPage, challenges == null ? null : challenges.HttpAnswer, _log);
            }

            if (_options.StatsIntervalSeconds > 0)
            {
                int ms = _options.StatsIntervalSeconds * 1000;
                _statsTimer = new Timer(_ => PrintStatus(), null, ms, ms);
            }

            _portal = PortalHost.Start(_options, () => _relay, _log, Store, Reach);
            _tally = new TallyRecorder(_relay, new WallClock(), _options.StateDir, _log);
            _tally.Load();
            _tally.Start();
            if (_portal != null)
            {
                _portal.Api.Summary = _tally; // "last24h" on the status page
                if (_certificates != null)
                {
                    _portal.Api.Tls = new PortalCertificate(this); // "tls" on the status page, "new certificate"
                }
            }

            return opened;
        }

        private static string Endpoint(NetAddress address, int port)
        {
            if (address.IsAny && System.Net.Sockets.Socket.OSSupportsIPv6)
            {
                return "0.0.0.0:" + port + " and [::]:" + port;
            }

            return (address.IsIPv4 ? address.ToString() : "[" + address.ToString() + "]") + ":" + port;
        }

        /// <summary>
        /// What to do when ports below 1024 were refused, for how this process runs: under
        /// systemd (the package's unit grants CAP_NET_BIND_SERVICE, so something took it away),
        /// as `dotnet` (dotnet run: the capability goes on the dotnet binary), or as the one-file
        /// `pigeon` (the capability goes on that file). The sysctl works in every case.
        /// </summary>
        public static string LowPortHint(int lowestSkipped, string processPath, bool underSystemd)
        {
            string sysctl = "sudo sysctl -w net.ipv4.ip_unprivileged_port_start=" + lowestSkipped;
            string name = processPath == null ? string.Empty : Path.GetFileNameWithoutExtension(processPath);
            string what;
            if (underSystemd)
            {
                what = "the pigeon.service unit gives the relay CAP_NET_BIND_SERVICE (AmbientCapabilities=); "
                    + "check that no drop-in (systemctl cat pigeon) or container setting removes it, or allow every user: " + sysctl;
            }
            else if (name == "dotnet")
            {
                what = "allow every user: " + sysctl + "; or give dotnet the capability: sudo setcap cap_net_bind_service=+ep \"$(readlink -f \"$(which dotnet)\")\"; or run as root";
            }
            else
            {
                what = "allow every user: " + sysctl + "; or give this program the capability: sudo setcap cap_net_bind_service=+ep " + processPath + "; or run as root";
            }

            return "ports below 1024 need a permission: " + what + ". The other routes are running";
        }

        /// <summary>Stops the relay.</summary>
        public void Stop()
        {
            _portal?.Stop();
            _tally?.Stop(); // after the portal, before the relay: the last minute is saved
            if (_statsTimer != null)
            {
                _statsTimer.Dispose();
            }

            _reach?.Stop(true);
            _site?.Dispose();
            _certificates?.Dispose();
            if (_relay != null)
            {
                _relay.Stop();
            }
        }

        /// <summary>One JSON line of live figures (for --stats-interval and the benchmark).</summary>
        public string StatusLine()
        {
            // Read the process's allocation count before this method allocates anything, and
            // report what earlier status lines allocated, so the benchmark can count the relay's
            // own allocations alone (gcAllocatedBytes - statusAllocatedBytes).
            long before = GC.GetAllocatedBytesForCurrentThread();
            long allocated = GC.GetTotalAllocatedBytes(true);
            long statusAllocated = Interlocked.Read(ref _statusAllocated);
            RouteCounters total = _relay.SnapshotTotal();
            JsonWriter json = new JsonWriter(512);
            json.BeginObject().Name("stats").BeginObject()
                .Member("uptimeSeconds", _relay.UptimeSeconds)
                .Member("activeSessions", _relay.ActiveSessions)
                .Member("maxSessions", _relay.MaxSessions)
                .Member("accepted", total.Accepted)
                .Member("refused", total.RefusedTotal)
                .Member("upstreamFailures", total.UpstreamFailures)
                .Member("bytesToUpstream", total.BytesToUpstream)
                .Member("bytesToClient", total.BytesToClient)
                .Member("gcAllocatedBytes", allocated)
                .Member("statusAllocatedBytes", statusAllocated)
                .Member("tallyAllocatedBytes", _tally == null ? 0 : _tally.AllocatedBytes)
                .Member("gcCollections", GC.CollectionCount(0))
                .EndObject().EndObject();
            string line = json.ToString();
            Interlocked.Add(ref _statusAllocated, GC.GetAllocatedBytesForCurrentThread() - before);
            return line;
        }

        private void PrintStatus()
        {
            // The write is counted with the line: it is the status output's cost, not the relay's.
            string line = StatusLine();
            long before = GC.GetAllocatedBytesForCurrentThread();
            Console.Out.WriteLine(line);
            Interlocked.Add(ref _statusAllocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

    }
}
