using Pigeon.Config;
using Pigeon.Json;
using Pigeon.Net;
using Pigeon.Reach;
using Pigeon.Relay;
using Pigeon.Text;

namespace Pigeon.Portal
{
    /// <summary>
    /// The portal's request router: /health (the relay up or not, for a health check), then
    /// captive-probe rules (<see cref="CaptiveProbes"/>),
    /// then /metrics and /api (<see cref="PortalApi"/>), always theirs (an unknown API path is a
    /// 404, never the page), then the page's files; any other GET answers the page itself (what
    /// opens a phone's captive sheet, whatever URL it tried).
    /// </summary>
    public sealed class PortalSite : IHttpHandler
    {
        private readonly IPortalBackend _backend;
        private readonly IPortalAssets _assets;
        private readonly PortalApi _api;
        private readonly string[] _hosts;
        private readonly string _portalUrl;

        /// <summary>
        /// Creates the router. <paramref name="portalHosts"/> are the host names that are the
        /// portal itself (lower-case, no port); <paramref name="portalUrl"/> is where probes are
        /// sent ("http://192.168.4.1/").
        /// </summary>
        public PortalSite(IPortalBackend backend, IPortalAssets assets, PortalApi api, string[] portalHosts, string portalUrl)
        {
            _backend = backend;
            _assets = assets;
            _api = api;
            _hosts = portalHosts;
            _portalUrl = portalUrl;
        }

        /// <summary>Port mapping and upstream health for /metrics; null = the relay's figures only.</summary>
        public ReachService Reach { get; set; }

        /// <summary>The heap figures for /metrics; null = left out.</summary>
        public IMemoryInfo Memory { get; set; }

        /// <summary>The API behind /api/.</summary>
        public PortalApi Api
        {
            get { return _api; }
        }

        /// <inheritdoc />
        public void Handle(HttpRequest request, HttpResponse response)
        {
            if (request.Path == "/health")
            {
                ServeHealth(request, response); // before the probes: asked by its address, in any mode
                return;
            }

            ProbeDecision decision = CaptiveProbes.Decide(_backend.IsSetupMode, request.Host, request.Path, _hosts);
            if (decision == ProbeDecision.RedirectToPortal)
            {
                response.Redirect(_portalUrl);
                return;
            }

            if (decision == ProbeDecision.NotFound)
            {
                response.SetText(404, "not found");
                return;
            }

            if (request.Path == "/metrics")
            {
                ServeMetrics(request, response);
                return;
            }

            if (request.Path == "/api" || request.Path.StartsWith("/api/"))
            {
                _api.Handle(request, response);
                return;
            }

            if (request.Method != "GET" && request.Method != "HEAD")
            {
                response.SetText(405, "method not allowed");
                return;
            }

            byte[] body;
            string type;
            bool gzip;
            if (!_assets.TryGet(request.Path, request.AcceptsGzip, out body, out type, out gzip)
                && !_assets.TryGet("/", request.AcceptsGzip, out body, out type, out gzip))
            {
                response.SetText(404, "not found");
                return;
            }

            response.Status = 200;
            response.ContentType = type;
            response.Body = body;
            response.BodyLength = body.Length;
            response.Gzip = gzip;
            response.VaryEncoding = true;
            response.CacheControl = "no-cache"; // revalidate: a firmware update changes the page
        }

        // The local status endpoint for a container's health check (`pigeon health`): whether the
        // relay runs and how many of its routes listen, nothing more, so it needs no login.
        private void ServeHealth(HttpRequest request, HttpResponse response)
        {
            if (request.Method != "GET" && request.Method != "HEAD")
            {
                response.SetText(405, "method not allowed");
                return;
            }

            RelayServer relay = _backend.Relay;
            int listening = 0;
            for (int i = 0; relay != null && i < relay.RouteCount; i++)
            {
                if (relay.GetListener(i).IsListening)
                {
                    listening++;
                }
            }

            bool up = relay != null && relay.Running && listening > 0;
            JsonWriter json = new JsonWriter(64);
            json.BeginObject().Member("up", up).Member("listening", listening).Member("routes", relay == null ? 0 : relay.RouteCount).EndObject();
            response.SetJson(up ? 200 : 503, json);
            response.CacheControl = "no-store";
        }

        private void ServeMetrics(HttpRequest request, HttpResponse response)
        {
            if (request.Method != "GET" && request.Method != "HEAD")
            {
                response.SetText(405, "method not allowed");
                return;
            }

            // The scraper's token (network.metricsToken, as saved now) or a logged-in admin's browser.
            NetworkConfig network = _backend.LoadConfig().Network;
            if (!MetricsAccess.IsAuthorized(request.Authorization, network == null ? null : network.MetricsToken) && !_api.IsAdmin(request))
            {
                response.SetText(401, "send the metrics token (Authorization: Bearer TOKEN) or log in as admin");
                return;
            }

            // The relay's counters whether or not port mapping runs; mapping and health when it does.
            RelayServer relay = _backend.Relay;
            if (relay == null)
            {
                response.SetText(503, "the relay is not running");
                return;
            }

            ReachService reach = Reach;
            TextBuffer text = new TextBuffer(8192, 262144);
            MetricsWriter.Write(text, relay, reach == null ? null : reach.Health, reach == null ? null : reach.Mapper, Memory, reach == null ? null : reach.Clock);
            response.Status = 200;
            response.ContentType = MetricsWriter.ContentType;
            response.Body = text.Bytes;
            response.BodyLength = text.Length;
            response.CacheControl = "no-store";
        }
    }
}
