using Pigeon.Net;
using Pigeon.Routing;
using Pigeon.Tls;
using Pigeon.Relay;

namespace Pigeon.Upstream
{
    /// <summary>
    /// The upstream seam: which upstream a session dials and in what order, how its name is
    /// resolved, and what is written to it before the client's bytes. Both pumps dial through it
    /// (they only carry out "resolve", "connect to this address" and "send these bytes"), so a
    /// newcomer adding an upstream protocol changes this type and nothing in the pumps
    /// (docs/architecture.md, "How to add an upstream protocol").
    /// </summary>
    /// <remarks>
    /// <code>
    ///   Begin(route) ─► Next(): Ready (Address, Port) | Lookup (call Resolve, may block) | None
    ///                    order: upstreamHost, then fallbackHost, swapped while health checks see
    ///                    only the fallback up; upstreamFromSni routes: the SNI host alone
    ///   connected ───► WriteOpening: the route's PROXY header (v1 line or v2), IPv4 or IPv6
    /// </code>
    /// One per session object, reused for every client it serves: nothing allocated per dial.
    /// </remarks>
    public sealed class UpstreamDialer
    {
        /// <summary>Answer of <see cref="Next"/>: <see cref="Address"/> and <see cref="Port"/> are ready to connect.</summary>
        public const int Ready = 0;

        /// <summary>Answer of <see cref="Next"/>: the name is not cached; call <see cref="Resolve"/> (it may block).</summary>
        public const int Lookup = 1;

        /// <summary>Answer of <see cref="Next"/>: no upstream is left to try.</summary>
        public const int None = 2;

        private readonly RelayServer _relay;
        private Route _route;
        private ClientHelloReader _sni;
        private bool _signal;
        private int _attempt;
        private string _name;

        /// <summary>A dialer for the sessions of <paramref name="relay"/> (its DNS cache and health checks).</summary>
        public UpstreamDialer(RelayServer relay)
        {
            _relay = relay;
        }

        /// <summary>After <see cref="Next"/> answered Ready (or <see cref="Resolve"/> true): where to connect.</summary>
        public NetAddress Address { get; private set; }

        /// <summary>The port to connect to.</summary>
        public int Port { get; private set; }

        /// <summary>
        /// Starts the dial order of <paramref name="route"/> over; <paramref name="sni"/> names the
        /// host on upstreamFromSni routes, and for <paramref name="signal"/> (a Signal ClientHello
        /// inside a TLS route) the Signal host, dialled on the route's signalPort with nothing
        /// written before the client's bytes (Signal's servers take no PROXY header).
        /// </summary>
        public void Begin(Route route, ClientHelloReader sni, bool signal)
        {
            _route = route;
            _sni = sni;
            _signal = signal;
            _attempt = 0;
            _name = null;
            Address = new NetAddress();
            Port = 0;
        }

        /// <summary>Forgets the session's route and hello (the session ended).</summary>
        public void Clear()
        {
            _route = null;
            _sni = null;
            _name = null;
        }

        /// <summary>Picks the next upstream to try: Ready, Lookup or None.</summary>
        public int Next()
        {
            Route route = _route;
            while (true)
            {
                int attempt = _attempt++;
                Port = _signal ? route.SignalPort : route.UpstreamPort;
                Address = new NetAddress();
                int cached;
                uint address;
                if (route.UpstreamFromSni || _signal)
                {
                    if (attempt > 0 || _sni == null)
                    {
                        return None;
                    }

                    _name = null;
                    cached = _relay.Dns.TryCached(_sni.HostBuffer, _sni.HostOffset, _sni.HostLength, out address);
                }
                else
                {
                    UpstreamHealth health = _relay.Health;
                    bool swap = health != null && health.PreferFallback(route.Index);
                    string name = attempt == 0 ? (swap ? route.FallbackHost : route.UpstreamHost)
                        : attempt == 1 ? (swap ? route.UpstreamHost : route.FallbackHost)
                        : null;
                    if (name == null)
                    {
                        return None;
                    }

                    _name = name;
                    cached = _relay.Dns.TryCached(name, out address);
                }

                if (cached == DnsCache.Hit)
                {
                    Address = NetAddress.FromIPv4(address);
                    return Ready;
                }

                if (cached == DnsCache.Miss)
                {
                    return Lookup;
                }

                // A recent failure of this name: go on to the next one without waiting.
            }
        }

        /// <summary>Resolves the upstream <see cref="Next"/> named (blocks on the platform's resolver); false when it does not resolve.</summary>
        public bool Resolve()
        {
            uint address = 0;
            ClientHelloReader sni = _sni;
            bool ok = _name != null
                ? _relay.Dns.TryResolve(_name, out address)
                : sni != null && _relay.Dns.TryResolve(sni.HostBuffer, sni.HostOffset, sni.HostLength, out address);
            Address = ok ? NetAddress.FromIPv4(address) : new NetAddress();
            return ok;
        }

        /// <summary>
        /// Writes what the upstream gets before the client's bytes (the route's PROXY header for
        /// this client) into <paramref name="buffer"/>; returns its length, 0 for nothing.
        /// </summary>
        public int WriteOpening(NetAddress client, int clientPort, NetAddress local, int localPort, byte[] buffer, int offset)
        {
            return _signal ? 0 : ProxyHeader.Write(_route.ProxyVersion, client, clientPort, local, localPort, buffer, offset);
        }
    }
}
