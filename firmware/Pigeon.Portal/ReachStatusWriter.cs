using Pigeon.Net;
using Pigeon.Reach;
using Pigeon.Routing;

namespace Pigeon.Portal
{
    /// <summary>
    /// The reachability part of the status page as JSON, for the portal's status API: port
    /// mappings (which port, by which protocol, until when, or why not), the public address and
    /// what it means, the share host, dynamic DNS and upstream health. Secrets (dynamic DNS
    /// password, metrics token) are never written. Any of the sources may be null.
    /// <code>
    /// {"portMapping":{"enabled":true,"router":"UPnP router at 192.168.1.1","ports":[{"port":5222,"externalPort":5222,
    ///   "state":"mapped","method":"upnp","leaseSeconds":3600,"expiresInSeconds":3599,"message":"mapped by UPnP"}]},
    ///  "publicAddress":{"address":"81.2.69.160","kind":"public","reachable":true,"note":"..."},"shareHost":"81.2.69.160",
    ///  "dynDns":{"result":"good","message":"...","lastUpdateSecondsAgo":12},
    ///  "upstreams":[{"route":"chat-443","role":"primary","host":"g.whatsapp.net","port":5222,"state":"up","connectMs":35,
    ///   "checkedSecondsAgo":20,"message":"reachable in 35 ms"}]}
    /// </code>
    /// </summary>
    public static class ReachStatusWriter
    {
        /// <summary>Writes the object. <paramref name="publicHost"/> is network.publicHost.</summary>
        public static void Write(TextBuffer text, PortMapper mapper, UpstreamHealth health, Route[] routes, DynDns dynDns, IClock clock, string publicHost)
        {
            long now = clock == null ? 0 : clock.NowMilliseconds;
            text.Append("{\"portMapping\":");
            if (mapper == null)
            {
                text.Append("null");
            }
            else
            {
                text.Append("{\"enabled\":").Append(mapper.Enabled ? "true" : "false").Append(",\"router\":");
                JsonString(text, mapper.RouterNote);
                text.Append(",\"ports\":[");
                MappingStatus[] mappings = mapper.Snapshot();
                for (int i = 0; i < mappings.Length; i++)
                {
                    MappingStatus m = mappings[i];
                    text.Append(i == 0 ? "{" : ",{").Append("\"port\":").Append(m.Port).Append(",\"externalPort\":").Append(m.ExternalPort)
                        .Append(",\"state\":\"").Append(MappingStatus.StateName(m.State)).Append("\",\"method\":\"").Append(MappingStatus.MethodName(m.Method))
                        .Append("\",\"leaseSeconds\":").Append(m.LeaseSeconds).Append(",\"expiresInSeconds\":");
                    if (m.State == MappingState.Mapped && m.ExpiresAtMs > 0)
                    {
                        long left = (m.ExpiresAtMs - now) / 1000;
                        text.Append(left < 0 ? 0 : left);
                    }
                    else
                    {
                        text.Append("null");
                    }

                    text.Append(",\"message\":");
                    JsonString(text, m.Message);
                    text.Append("}");
                }

                text.Append("]}");
            }

            text.Append(",\"publicAddress\":");
            if (mapper == null)
            {
                text.Append("null");
            }
            else
            {
                text.Append("{\"address\":");
                JsonString(text, mapper.ExternalAddress == 0 ? null : IPv4.ToText(mapper.ExternalAddress));
                text.Append(",\"kind\":\"").Append(MetricsWriter.KindLabel(mapper.AddressKind)).Append("\",\"reachable\":")
                    .Append(PublicAddress.IsReachable(mapper.AddressKind) ? "true" : "false").Append(",\"note\":");
                JsonString(text, mapper.AddressNote);
                text.Append("}");
            }

            text.Append(",\"shareHost\":");
            JsonString(text, mapper == null ? (publicHost != null && publicHost.Trim().Length > 0 ? publicHost.Trim() : null) : mapper.ShareHost(publicHost));

            text.Append(",\"dynDns\":");
            if (dynDns == null)
            {
                text.Append("null");
            }
            else
            {
                text.Append("{\"result\":\"").Append(ResultName(dynDns.LastResult)).Append("\",\"message\":");
                JsonString(text, dynDns.LastMessage);
                text.Append(",\"lastUpdateSecondsAgo\":");
                if (dynDns.LastUpdateMs > 0)
                {
                    text.Append((now - dynDns.LastUpdateMs) / 1000);
                }
                else
                {
                    text.Append("null");
                }

                text.Append("}");
            }

            text.Append(",\"upstreams\":[");
            bool first = true;
            int count = health == null || routes == null ? 0 : (health.RouteCount < routes.Length ? health.RouteCount : routes.Length);
            for (int i = 0; i < count; i++)
            {
                first = Upstream(text, routes[i].Name, "primary", health.Primary(i), now, first);
                first = Upstream(text, routes[i].Name, "fallback", health.Fallback(i), now, first);
            }

            text.Append("]}");
        }

