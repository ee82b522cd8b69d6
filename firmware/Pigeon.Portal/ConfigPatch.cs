using System.Collections;
using Pigeon.Config;
using Pigeon.Json;
using Pigeon.Net;
using Pigeon.Text;

namespace Pigeon.Portal
{
    /// <summary>
    /// Applies a POST /api/config body to a copy of the config. A key left out keeps its value;
    /// a key present replaces it. Every wrong type or value is reported against its path
    /// ("wifi.ssid", "relay.chatPorts[1]") in plain words, so the page can show it by the field.
    /// The checks here cover the fields the portal edits; the backend's config validation runs
    /// on the whole document after them.
    /// </summary>
    /// <remarks>
    /// <code>
    /// { "wifi":    { "ssid": "", "password": "" },
    ///   "setupAp": { "ssid": "", "password": "", "channel": 6 },
    ///   "relay":   { "chatPorts": [443, 5222], "mediaPorts": [587, 7777] },
    ///   "network": { "publicHost": "", "portMapping": true, "dynDnsUrl": "", "dynDnsUser": "", "dynDnsPassword": "" },
    ///   "portal":  { "listenAddress": "0.0.0.0", "port": 80 } }
    /// </code>
    /// </remarks>
    public static class ConfigPatch
    {
        /// <summary>Most ports of one kind (the board's 8 listening sockets are shared).</summary>
        public const int MaxPortsPerKind = 4;

        /// <summary>Applies <paramref name="body"/>; returns false (config half-changed: discard it) on any error.</summary>
        public static bool Apply(JsonNode body, PigeonConfig config, FieldErrors errors)
        {
            if (body == null || body.Kind != JsonKind.Object)
            {
                errors.Add("", "the settings must be a JSON object");
                return false;
            }

            int before = errors.Count;
            for (int i = 0; i < body.Count; i++)
            {
                JsonNode section = body[i];
                string path = body.GetName(i);
                if (section.Kind != JsonKind.Object)
                {
                    errors.Add(path, "must be an object");
                    continue;
                }

                switch (path)
                {
                    case "wifi":
                        ApplyWifi(section, config, errors);
                        break;
                    case "setupAp":
                        ApplySetupAp(section, config, errors);
                        break;
                    case "relay":
                        ApplyRelay(section, config, errors);
                        break;
                    case "network":
                        ApplyNetwork(section, config, errors);
                        break;
                    case "portal":
                        ApplyPortal(section, config, errors);
                        break;
                    default:
                        errors.Add(path, "is not a setting the portal can change");
                        break;
                }
            }

            if (errors.Count == before)
            {
                CheckPortClashes(config, errors);
            }

            return errors.Count == before;
        }

        private static void ApplyWifi(JsonNode s, PigeonConfig config, FieldErrors errors)
        {
            if (config.Wifi == null)
            {
                config.Wifi = new WifiConfig();
            }

            for (int i = 0; i < s.Count; i++)
            {
                JsonNode v = s[i];
                string name = s.GetName(i);
                string path = "wifi." + name;
                switch (name)
                {
                    case "ssid":
                        string ssid = Text(v, path, errors);
                        if (ssid != null && (Utf8.ByteCount(ssid) < 1 || Utf8.ByteCount(ssid) > 32))
                        {
                            errors.Add(path, "a network name is 1 to 32 bytes long");
                        }
                        else if (ssid != null)
                        {
                            config.Wifi.Ssid = ssid;
                        }

                        break;
                    case "password":
                        string password = Text(v, path, errors);
                        if (password != null && !IsWpaPassphrase(password))
                        {
                            errors.Add(path, "a Wi-Fi password is 8 to 63 characters (or empty for an open network)");
                        }
                        else if (password != null)
                        {
                            config.Wifi.Password = password;
                        }

                        break;
                    default:
                        errors.Add(path, "is not a setting the portal can change");
                        break;
                }
            }
        }

        private static void ApplySetupAp(JsonNode s, PigeonConfig config, FieldErrors errors)
        {
            if (config.SetupAp == null)
            {
                config.SetupAp = new SetupApConfig();
            }

            for (int i = 0; i < s.Count; i++)
            {
                JsonNode v = s[i];
                string name = s.GetName(i);
                string path = "setupAp." + name;
                switch (name)
                {
                    case "ssid":
                        string ssid = Text(v, path, errors);
                        if (ssid != null && Utf8.ByteCount(ssid) > 32)
                        {
                            errors.Add(path, "a network name is at most 32 bytes long (empty = Pigeon-XXXX)");
                        }
                        else if (ssid != null)
                        {
                            config.SetupAp.Ssid = ssid;
                        }

                        break;
                    case "password":
                        string password = Text(v, path, errors);
                        if (password != null && !IsWpaPassphrase(password))
                        {
                            errors.Add(path, "the setup network's password is 8 to 63 characters (or empty for an open network)");
                        }
                        else if (password != null)
                        {
                            config.SetupAp.Password = password;
                        }

                        break;
                    case "channel":
                        int channel = Integer(v, path, errors, 1, 13, "a Wi-Fi channel from 1 to 13");
                        if (channel > 0)
                        {
                            config.SetupAp.Channel = channel;
                        }

                        break;
                    default:
                        errors.Add(path, "is not a setting the portal can change");
                        break;
                }
            }
        }

