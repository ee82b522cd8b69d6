using Pigeon.Net;
using Pigeon.Routing;

namespace Pigeon.Upstream
{
    /// <summary>
    /// A periodic TCP check of each route's upstream and fallback host, as WhatsApp's official
    /// proxy does (HAProxy "check inter 60s"). The result is shown in the status and metrics, and
    /// the relay may consult <see cref="PreferFallback"/> to try a healthy fallback first.
    /// The owner calls <see cref="CheckAll"/> every <see cref="IntervalMs"/> from one thread.
    /// </summary>
    public sealed class UpstreamHealth
    {
        /// <summary>60 s between checks, like the official proxy.</summary>
        public const int IntervalMs = 60000;

        private readonly Route[] _routes;
        private readonly ITransport _transport;
        private readonly DnsCache _dns;
        private readonly IClock _clock;
        private readonly int _timeoutMs;
        private readonly UpstreamCheck[] _primary;
        private readonly UpstreamCheck[] _fallback;

        /// <summary>Checks <paramref name="routes"/>' upstreams with a connect timeout of <paramref name="timeoutMs"/>.</summary>
        public UpstreamHealth(Route[] routes, ITransport transport, DnsCache dns, IClock clock, int timeoutMs)
        {
            _routes = routes;
            _transport = transport;
            _dns = dns;
            _clock = clock;
            _timeoutMs = timeoutMs < 100 ? 100 : timeoutMs;
            _primary = new UpstreamCheck[routes.Length];
            _fallback = new UpstreamCheck[routes.Length];
            for (int i = 0; i < routes.Length; i++)
            {
                Route route = routes[i];
                string note = route.UpstreamFromSni ? "not checked: this route connects to the host each client names" : "not checked yet";
                _primary[i] = new UpstreamCheck(route.UpstreamFromSni ? "(SNI host)" : route.UpstreamHost, route.UpstreamPort, UpstreamState.Unknown, -1, 0, note);
                _fallback[i] = route.FallbackHost == null ? null : new UpstreamCheck(route.FallbackHost, route.UpstreamPort, UpstreamState.Unknown, -1, 0, note);
            }
        }

        /// <summary>How many routes are watched.</summary>
        public int RouteCount
        {
            get { return _routes.Length; }
        }

        /// <summary>The last check of route <paramref name="index"/>'s upstream.</summary>
        public UpstreamCheck Primary(int index)
        {
            return _primary[index];
        }

        /// <summary>The last check of route <paramref name="index"/>'s fallback; null when it has none.</summary>
        public UpstreamCheck Fallback(int index)
        {
            return _fallback[index];
        }

        /// <summary>
        /// True when the relay should try the fallback first: the upstream's last check failed and
        /// the fallback's succeeded. Cheap (two field reads): safe to call per session.
        /// </summary>
        public bool PreferFallback(int index)
        {
            if (index < 0 || index >= _routes.Length)
            {
                return false;
            }

            UpstreamCheck fallback = _fallback[index];
            return fallback != null && fallback.State == UpstreamState.Up && _primary[index].State == UpstreamState.Down;
        }

        /// <summary>Checks every upstream once (blocks up to the timeout per host).</summary>
        public void CheckAll()
        {
            for (int i = 0; i < _routes.Length; i++)
            {
                Route route = _routes[i];
                if (route.UpstreamFromSni || IsLoopback(route.UpstreamHost))
                {
                    // A loopback upstream is a local process (a tunnel, a test server): its own
                    // logs would fill with probe connections, and the sessions already tell.
                    continue;
                }

                _primary[i] = Check(route.UpstreamHost, route.UpstreamPort);
                if (route.FallbackHost != null)
                {
                    _fallback[i] = Check(route.FallbackHost, route.UpstreamPort);
                }
            }
        }

        /// <summary>One TCP connect to host:port, closed at once.</summary>
        public UpstreamCheck Check(string host, int port)
        {
            long start = _clock.NowMilliseconds;
            uint address;
            if (!_dns.TryResolve(host, out address))
            {
                return new UpstreamCheck(host, port, UpstreamState.Down, -1, start, "the name does not resolve");
            }

            IConnection connection = _transport.CreateConnection();
            Deadline deadline = Deadline.Start(connection, _timeoutMs);
            bool connected;
            try
            {
                connected = connection.Connect(address, port);
            }
            finally
            {
                deadline.Cancel();
                connection.Close();
            }

            long end = _clock.NowMilliseconds;
            int elapsed = (int)(end - start);
            if (!connected)
            {
                string why = elapsed >= _timeoutMs ? "no answer within " + (_timeoutMs / 1000).ToString() + " s" : "the connection was refused or failed";
                return new UpstreamCheck(host, port, UpstreamState.Down, -1, end, why);
            }

            return new UpstreamCheck(host, port, UpstreamState.Up, elapsed, end, "reachable in " + elapsed.ToString() + " ms");
        }

        private static bool IsLoopback(string host)
        {
            uint address;
            return IPv4.TryParse(host, out address) && (address >> 24) == 127;
        }

    }
}