        /// <summary>Writes a JSON string (or null), escaping quotes, backslashes and control characters.</summary>
        public static void JsonString(TextBuffer text, string value)
        {
            if (value == null)
            {
                text.Append("null");
                return;
            }

            text.Append("\"");
            int from = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                string escaped = null;
                if (c == '"')
                {
                    escaped = "\\\"";
                }
                else if (c == '\\')
                {
                    escaped = "\\\\";
                }
                else if (c < ' ' || c == '<' || c == '>' || c == '&' || c > '~')
                {
                    // Control characters must be escaped; < > &amp; too, so the JSON is safe inside
                    // an HTML page; non-ASCII as \u escapes keeps the writer ASCII-only.
                    escaped = "\\u" + Hex4(c);
                }

                if (escaped != null)
                {
                    text.Append(value.Substring(from, i - from)).Append(escaped);
                    from = i + 1;
                }
            }

            text.Append(value.Substring(from)).Append("\"");
        }

        private static bool Upstream(TextBuffer text, string route, string role, UpstreamCheck check, long now, bool first)
        {
            if (check == null)
            {
                return first;
            }

            text.Append(first ? "{" : ",{").Append("\"route\":");
            JsonString(text, route);
            text.Append(",\"role\":\"").Append(role).Append("\",\"host\":");
            JsonString(text, check.Host);
            text.Append(",\"port\":").Append(check.Port).Append(",\"state\":\"")
                .Append(check.State == UpstreamState.Up ? "up" : check.State == UpstreamState.Down ? "down" : "unknown")
                .Append("\",\"connectMs\":");
            if (check.ConnectMs >= 0)
            {
                text.Append(check.ConnectMs);
            }
            else
            {
                text.Append("null");
            }

            text.Append(",\"checkedSecondsAgo\":");
            if (check.CheckedAtMs > 0)
            {
                text.Append((now - check.CheckedAtMs) / 1000);
            }
            else
            {
                text.Append("null");
            }

            text.Append(",\"message\":");
            JsonString(text, check.Message);
            text.Append("}");
            return false;
        }

        private static string ResultName(DynDnsResult result)
        {
            switch (result)
            {
                case DynDnsResult.Good:
                    return "good";
                case DynDnsResult.NoChange:
                    return "nochg";
                case DynDnsResult.BadAuth:
                    return "badauth";
                case DynDnsResult.NotFqdn:
                    return "notfqdn";
                case DynDnsResult.NoHost:
                    return "nohost";
                case DynDnsResult.NumHost:
                    return "numhost";
                case DynDnsResult.Abuse:
                    return "abuse";
                case DynDnsResult.BadAgent:
                    return "badagent";
                case DynDnsResult.ServerError:
                    return "servererror";
                case DynDnsResult.Failed:
                    return "failed";
                default:
                    return "none";
            }
        }

        private static string Hex4(char c)
        {
            const string Digits = "0123456789abcdef";
            int v = c;
            return new string(new char[] { Digits[(v >> 12) & 0xF], Digits[(v >> 8) & 0xF], Digits[(v >> 4) & 0xF], Digits[v & 0xF] });
        }
    }
}
