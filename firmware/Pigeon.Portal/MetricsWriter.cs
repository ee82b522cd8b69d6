using Pigeon.Net;
using Pigeon.Reach;
using Pigeon.Relay;
using Pigeon.Routing;
using Pigeon.Text;
using Pigeon.Counters;
using Pigeon.Upstream;

namespace Pigeon.Portal
{
    /// <summary>
    /// Writes the relay's figures in the Prometheus text exposition format 0.0.4
    /// (https://prometheus.io/docs/instrumenting/exposition_formats/): one "# HELP" and
    /// "# TYPE" line per family, then its samples; label values escaped (\\, \", \n).
    /// No client address is ever written: the relay does not keep any.
    /// <code>
    /// # HELP pigeon_sessions_active Sessions relaying now.
    /// # TYPE pigeon_sessions_active gauge
    /// pigeon_sessions_active 3
    /// pigeon_route_refused_total{route="media-587",reason="sni_not_allowed"} 12
    /// </code>
    /// </summary>
    public static class MetricsWriter
    {
        /// <summary>The Content-Type of the page.</summary>
        public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

        /// <summary>Label values for <see cref="RefusalReason"/>, by value.</summary>
        public static string ReasonLabel(int reason)
        {
            return RefusalReasons.Label(reason);
        }

        /// <summary>
        /// Writes every family. <paramref name="health"/>, <paramref name="mapper"/> and
        /// <paramref name="memory"/> may be null (their families are then left out).
        /// </summary>
        public static void Write(TextBuffer text, RelayServer relay, UpstreamHealth health, PortMapper mapper, IMemoryInfo memory, IClock clock)
        {
            int routes = relay.RouteCount;
            RouteCounters[] counters = new RouteCounters[routes];
            for (int i = 0; i < routes; i++)
            {
                counters[i] = relay.SnapshotRoute(i);
            }

            RouteCounters total = relay.SnapshotTotal();

            Family(text, "pigeon_uptime_seconds", "gauge", "Seconds since the relay started.");
            Sample(text, "pigeon_uptime_seconds", null, null, relay.UptimeSeconds);

            Family(text, "pigeon_sessions_active", "gauge", "Sessions in use now (all routes).");
            Sample(text, "pigeon_sessions_active", null, null, relay.ActiveSessions);
            Family(text, "pigeon_sessions_max", "gauge", "Session slots (the limit).");
            Sample(text, "pigeon_sessions_max", null, null, relay.MaxSessions);

            Family(text, "pigeon_accepted_total", "counter", "Clients given a session slot (all routes).");
            Sample(text, "pigeon_accepted_total", null, null, total.Accepted);
            Family(text, "pigeon_refused_total", "counter", "Clients turned away, by reason (all routes).");
            for (int r = 0; r < RouteCounters.ReasonCount; r++)
            {
                Sample(text, "pigeon_refused_total", "reason", ReasonLabel(r), total.Refused((RefusalReason)r));
            }

            Family(text, "pigeon_relayed_total", "counter", "Sessions that reached their upstream and began relaying (all routes), by messenger.");
            Sample(text, "pigeon_relayed_total", "messenger", "whatsapp", total.Relayed - total.SignalRelayed);
            Sample(text, "pigeon_relayed_total", "messenger", "signal", total.SignalRelayed);
            Family(text, "pigeon_upstream_failures_total", "counter", "Sessions whose upstream and fallback could not be reached (all routes).");
            Sample(text, "pigeon_upstream_failures_total", null, null, total.UpstreamFailures);
            Family(text, "pigeon_bytes_total", "counter", "Bytes relayed (all routes), by direction.");
            Sample(text, "pigeon_bytes_total", "direction", "to_upstream", total.BytesToUpstream);
            Sample(text, "pigeon_bytes_total", "direction", "to_client", total.BytesToClient);

            Family(text, "pigeon_route_listening", "gauge", "1 when the route's port is open on the relay.");
            for (int i = 0; i < routes; i++)
            {
                Route route = relay.GetRoute(i);
                RouteSample(text, "pigeon_route_listening", route, "port", route.ListenPort.ToString(), relay.GetListener(i).IsListening ? 1 : 0);
            }

            Family(text, "pigeon_route_sessions_active", "gauge", "Sessions in use now, per route.");
            for (int i = 0; i < routes; i++)
            {
                RouteSample(text, "pigeon_route_sessions_active", relay.GetRoute(i), null, null, counters[i].Active);
            }

            Family(text, "pigeon_route_accepted_total", "counter", "Clients given a session slot, per route.");
            for (int i = 0; i < routes; i++)
            {
                RouteSample(text, "pigeon_route_accepted_total", relay.GetRoute(i), null, null, counters[i].Accepted);
            }

            Family(text, "pigeon_route_refused_total", "counter", "Clients turned away, per route and reason.");
            for (int i = 0; i < routes; i++)
            {
                for (int r = 0; r < RouteCounters.ReasonCount; r++)
                {
                    RouteSample(text, "pigeon_route_refused_total", relay.GetRoute(i), "reason", ReasonLabel(r), counters[i].Refused((RefusalReason)r));
                }
            }

            Family(text, "pigeon_route_upstream_failures_total", "counter", "Sessions whose upstream and fallback could not be reached, per route.");
            for (int i = 0; i < routes; i++)
            {
                RouteSample(text, "pigeon_route_upstream_failures_total", relay.GetRoute(i), null, null, counters[i].UpstreamFailures);
            }

            Family(text, "pigeon_route_bytes_total", "counter", "Bytes relayed per route, by direction.");
            for (int i = 0; i < routes; i++)
            {
                RouteSample(text, "pigeon_route_bytes_total", relay.GetRoute(i), "direction", "to_upstream", counters[i].BytesToUpstream);
                RouteSample(text, "pigeon_route_bytes_total", relay.GetRoute(i), "direction", "to_client", counters[i].BytesToClient);
            }

            if (health != null)
            {
                WriteHealth(text, relay, health);
            }

            if (mapper != null)
            {
                WriteMapping(text, mapper, clock);
            }

            if (memory != null)
            {
                long free = memory.FreeBytes;
                long size = memory.TotalBytes;
                if (free >= 0)
                {
                    Family(text, "pigeon_memory_free_bytes", "gauge", "Free bytes of the heap the relay allocates from.");
                    Sample(text, "pigeon_memory_free_bytes", null, null, free);
                }

                if (size >= 0)
                {
                    Family(text, "pigeon_memory_total_bytes", "gauge", "Size of that heap in bytes.");
                    Sample(text, "pigeon_memory_total_bytes", null, null, size);
                }
            }
        }

