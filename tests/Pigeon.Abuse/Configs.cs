using System.Text.Json.Nodes;

namespace Pigeon.Abuse
{
    /// <summary>
    /// The configs the cases give Pigeon.Host: every route and upstream on 127.0.0.1, so
    /// nothing is resolved or reached beyond this machine (docs/config.md for each field).
    /// </summary>
    public static class Configs
    {
        /// <summary>The SNI every media client of the suite sends (allowed by <see cref="Media"/>).</summary>
        public const string MediaName = "mmg.whatsapp.net";

        /// <summary>
        /// A config with one relay section: <paramref name="maxSessions"/> slots,
        /// <paramref name="perClient"/> sessions per client address (0 = no cap; every client of
        /// a case that does not test the cap is 127.0.0.1), eviction after
        /// <paramref name="evictIdleSeconds"/> idle (0 = never), and the given routes.
        /// </summary>
        public static JsonObject Relay(int maxSessions, int perClient, int evictIdleSeconds, int helloTimeoutSeconds, params JsonObject[] routes)
        {
            return Relay(maxSessions, perClient, evictIdleSeconds, helloTimeoutSeconds, 10, routes);
        }

        /// <summary>As above, with the idle timeout given (the above: 10 s, the least allowed, so flood sessions end soon after a case).</summary>
        public static JsonObject Relay(int maxSessions, int perClient, int evictIdleSeconds, int helloTimeoutSeconds, int idleTimeoutSeconds, params JsonObject[] routes)
        {
            JsonArray list = new JsonArray();
            foreach (JsonObject route in routes)
            {
                list.Add(route);
            }

            return new JsonObject
            {
                ["schemaVersion"] = Pigeon.Config.ConfigDefaults.SchemaVersion,
                ["relay"] = new JsonObject
                {
                    ["maxSessions"] = maxSessions,
                    ["maxSessionsPerClient"] = perClient,
                    ["evictIdleSeconds"] = evictIdleSeconds,
                    ["helloTimeoutSeconds"] = helloTimeoutSeconds,
                    ["idleTimeoutSeconds"] = idleTimeoutSeconds,
                    ["routes"] = list,
                },
            };
        }

        /// <summary>A chat (plain) route to the upstream on <paramref name="upstreamPort"/>, with a PROXY v1 line as WhatsApp's own proxy sends.</summary>
        public static JsonObject Chat(string name, int listenPort, int upstreamPort)
        {
            JsonObject route = Route(name, listenPort, upstreamPort);
            route["proxyProtocol"] = true;
            return route;
        }

        /// <summary>A media route: the ClientHello's SNI must be a WhatsApp name; upstream on 127.0.0.1.</summary>
        public static JsonObject Media(string name, int listenPort, int upstreamPort)
        {
            JsonObject route = Route(name, listenPort, upstreamPort);
            route["allowedSni"] = new JsonArray("whatsapp.net", "*.whatsapp.net");
            return route;
        }

        /// <summary>A chat route with TLS on (terminateTls): the relay is the TLS server, with the certificate it makes at first start.</summary>
        public static JsonObject Tls(string name, int listenPort, int upstreamPort)
        {
            JsonObject route = Chat(name, listenPort, upstreamPort);
            route["terminateTls"] = true;
            return route;
        }

        private static JsonObject Route(string name, int listenPort, int upstreamPort)
        {
            return new JsonObject
            {
                ["name"] = name,
                ["listenAddress"] = "127.0.0.1",
                ["listenPort"] = listenPort,
                ["upstreamHost"] = "127.0.0.1",
                ["upstreamPort"] = upstreamPort,
            };
        }

        /// <summary>The ClientHello every media client of the suite opens with.</summary>
        public static byte[] MediaHello()
        {
            return new Pigeon.Tests.Support.HelloBuilder { Names = new[] { MediaName } }.Build();
        }
    }
}
