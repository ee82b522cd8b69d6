using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Counters;

namespace Pigeon.Routing
{
    /// <summary>A route ready to run: parsed addresses, prepared allow-list, its counters.</summary>
    public sealed class Route
    {
        private NetAddress[] _proxies;
        private int[] _proxyBits;

        private Route()
        {
        }

        /// <summary>Position in the route table.</summary>
        public int Index { get; private set; }

        /// <summary>Name from the config.</summary>
        public string Name { get; private set; }

        /// <summary>Address to listen on (0 = every interface).</summary>
        public NetAddress ListenAddress { get; private set; }

        /// <summary>Port to listen on.</summary>
        public int ListenPort { get; private set; }

        /// <summary>Upstream host name or IPv4 literal.</summary>
        public string UpstreamHost { get; private set; }

        /// <summary>Upstream port.</summary>
        public int UpstreamPort { get; private set; }

        /// <summary>Second upstream host; null for none.</summary>
        public string FallbackHost { get; private set; }

        /// <summary>Send a PROXY header upstream.</summary>
        public bool ProxyProtocol
        {
            get { return ProxyVersion != 0; }
        }

        /// <summary>The PROXY header sent upstream: 0 none, 1 the v1 text line, 2 the v2 binary header.</summary>
        public int ProxyVersion { get; private set; }

        /// <summary>Terminate the client's TLS and relay what is inside (a chat route; see RouteConfig.TerminateTls).</summary>
        public bool TerminateTls { get; private set; }

        /// <summary>Expect a PROXY header from a load balancer before the client's bytes.</summary>
        public bool AcceptProxy { get; private set; }

        /// <summary>True when <paramref name="peer"/> is one of the load balancers acceptProxyFrom names (nobody else may send a PROXY header).</summary>
        public bool TrustsProxy(NetAddress peer)
        {
            for (int i = 0; i < _proxies.Length; i++)
            {
                if (peer.IsIn(_proxies[i], _proxyBits[i]))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Refuse first bytes no WhatsApp chat client sends (<see cref="Pigeon.Relay.ChatOpening"/>).</summary>
        public bool ChatOpeningCheck { get; private set; }

        /// <summary>Names carried on an SNI route; null on a plain route.</summary>
        public HostAllowList AllowList { get; private set; }

        /// <summary>True when the route reads the ClientHello and checks its SNI.</summary>
        public bool InspectsSni
        {
            get { return AllowList != null; }
        }

        /// <summary>Connect to the SNI host itself rather than <see cref="UpstreamHost"/>.</summary>
        public bool UpstreamFromSni { get; private set; }

        /// <summary>On a terminateTls route: the Signal hosts whose ClientHello inside the TLS is passed through (null: Signal off).</summary>
        public HostAllowList SignalAllowList { get; private set; }

        /// <summary>The port a Signal host is dialled on (443).</summary>
        public int SignalPort { get; private set; }

        /// <summary>Carry TLS on a plain route instead of refusing it.</summary>
        public bool AllowTls { get; private set; }

        /// <summary>This route's counters.</summary>
        public RouteCounters Counters { get; private set; }

        /// <summary>
        /// Builds a route from its config. Returns null with the first problem ("listenPort: must
        /// be ...") when the route cannot run: the config validator's own rules for one route
        /// (<see cref="ConfigValidator.ValidateRoute(RouteConfig, string, ValidationReport)"/>).
        /// </summary>
        public static Route Build(RouteConfig config, int index, out string error)
        {
            error = null;
            if (config == null)
            {
                error = "the route is empty";
                return null;
            }

            ValidationReport report = new ValidationReport();
            ConfigValidator.ValidateRoute(config, string.Empty, report);
            if (!report.IsValid)
            {
                error = report.GetError(0).Path.Substring(1) + ": " + report.GetError(0).Message;
                return null;
            }

            NetAddress listen;
            NetAddress.TryParse(config.ListenAddress, out listen);
            int sources = config.AcceptProxyFrom == null ? 0 : config.AcceptProxyFrom.Length;
            NetAddress[] proxies = new NetAddress[sources];
            int[] proxyBits = new int[sources];
            for (int i = 0; i < sources; i++)
            {
                NetAddress.TryParseRange(config.AcceptProxyFrom[i], out proxies[i], out proxyBits[i]);
            }

            string fallback = config.FallbackHost == null || config.FallbackHost.Length == 0 ? null : config.FallbackHost;
            HostAllowList allow = null;
            if (config.AllowedSni.Length > 0)
            {
                string patternError;
                allow = HostAllowList.Parse(config.AllowedSni, out patternError);
            }

            Route route = new Route();
            route.Index = index;
            route.Name = config.Name == null || config.Name.Length == 0 ? "route-" + config.ListenPort.ToString() : config.Name;
            route.ListenAddress = listen;
            route.ListenPort = config.ListenPort;
            route.UpstreamHost = config.UpstreamHost;
            route.UpstreamPort = config.UpstreamPort;
            route.FallbackHost = fallback;
            route.ProxyVersion = config.ProxyProtocol ? config.ProxyProtocolVersion : 0;
            route.TerminateTls = config.TerminateTls;
            route.AcceptProxy = config.AcceptProxy;
            route._proxies = proxies;
            route._proxyBits = proxyBits;
            route.ChatOpeningCheck = config.ChatOpeningCheck;
            route.AllowList = allow;
            route.UpstreamFromSni = config.UpstreamFromSni;
            if (config.SignalSni != null && config.SignalSni.Length > 0)
            {
                string signalError;
                route.SignalAllowList = HostAllowList.Parse(config.SignalSni, out signalError);
            }

            route.SignalPort = config.SignalPort;
            route.AllowTls = config.AllowTls;
            route.Counters = new RouteCounters();
            return route;
        }
    }
}