        /// <summary>Escapes a label value: backslash, double quote and line feed (text format 0.0.4).</summary>
        public static void AppendLabelValue(TextBuffer text, string value)
        {
            if (value == null)
            {
                return;
            }

            int from = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                string escaped = c == '\\' ? "\\\\" : c == '"' ? "\\\"" : c == '\n' ? "\\n" : null;
                if (escaped != null)
                {
                    text.Append(value.Substring(from, i - from)).Append(escaped);
                    from = i + 1;
                }
            }

            text.Append(value.Substring(from));
        }

        private static void WriteHealth(TextBuffer text, RelayServer relay, UpstreamHealth health)
        {
            int routes = health.RouteCount < relay.RouteCount ? health.RouteCount : relay.RouteCount;
            Family(text, "pigeon_upstream_up", "gauge", "1 when the last TCP check of the upstream succeeded, 0 when it failed (absent until checked).");
            for (int i = 0; i < routes; i++)
            {
                HealthSample(text, "pigeon_upstream_up", relay.GetRoute(i), "primary", health.Primary(i), false);
                HealthSample(text, "pigeon_upstream_up", relay.GetRoute(i), "fallback", health.Fallback(i), false);
            }

            Family(text, "pigeon_upstream_connect_seconds", "gauge", "Time the last successful TCP check took to connect.");
            for (int i = 0; i < routes; i++)
            {
                HealthSample(text, "pigeon_upstream_connect_seconds", relay.GetRoute(i), "primary", health.Primary(i), true);
                HealthSample(text, "pigeon_upstream_connect_seconds", relay.GetRoute(i), "fallback", health.Fallback(i), true);
            }
        }

