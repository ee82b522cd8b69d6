using Pigeon.Net;
using Pigeon.Reach;

namespace Pigeon.Portal
{
    /// <summary>
    /// The portal put together, the same on the host and the board: the API, the router (page,
    /// /api, /metrics) and the server loop over the platform's sockets. A platform gives its
    /// backend, its page files, its seams and the address people reach it by; it keeps only the
    /// choice of address, port and number of slots.
    /// </summary>
    public sealed class PortalService
    {
        private readonly PortalServer _server;
        private readonly int _port;

        /// <summary>
        /// Builds the portal. <paramref name="self"/> is the address people open ("192.168.4.1"),
        /// <paramref name="port"/> the port it will listen on; <paramref name="slots"/> connections
        /// are served at once.
        /// </summary>
        public PortalService(IPortalBackend backend, IPortalAssets assets, ITransport transport, IClock clock, ILog log, IRandomBytes random, IMemoryInfo memory, string self, int port, int slots)
        {
            _port = port;
            Url = "http://" + self + (port == 80 ? string.Empty : ":" + port.ToString()) + "/";
            Api = new PortalApi(backend, clock, random);
            Site = new PortalSite(backend, assets, Api, new string[] { self, "localhost" }, Url);
            Site.Memory = memory;
            // Who gets a slot is the transport's listener's choice (on a host, Pigeon.Host.PortalGate).
            _server = new PortalServer(transport, log, Site, slots);
        }

        /// <summary>The API (tests give it a fixed reachability source through <see cref="PortalApi.Reach"/>).</summary>
        public PortalApi Api { get; private set; }

        /// <summary>The request router.</summary>
        public PortalSite Site { get; private set; }

        /// <summary>The server loop (its counters).</summary>
        public PortalServer Server
        {
            get { return _server; }
        }

        /// <summary>Where a phone's captive probe is sent ("http://192.168.4.1/").</summary>
        public string Url { get; private set; }

        /// <summary>Adds the reachability work's figures to /metrics and its "reach" object to /api/status.</summary>
        public void SetReach(ReachService reach)
        {
            Site.Reach = reach;
            Api.Reach = reach == null ? null : new ReachStatus(reach);
        }

        /// <summary>Listens on <paramref name="address"/> and the port given at construction; false with a plain reason.</summary>
        public bool Start(uint address, out string error)
        {
            return _server.Start(address, _port, out error);
        }

        /// <summary>Stops listening and closes open connections.</summary>
        public void Stop()
        {
            _server.Stop();
        }
    }
}
