using Pigeon.Json;
using Pigeon.Net;
using Pigeon.Reach;
using Pigeon.Routing;
using Pigeon.Upstream;

namespace Pigeon.Portal
{
    /// <summary>
    /// The reachability part of the status page as JSON, for the portal's status API: port
    /// mappings (which port, by which protocol, until when, or why not), the public address and
    /// what it means, the share host, dynamic DNS and upstream health. Secrets (dynamic DNS
    /// password, metrics token) are never written. Any of the sources may be null. Text from a
    /// router goes through the writer's HTML-safe escaping like everything else.
    /// <code>
    /// {"portMapping":{"enabled":true,"router":"UPnP router at 192.168.1.1","ports":[{"port":5222,"externalPort":5222,
    ///   "state":"mapped","method":"upnp","leaseSeconds":3600,"expiresInSeconds":3599,"message":"mapped by UPnP"}]},
    ///  "publicAddress":{"address":"81.2.69.160","kind":"public","reachable":true,"note":"..."},"shareHost":"81.2.69.160",
    ///  "dynDns":{"result":"good","message":"...","lastUpdateSecondsAgo":12},
    ///  "upstreams":[{"route":"chat-443","role":"primary","host":"g.whatsapp.net","port":5222,"state":"up","connectMs":35,
    ///   "checkedSecondsAgo":20,"message":"reachable in 35 ms"}]}
    /// </code>
    /// </summary>
    public static partial class ReachStatusWriter
    {
        /// <summary>Writes the object. <paramref name="publicHost"/> is network.publicHost.</summary>
        public static void Write(JsonWriter json, PortMapper mapper, UpstreamHealth health, Route[] routes, DynDns dynDns, IClock clock, string publicHost)
        {
            long now = clock == null ? 0 : clock.NowMilliseconds;
            json.BeginObject();
            json.Name("portMapping");
            if (mapper == null)
            {
                json.Null();
            }
            else
            {
                json.BeginObject().Member("enabled", mapper.Enabled).Member("router", mapper.RouterNote).Name("ports").BeginArray();
                MappingStatus[] mappings = mapper.Snapshot();
                for (int i = 0; i < mappings.Length; i++)
                {
                    MappingStatus m = mappings[i];
                    json.BeginObject().Member("port", m.Port).Member("externalPort", m.ExternalPort)
                        .Member("state", MappingStatus.StateName(m.State)).Member("method", MappingStatus.MethodName(m.Method))
                        .Member("leaseSeconds", m.LeaseSeconds);
                    long left = (m.ExpiresAtMs - now) / 1000;
                    Seconds(json, "expiresInSeconds", m.State == MappingState.Mapped && m.ExpiresAtMs > 0, left < 0 ? 0 : left);
                    json.Member("message", m.Message).EndObject();
                }

                json.EndArray().EndObject();
            }

            json.Name("publicAddress");
            if (mapper == null)
            {
                json.Null();
            }
            else
            {
                json.BeginObject().Member("address", mapper.ExternalAddress == 0 ? null : IPv4.ToText(mapper.ExternalAddress))
                    .Member("kind", MetricsWriter.KindLabel(mapper.AddressKind)).Member("reachable", PublicAddress.IsReachable(mapper.AddressKind))
                    .Member("note", mapper.AddressNote).EndObject();
            }

            json.Member("shareHost", mapper == null ? (publicHost != null && publicHost.Trim().Length > 0 ? publicHost.Trim() : null) : mapper.ShareHost(publicHost));
            json.Name("dynDns");
            bool written = false;
            WriteDynDns(json, dynDns, now, ref written);
            if (!written)
            {
                json.Null();
            }

            json.Name("upstreams").BeginArray();
            int count = health == null || routes == null ? 0 : (health.RouteCount < routes.Length ? health.RouteCount : routes.Length);
            for (int i = 0; i < count; i++)
            {
                Upstream(json, routes[i].Name, "primary", health.Primary(i), now);
                Upstream(json, routes[i].Name, "fallback", health.Fallback(i), now);
            }

            json.EndArray().EndObject();
        }

        private static void Upstream(JsonWriter json, string route, string role, UpstreamCheck check, long now)
        {
            if (check == null)
            {
                return;
            }

            json.BeginObject().Member("route", route).Member("role", role).Member("host", check.Host).Member("port", check.Port)
                .Member("state", check.State == UpstreamState.Up ? "up" : check.State == UpstreamState.Down ? "down" : "unknown");
            Seconds(json, "connectMs", check.ConnectMs >= 0, check.ConnectMs);
            Seconds(json, "checkedSecondsAgo", check.CheckedAtMs > 0, (now - check.CheckedAtMs) / 1000);
            json.Member("message", check.Message).EndObject();
        }

        // A figure that may not be known yet: the number, or null.
        private static void Seconds(JsonWriter json, string name, bool known, long value)
        {
            json.Name(name);
            if (known)
            {
                json.Number(value);
            }
            else
            {
                json.Null();
            }
        }

        // Dynamic DNS's object (ReachStatusWriter.Host.cs); a board has none (no HTTPS client),
        // and without that file the compiler drops the call: "dynDns" is null there.
        static partial void WriteDynDns(JsonWriter json, DynDns dynDns, long now, ref bool written);
    }
}