        private static void HealthSample(TextBuffer text, string name, Route route, string role, UpstreamCheck check, bool latency)
        {
            if (check == null || check.State == UpstreamState.Unknown || (latency && check.State != UpstreamState.Up))
            {
                return;
            }

            text.Append(name).Append("{route=\"");
            AppendLabelValue(text, route.Name);
            text.Append("\",role=\"").Append(role).Append("\",host=\"");
            AppendLabelValue(text, check.Host);
            text.Append("\"} ");
            if (latency)
            {
                AppendSeconds(text, check.ConnectMs);
            }
            else
            {
                text.Append(check.State == UpstreamState.Up ? 1 : 0);
            }

            text.Append("\n");
        }

        private static void WriteMapping(TextBuffer text, PortMapper mapper, IClock clock)
        {
            MappingStatus[] mappings = mapper.Snapshot();
            Family(text, "pigeon_port_mapping_enabled", "gauge", "1 when router port mapping is switched on.");
            Sample(text, "pigeon_port_mapping_enabled", null, null, mapper.Enabled ? 1 : 0);
            Family(text, "pigeon_port_mapped", "gauge", "1 when the router forwards the port to the relay, by method.");
            for (int i = 0; i < mappings.Length; i++)
            {
                MappingStatus m = mappings[i];
                text.Append("pigeon_port_mapped{port=\"").Append(m.Port).Append("\",external_port=\"").Append(m.ExternalPort)
                    .Append("\",method=\"").Append(MappingStatus.MethodName(m.Method)).Append("\"} ").Append(m.State == MappingState.Mapped ? 1 : 0).Append("\n");
            }

            Family(text, "pigeon_port_mapping_lease_remaining_seconds", "gauge", "Seconds until a leased mapping ends unless renewed (absent for permanent ones).");
            long now = clock == null ? 0 : clock.NowMilliseconds;
            for (int i = 0; i < mappings.Length; i++)
            {
                MappingStatus m = mappings[i];
                if (m.State == MappingState.Mapped && m.ExpiresAtMs > 0 && clock != null)
                {
                    long left = (m.ExpiresAtMs - now) / 1000;
                    text.Append("pigeon_port_mapping_lease_remaining_seconds{port=\"").Append(m.Port).Append("\"} ")
                        .Append(left < 0 ? 0 : left).Append("\n");
                }
            }

            Family(text, "pigeon_public_address_reachable", "gauge", "1 when the router reports a public IPv4 address (not CGNAT, private or none).");
            Sample(text, "pigeon_public_address_reachable", null, null, PublicAddress.IsReachable(mapper.AddressKind) ? 1 : 0);
            Family(text, "pigeon_public_address_kind", "gauge", "The kind of the router's external address (value always 1).");
            Sample(text, "pigeon_public_address_kind", "kind", KindLabel(mapper.AddressKind), 1);
        }

        /// <summary>"public", "cgnat", "private", "unusable" or "none".</summary>
        public static string KindLabel(AddressKind kind)
        {
            switch (kind)
            {
                case AddressKind.Public:
                    return "public";
                case AddressKind.CarrierGradeNat:
                    return "cgnat";
                case AddressKind.Private:
                    return "private";
                case AddressKind.Unusable:
                    return "unusable";
                default:
                    return "none";
            }
        }

        private static void AppendSeconds(TextBuffer text, int milliseconds)
        {
            // Milliseconds as seconds with three decimals, without floating point formatting
            // (nanoFramework's double.ToString differs from .NET's).
            text.Append(milliseconds / 1000).Append(".");
            int ms = milliseconds % 1000;
            text.Append(ms < 10 ? "00" : ms < 100 ? "0" : "").Append(ms);
        }

        private static void Family(TextBuffer text, string name, string type, string help)
        {
            text.Append("# HELP ").Append(name).Append(" ").Append(help).Append("\n# TYPE ").Append(name).Append(" ").Append(type).Append("\n");
        }

        private static void Sample(TextBuffer text, string name, string label, string value, long number)
        {
            text.Append(name);
            if (label != null)
            {
                text.Append("{").Append(label).Append("=\"");
                AppendLabelValue(text, value);
                text.Append("\"}");
            }

            text.Append(" ").Append(number).Append("\n");
        }

        private static void RouteSample(TextBuffer text, string name, Route route, string label, string value, long number)
        {
            text.Append(name).Append("{route=\"");
            AppendLabelValue(text, route.Name);
            text.Append("\"");
            if (label != null)
            {
                text.Append(",").Append(label).Append("=\"");
                AppendLabelValue(text, value);
                text.Append("\"");
            }

            text.Append("} ").Append(number).Append("\n");
        }
    }
}
