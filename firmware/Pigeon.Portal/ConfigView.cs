using Pigeon.Config;
using Pigeon.Json;

namespace Pigeon.Portal
{
    /// <summary>
    /// The settings the portal shows (GET /api/config), redacted: the Wi-Fi, access-point and
    /// dynamic-DNS passwords and the admin hash never leave the board; only whether one is set.
    /// Routes are shown as two port lists: chat (no SNI list) and media (with one).
    /// </summary>
    public static class ConfigView
    {
        /// <summary>Writes the view as members of an open object.</summary>
        public static void Write(JsonWriter json, PigeonConfig config)
        {
            WifiConfig wifi = config.Wifi ?? new WifiConfig();
            json.Name("wifi").BeginObject()
                .Member("ssid", wifi.Ssid)
                .Member("passwordSet", !IsEmpty(wifi.Password))
                .EndObject();

            SetupApConfig ap = config.SetupAp ?? new SetupApConfig();
            json.Name("setupAp").BeginObject()
                .Member("ssid", ap.Ssid)
                .Member("passwordSet", !IsEmpty(ap.Password))
                .Member("channel", ap.Channel)
                .EndObject();

            RouteConfig[] routes = config.Relay == null ? null : config.Relay.Routes;
            json.Name("relay").BeginObject();
            WritePorts(json, "chatPorts", routes, false);
            WritePorts(json, "mediaPorts", routes, true);
            json.EndObject();

            NetworkConfig network = config.Network ?? new NetworkConfig();
            json.Name("network").BeginObject()
                .Member("publicHost", network.PublicHost)
                .Member("portMapping", network.PortMapping)
                .Member("dynDnsUrl", network.DynDnsUrl)
                .Member("dynDnsUser", network.DynDnsUser)
                .Member("dynDnsPasswordSet", !IsEmpty(network.DynDnsPassword))
                .Member("metricsTokenSet", !IsEmpty(network.MetricsToken))
                .EndObject();

            PortalConfig portal = config.Portal ?? new PortalConfig();
            json.Name("portal").BeginObject()
                .Member("listenAddress", portal.ListenAddress)
                .Member("port", portal.Port)
                .EndObject();
        }

        private static void WritePorts(JsonWriter json, string name, RouteConfig[] routes, bool media)
        {
            json.Name(name).BeginArray();
            if (routes != null)
            {
                for (int i = 0; i < routes.Length; i++)
                {
                    if (routes[i] != null && ShareLink.IsMedia(routes[i]) == media)
                    {
                        json.Number(routes[i].ListenPort);
                    }
                }
            }

            json.EndArray();
        }

        private static bool IsEmpty(string s)
        {
            return s == null || s.Length == 0;
        }
    }
}
