using System.Net;
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Relay;

namespace Pigeon.Host
{
    /// <summary>Wires the reachability work into the host in two calls from <see cref="HostApp"/>.</summary>
    public static class ReachHost
    {
        /// <summary>
        /// Starts port mapping, health checks and dynamic DNS, and, when <paramref name="metricsPort"/>
        /// is set, /metrics on that port of the portal's address (the portal itself listens on its
        /// own port; see docs/reachability.md for folding /metrics into it).
        /// </summary>
        public static ReachService Start(PigeonConfig config, RelayServer relay, ILog log, int metricsPort, out MetricsServer metrics)
        {
            metrics = null;
            config.Network = config.Network ?? new NetworkConfig();
            ReachService reach = new ReachService(config, relay, log, null);
            reach.Start();
            if (metricsPort <= 0)
            {
                return reach;
            }

            PortalConfig portal = config.Portal ?? new PortalConfig();
            IPAddress address;
            if (!IPAddress.TryParse(portal.ListenAddress, out address))
            {
                address = IPAddress.Loopback;
            }

            MetricsServer server = new MetricsServer(reach.WriteMetrics, config.Network.MetricsToken);
            string error;
            if (server.Start(address, metricsPort, out error))
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
    }
}
