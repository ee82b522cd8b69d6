using System;
using System.IO;
using System.Net;
using System.Text.Json;
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Relay;

namespace Pigeon.Host
{
    /// <summary>
    /// Wires the reachability work into the host in two calls from <see cref="HostApp"/>. Until
    /// the full config codec lands it reads the "network" section itself (same keys, camelCase).
    /// </summary>
    public static class ReachHost
    {
        /// <summary>Starts port mapping, health checks, dynamic DNS and /metrics; never throws for a bad network section.</summary>
        public static ReachService Start(PigeonConfig config, RelayServer relay, ILog log, string configPath, out MetricsServer metrics)
        {
            metrics = null;
            config.Network = config.Network ?? new NetworkConfig();
            config.Portal = config.Portal ?? new PortalConfig();
            ReadNetwork(configPath, config.Network, config.Portal, log);
            ReachService reach = new ReachService(config, relay, log, null);
            reach.Start();

            PortalConfig portal = config.Portal ?? new PortalConfig();
            IPAddress address;
            if (!IPAddress.TryParse(portal.ListenAddress, out address))
            {
                address = IPAddress.Loopback;
            }

            MetricsServer server = new MetricsServer(reach.WriteMetrics, config.Network.MetricsToken);
            string error;
            if (server.Start(address, portal.Port, out error))
            {
                metrics = server;
                log.Info("metrics: http://" + address + ":" + server.Port + "/metrics"
                    + (config.Network.MetricsToken.Length >= Pigeon.Portal.MetricsAccess.MinTokenLength ? " (token required)" : " (off until network.metricsToken is set)"));
            }
            else
            {
                log.Warn("metrics: " + error);
            }

            return reach;
        }

        /// <summary>Stops everything <see cref="Start"/> started and deletes the router mappings.</summary>
        public static void Stop(ReachService reach, MetricsServer metrics)
        {
            if (metrics != null)
            {
                metrics.Stop();
            }

            if (reach != null)
            {
                reach.Stop(true);
            }
        }

        /// <summary>
        /// Reads the "network" section (and the portal's listen address and port, where /metrics
        /// is served) of a config file over the targets; unknown keys are ignored. Temporary: the
        /// config store's codec replaces this.
        /// </summary>
        public static void ReadNetwork(string path, NetworkConfig target, PortalConfig portal, ILog log)
        {
            if (path == null || !File.Exists(path))
            {
                return;
            }

            try
            {
                using (JsonDocument document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { MaxDepth = 16 }))
                {
                    if (document.RootElement.ValueKind != JsonValueKind.Object)
                    {
                        return;
                    }

                    if (document.RootElement.TryGetProperty("portal", out JsonElement portalSection) && portalSection.ValueKind == JsonValueKind.Object)
                    {
                        if (portalSection.TryGetProperty("listenAddress", out JsonElement listen) && listen.ValueKind == JsonValueKind.String)
                        {
                            portal.ListenAddress = listen.GetString();
                        }

                        if (portalSection.TryGetProperty("port", out JsonElement port) && port.ValueKind == JsonValueKind.Number && port.TryGetInt32(out int value) && value > 0 && value < 65536)
                        {
                            portal.Port = value;
                        }
                    }

                    if (!document.RootElement.TryGetProperty("network", out JsonElement network) || network.ValueKind != JsonValueKind.Object)
                    {
                        return;
                    }

                    foreach (JsonProperty p in network.EnumerateObject())
                    {
                        switch (p.Name)
                        {
                            case "publicHost":
                                target.PublicHost = Text(p, target.PublicHost, log);
                                break;
                            case "portMapping":
                                if (p.Value.ValueKind == JsonValueKind.True || p.Value.ValueKind == JsonValueKind.False)
                                {
                                    target.PortMapping = p.Value.GetBoolean();
                                }
                                else
                                {
                                    log.Warn("network.portMapping: must be true or false; kept " + target.PortMapping);
                                }

                                break;
                            case "dynDnsUrl":
                                target.DynDnsUrl = Text(p, target.DynDnsUrl, log);
                                break;
                            case "dynDnsUser":
                                target.DynDnsUser = Text(p, target.DynDnsUser, log);
                                break;
                            case "dynDnsPassword":
                                target.DynDnsPassword = Text(p, target.DynDnsPassword, log);
                                break;
                            case "metricsToken":
                                target.MetricsToken = Text(p, target.MetricsToken, log);
                                break;
                        }
                    }
                }
            }
            catch (Exception e) when (e is JsonException || e is IOException || e is UnauthorizedAccessException)
            {
                log.Warn("network section not read: " + e.Message);
            }
        }

        private static string Text(JsonProperty p, string current, ILog log)
        {
            if (p.Value.ValueKind == JsonValueKind.String)
            {
                return p.Value.GetString();
            }

            log.Warn("network." + p.Name + ": must be a string; ignored");
            return current;
        }
    }
}
