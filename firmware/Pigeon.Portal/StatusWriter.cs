using Pigeon.Config;
using Pigeon.Json;
using Pigeon.Relay;
using Pigeon.Routing;

namespace Pigeon.Portal
{
    /// <summary>
    /// The status document (GET /api/status): mode, relay up/down, sessions of the limit,
    /// refusals by reason, bytes each way, uptime, Wi-Fi signal, and what to share. No client
    /// address and no secret is in it.
    /// </summary>
    public static class StatusWriter
    {
        /// <summary>Writes the status members into an open object (no reachability source).</summary>
        public static void Write(JsonWriter json, IPortalBackend backend, PigeonConfig config)
        {
            Write(json, backend, config, null);
        }

        /// <summary>
        /// Writes the status members into an open object. The share host is, in this order: the
        /// configured network.publicHost ("configured"); <paramref name="reachHost"/>, the public
        /// address the router reported ("public"); the best local address ("best-known", a guess
        /// that may only work on this network, and the page says so).
        /// </summary>
        public static void Write(JsonWriter json, IPortalBackend backend, PigeonConfig config, string reachHost)
        {
            json.Member("mode", backend.IsSetupMode ? "setup" : "run");
            WriteRelay(json, backend.Relay);

            json.Name("wifi").BeginObject();
            json.Member("ssid", config.Wifi == null ? string.Empty : config.Wifi.Ssid);
            if (backend.WifiRssi != 0)
            {
                json.Member("rssi", backend.WifiRssi);
            }
            else
            {
                json.Name("rssi").Null();
            }

            json.EndObject();

            string publicHost = config.Network == null ? string.Empty : config.Network.PublicHost;
            bool configured = publicHost != null && publicHost.Length > 0;
            bool reached = !configured && reachHost != null && reachHost.Length > 0;
            string host = configured ? publicHost : reached ? reachHost : backend.BestAddress;
            RouteConfig[] routes = config.Relay == null ? null : config.Relay.Routes;
            int chat = ShareLink.FirstPort(routes, false);
            int media = ShareLink.FirstPort(routes, true);
            json.Name("share").BeginObject();
            json.Member("host", host == null ? string.Empty : host);
            json.Member("hostSource", configured ? "configured" : reached ? "public" : "best-known");
            json.Member("chatPort", chat);
            json.Member("mediaPort", media);
            if (host != null && host.Length > 0 && chat > 0 && media > 0)
            {
                json.Member("link", ShareLink.Build(host, chat, media));
            }
            else
            {
                json.Name("link").Null();
            }

            json.EndObject();
        }

        private static void WriteRelay(JsonWriter json, RelayServer relay)
        {
            json.Name("relay").BeginObject();
            if (relay == null)
            {
                json.Member("up", false);
                json.EndObject();
                return;
            }

            RouteCounters total = relay.SnapshotTotal();
            int listening = 0;
            for (int i = 0; i < relay.RouteCount; i++)
            {
                if (relay.GetListener(i).IsListening)
                {
                    listening++;
                }
            }

            json.Member("up", relay.Running && listening > 0);
            json.Member("activeSessions", relay.ActiveSessions);
            json.Member("maxSessions", relay.MaxSessions);
            json.Member("uptimeSeconds", relay.UptimeSeconds);
            json.Member("accepted", total.Accepted);
            json.Member("upstreamFailures", total.UpstreamFailures);
            json.Member("bytesToUpstream", total.BytesToUpstream);
            json.Member("bytesToClient", total.BytesToClient);
            json.Name("refusals").BeginObject();
            for (int r = 0; r < RouteCounters.ReasonCount; r++)
            {
                json.Member(RefusalReasons.Name(r), total.Refused((RefusalReason)r));
            }

            json.EndObject();
            json.Name("routes").BeginArray();
            for (int i = 0; i < relay.RouteCount; i++)
            {
                Route route = relay.GetRoute(i);
                RouteListener listener = relay.GetListener(i);
                json.BeginObject();
                json.Member("name", route.Name);
                json.Member("port", route.ListenPort);
                json.Member("kind", route.InspectsSni ? "media" : "chat");
                json.Member("listening", listener.IsListening);
                if (listener.Error != null && listener.Error.Length > 0)
                {
                    json.Member("error", listener.Error);
                }

                json.EndObject();
            }

            json.EndArray();
            json.EndObject();
        }
    }
}