        private static void ApplyRelay(JsonNode s, PigeonConfig config, FieldErrors errors)
        {
            if (config.Relay == null)
            {
                errors.Add("relay", "the relay section is missing");
                return;
            }

            int[] chat = null;
            int[] media = null;
            for (int i = 0; i < s.Count; i++)
            {
                JsonNode v = s[i];
                string name = s.GetName(i);
                string path = "relay." + name;
                switch (name)
                {
                    case "chatPorts":
                        chat = Ports(v, path, errors);
                        break;
                    case "mediaPorts":
                        media = Ports(v, path, errors);
                        break;
                    default:
                        errors.Add(path, "is not a setting the portal can change");
                        break;
                }
            }

            if (chat == null && media == null)
            {
                return;
            }

            ArrayList oldChat = new ArrayList();
            ArrayList oldMedia = new ArrayList();
            RouteConfig[] routes = config.Relay.Routes ?? new RouteConfig[0];
            for (int i = 0; i < routes.Length; i++)
            {
                if (routes[i] != null)
                {
                    (ShareLink.IsMedia(routes[i]) ? oldMedia : oldChat).Add(routes[i]);
                }
            }

            if (chat == null)
            {
                chat = PortsOf(oldChat);
            }

            if (media == null)
            {
                media = PortsOf(oldMedia);
            }

            RouteConfig[] rebuilt = new RouteConfig[chat.Length + media.Length];
            for (int i = 0; i < chat.Length; i++)
            {
                rebuilt[i] = Reuse(oldChat, i, chat[i], false);
            }

            for (int i = 0; i < media.Length; i++)
            {
                rebuilt[chat.Length + i] = Reuse(oldMedia, i, media[i], true);
            }

            config.Relay.Routes = rebuilt;
        }

        private static RouteConfig Reuse(ArrayList old, int index, int port, bool media)
        {
            if (index >= old.Count)
            {
                return media ? ConfigDefaults.MediaRoute(port) : ConfigDefaults.ChatRoute(port);
            }

            // Keep the route's other settings (upstream, PROXY line, SNI list); rename a default name.
            RouteConfig route = (RouteConfig)old[index];
            string prefix = media ? "media-" : "chat-";
            if (route.Name == prefix + route.ListenPort.ToString() || route.Name.Length == 0)
            {
                route.Name = prefix + port.ToString();
            }

            route.ListenPort = port;
            return route;
        }

        private static int[] PortsOf(ArrayList routes)
        {
            int[] ports = new int[routes.Count];
            for (int i = 0; i < ports.Length; i++)
            {
                ports[i] = ((RouteConfig)routes[i]).ListenPort;
            }

            return ports;
        }

        private static int[] Ports(JsonNode v, string path, FieldErrors errors)
        {
            if (v.Kind != JsonKind.Array)
            {
                errors.Add(path, "must be a list of port numbers");
                return null;
            }

            if (v.Count < 1 || v.Count > MaxPortsPerKind)
            {
                errors.Add(path, "give 1 to " + MaxPortsPerKind.ToString() + " ports");
                return null;
            }

            int[] ports = new int[v.Count];
            bool ok = true;
            for (int i = 0; i < v.Count; i++)
            {
                JsonNode p = v[i];
                int port;
                if (p.TryGetInt(out port) && port >= 1 && port <= 65535)
                {
                    ports[i] = port;
                    continue;
                }

                string shown = p.Kind == JsonKind.String || p.Kind == JsonKind.Number ? p.Text : "this value";
                if (shown.Length > 12)
                {
                    shown = shown.Substring(0, 12) + "...";
                }

                errors.Add(path + "[" + i.ToString() + "]", "\"" + shown + "\" is not a port: use a number from 1 to 65535");
                ok = false;
            }

            return ok ? ports : null;
        }

