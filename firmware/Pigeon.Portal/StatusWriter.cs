using Pigeon.Config;
using Pigeon.Json;
using Pigeon.Relay;
using Pigeon.Routing;
using Pigeon.Counters;

namespace Pigeon.Portal
{
    /// <summary>
    /// The status document (GET /api/status): mode, whether there is a Wi-Fi radio (a board) and
    /// then its network and signal, relay up/down, sessions of the limit, refusals by reason,
    /// bytes each way, uptime, and what to share (the links in
    /// the order to try them). No client address and no secret is in it.
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
            json.Member("wifiRadio", backend.HasWifi);
            WriteRelay(json, backend.Relay);
            if (backend.HasWifi)
            {
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
            }

            string publicHost = config.Network == null ? string.Empty : config.Network.PublicHost;
            bool configured = publicHost != null && publicHost.Length > 0;
            bool reached = !configured && reachHost != null && reachHost.Length > 0;
            string host = configured ? publicHost : reached ? reachHost : backend.BestAddress;
            RouteConfig[] routes = Open(config.Relay == null ? null : config.Relay.Routes, backend.Relay);
            WriteShare(json, host == null ? string.Empty : host, configured ? "configured" : reached ? "public" : "best-known", routes);
        }

        // The configured routes minus those whose port the running relay could not open (443
        // without the right to bind it, say): a link to a closed port helps no one. The page says
        // why from relay.routes[].error.
        private static RouteConfig[] Open(RouteConfig[] routes, RelayServer relay)
        {
            if (routes == null || relay == null)
            {
                return routes;
            }

            RouteConfig[] open = new RouteConfig[routes.Length];
            for (int i = 0; i < routes.Length; i++)
            {
                open[i] = routes[i];
                for (int k = 0; open[i] != null && k < relay.RouteCount; k++)
                {
                    RouteListener listener = relay.GetListener(k);
                    if (relay.GetRoute(k).ListenPort == open[i].ListenPort && !listener.IsListening && listener.Error != null)
                    {
                        open[i] = null;
                    }
                }
            }

            return open;
        }

        // "share": the first choice at the top (link, chatPort, mediaPort, tls: what API users have
        // always read) and every choice, first first, in "links": TLS on (a chat route that takes
        // the app's TLS off, the host's 443), then TLS off (a plain chat route). Both use the first
        // media route. No host or no route of a kind: link null, links empty.
        private static void WriteShare(JsonWriter json, string host, string source, RouteConfig[] routes)
        {
            int tlsChat = ShareLink.FirstChatPort(routes, true);
            int plainChat = ShareLink.FirstChatPort(routes, false);
            int media = ShareLink.FirstMediaPort(routes);
            bool tls = tlsChat > 0;
            int chat = tls ? tlsChat : plainChat;
            bool linked = host.Length > 0 && chat > 0 && media > 0;
            json.Name("share").BeginObject();
            json.Member("host", host);
            json.Member("hostSource", source);
            json.Member("chatPort", chat);
            json.Member("mediaPort", media);
            json.Member("tls", tls);
            json.Member("link", linked ? ShareLink.Build(host, chat, media, tls) : null);
            json.Name("links").BeginArray();
            if (linked)
            {
                WriteChoice(json, host, tlsChat, media, true);
                WriteChoice(json, host, plainChat, media, false);
            }

            json.EndArray();

            // Signal's proxy link: a TLS route with Signal hosts, on 443 (Signal's app takes a
            // host alone and dials 443). Its app checks the route's certificate against the
            // phone's roots, so the page offers it only with a real one (the "tls" member says).
            int signal = ShareLink.SignalPort(routes);
            if (signal == 443 && host.Length > 0)
            {
                json.Name("signal").BeginObject().Member("host", host).Member("link", ShareLink.BuildSignal(host)).EndObject();
            }

            json.EndObject();
        }

        private static void WriteChoice(JsonWriter json, string host, int chat, int media, bool tls)
        {
            if (chat > 0)
            {
                json.BeginObject().Member("tls", tls).Member("chatPort", chat).Member("mediaPort", media)
                    .Member("link", ShareLink.Build(host, chat, media, tls)).EndObject();
            }
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
            json.Member("relayed", total.Relayed);
            json.Member("relayedSignal", total.SignalRelayed);
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
                json.Member("tls", route.TerminateTls);
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