        private static void ApplyNetwork(JsonNode s, PigeonConfig config, FieldErrors errors)
        {
            if (config.Network == null)
            {
                config.Network = new NetworkConfig();
            }

            for (int i = 0; i < s.Count; i++)
            {
                JsonNode v = s[i];
                string name = s.GetName(i);
                string path = "network." + name;
                switch (name)
                {
                    case "publicHost":
                        string host = Text(v, path, errors);
                        if (host != null && host.Length > 0 && !IsHostName(host))
                        {
                            errors.Add(path, "give a host name (like relay.example.org) or an IPv4 address, or leave it empty");
                        }
                        else if (host != null)
                        {
                            config.Network.PublicHost = host;
                        }

                        break;
                    case "portMapping":
                        if (v.Kind != JsonKind.Boolean)
                        {
                            errors.Add(path, "must be true or false");
                        }
                        else
                        {
                            config.Network.PortMapping = v.IsTrue;
                        }

                        break;
                    case "dynDnsUrl":
                        string url = Text(v, path, errors);
                        if (url != null && url.Length > 0 && !url.StartsWith("https://") && !url.StartsWith("http://"))
                        {
                            errors.Add(path, "must start with https:// (or be empty to switch dynamic DNS off)");
                        }
                        else if (url != null)
                        {
                            config.Network.DynDnsUrl = url;
                        }

                        break;
                    case "dynDnsUser":
                        string user = Text(v, path, errors);
                        if (user != null)
                        {
                            config.Network.DynDnsUser = user;
                        }

                        break;
                    case "dynDnsPassword":
                        string secret = Text(v, path, errors);
                        if (secret != null)
                        {
                            config.Network.DynDnsPassword = secret;
                        }

                        break;
                    case "metricsToken":
                        string token = Text(v, path, errors);
                        if (token != null)
                        {
                            config.Network.MetricsToken = token;
                        }

                        break;
                    default:
                        errors.Add(path, "is not a setting the portal can change");
                        break;
                }
            }
        }

        private static void ApplyPortal(JsonNode s, PigeonConfig config, FieldErrors errors)
        {
            if (config.Portal == null)
            {
                config.Portal = new PortalConfig();
            }

            for (int i = 0; i < s.Count; i++)
            {
                JsonNode v = s[i];
                string name = s.GetName(i);
                string path = "portal." + name;
                switch (name)
                {
                    case "listenAddress":
                        string address = Text(v, path, errors);
                        if (address != null && !IPv4.IsLiteral(address))
                        {
                            errors.Add(path, "must be an IPv4 address like 192.168.1.20 (0.0.0.0 = every interface)");
                        }
                        else if (address != null)
                        {
                            config.Portal.ListenAddress = address;
                        }

                        break;
                    case "port":
                        int port = Integer(v, path, errors, 1, 65535, "a port from 1 to 65535");
                        if (port > 0)
                        {
                            config.Portal.Port = port;
                        }

                        break;
                    default:
                        errors.Add(path, "is not a setting the portal can change");
                        break;
                }
            }
        }

        /// <summary>No two routes on one port, and the portal never on a relay port (issue: "never on a relay port").</summary>
        private static void CheckPortClashes(PigeonConfig config, FieldErrors errors)
        {
            RouteConfig[] routes = config.Relay == null ? null : config.Relay.Routes;
            if (routes == null)
            {
                return;
            }

            int chatIndex = 0;
            int mediaIndex = 0;
            for (int i = 0; i < routes.Length; i++)
            {
                bool media = ShareLink.IsMedia(routes[i]);
                string path = media ? "relay.mediaPorts[" + mediaIndex.ToString() + "]" : "relay.chatPorts[" + chatIndex.ToString() + "]";
                if (media)
                {
                    mediaIndex++;
                }
                else
                {
                    chatIndex++;
                }

                for (int j = 0; j < i; j++)
                {
                    if (routes[j].ListenPort == routes[i].ListenPort)
                    {
                        errors.Add(path, "port " + routes[i].ListenPort.ToString() + " is already used by another relay port");
                        break;
                    }
                }

                if (config.Portal != null && routes[i].ListenPort == config.Portal.Port)
                {
                    errors.Add(path, "port " + routes[i].ListenPort.ToString() + " is the portal's own port");
                }
            }
        }

        private static string Text(JsonNode v, string path, FieldErrors errors)
        {
            if (v.Kind != JsonKind.String)
            {
                errors.Add(path, "must be text");
                return null;
            }

            for (int i = 0; i < v.Text.Length; i++)
            {
                if (v.Text[i] < 0x20 || v.Text[i] == 0x7F)
                {
                    errors.Add(path, "must not contain control characters");
                    return null;
                }
            }

            return v.Text;
        }

        private static int Integer(JsonNode v, string path, FieldErrors errors, int min, int max, string what)
        {
            int value;
            if (!v.TryGetInt(out value) || value < min || value > max)
            {
                errors.Add(path, "must be " + what);
                return 0;
            }

            return value;
        }

        private static bool IsWpaPassphrase(string password)
        {
            // IEEE 802.11i: 8..63 printable ASCII characters (64 would be a raw hex key).
            if (password.Length == 0)
            {
                return true;
            }

            if (password.Length < 8 || password.Length > 63)
            {
                return false;
            }

            for (int i = 0; i < password.Length; i++)
            {
                if (password[i] < 0x20 || password[i] > 0x7E)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsHostName(string host)
        {
            if (IPv4.IsLiteral(host))
            {
                return true;
            }

            if (host.Length > 253)
            {
                return false;
            }

            string[] labels = host.Split('.');
            for (int i = 0; i < labels.Length; i++)
            {
                string label = labels[i];
                if (label.Length < 1 || label.Length > 63 || label[0] == '-' || label[label.Length - 1] == '-')
                {
                    return false;
                }

                for (int k = 0; k < label.Length; k++)
                {
                    char c = label[k];
                    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                    if (!ok)
                    {
                        return false;
                    }
                }
            }

            return true;
        }
    }
}
