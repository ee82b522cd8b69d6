using Pigeon.Config;
using Pigeon.Json;
using Pigeon.Text;

namespace Pigeon.Portal
{
    /// <summary>
    /// The settings the portal shows and changes (GET and POST /api/config), from one list of
    /// what the page may see and change. The view is the config's own tree
    /// (<see cref="ConfigMapper.ToTree"/>) cut to that list, with secrets (Wi-Fi, access-point and
    /// dynamic-DNS passwords, the metrics token; the admin hash is never in the list) shown only as
    /// "...Set": true/false. A change is an overlay read onto a copy of the current config by the
    /// config's own mapper (<see cref="ConfigMapper.Read"/>): a key left out keeps its value, a key
    /// present replaces it, a wrong type is the mapper's error at the config's path. The rules on
    /// values are the validator's, run by the store when the backend saves (one rule, one message).
    /// </summary>
    /// <remarks>
    /// <code>
    /// { "wifi":    { "ssid": "", "password": "" },                   view: "passwordSet": false
    ///   "setupAp": { "ssid": "", "password": "", "channel": 6 },
    ///   "relay":   { "chatPorts": [443, 5222], "mediaPorts": [587, 7777] },
    ///   "network": { "publicHost": "", "portMapping": true, "dynDnsUrl": "", "dynDnsUser": "",
    ///                "dynDnsPassword": "", "metricsToken": "" },    view: "dynDnsPasswordSet", "metricsTokenSet"
    ///   "portal":  { "listenAddress": "0.0.0.0", "port": 80 } }
    /// </code>
    /// The port lists are the routes: chat routes (no SNI list), then media routes (with one); a
    /// route keeps its other settings (upstream, PROXY line, SNI list) and a default name follows
    /// its port. An error at relay.routes[i] is shown at the port it came from
    /// (<see cref="FieldPath"/>).
    /// </remarks>
    public static class PortalSettings
    {
        private const string NotEditable = "is not a setting the portal can change";
        private const string Secrets = " password dynDnsPassword metricsToken ";

        // The settings the page may see and change, by section; relay is the two port lists.
        private static readonly string[] s_sections = new string[] { "wifi", "setupAp", "relay", "network", "portal" };
        private static readonly string[] s_keys = new string[]
        {
            " ssid password ",
            " ssid password channel ",
            " chatPorts mediaPorts ",
            " publicHost portMapping dynDnsUrl dynDnsUser dynDnsPassword metricsToken ",
            " listenAddress port ",
        };

        /// <summary>Writes the view as members of an open object.</summary>
        public static void Write(JsonWriter json, PigeonConfig config)
        {
            JsonNode tree = ConfigMapper.ToTree(config);
            for (int i = 0; i < s_sections.Length; i++)
            {
                json.Name(s_sections[i]).BeginObject();
                JsonNode section = tree.Get(s_sections[i]);
                string[] keys = s_keys[i].Trim().Split(' ');
                for (int k = 0; k < keys.Length; k++)
                {
                    if (s_sections[i] == "relay")
                    {
                        Ports(json, keys[k], config.Relay == null ? null : config.Relay.Routes);
                    }
                    else if (Secrets.IndexOf(" " + keys[k] + " ") >= 0)
                    {
                        json.Member(keys[k] + "Set", section.Get(keys[k]).Text.Length > 0);
                    }
                    else
                    {
                        json.Name(keys[k]).Value(section.Get(keys[k]));
                    }
                }

                json.EndObject();
            }
        }

        /// <summary>
        /// Applies <paramref name="body"/> to <paramref name="config"/>; false (config half-changed:
        /// discard it) with every problem in <paramref name="report"/>: a setting the page may not
        /// change is reported and left out, the rest is still read, so a save reports it all at
        /// once. Does not validate (the store does, on save).
        /// </summary>
        public static bool Apply(JsonNode body, PigeonConfig config, ValidationReport report)
        {
            int before = report.ErrorCount;
            if (body == null || body.Kind != JsonKind.Object)
            {
                report.AddError(ValidationReport.DocumentPath, "the settings must be a JSON object");
                return false;
            }

            JsonNode overlay = JsonNode.NewObject();
            for (int i = 0; i < body.Count; i++)
            {
                string name = body.GetName(i);
                int kind = TextList.IndexOf(s_sections, s_sections.Length, name);
                if (kind < 0)
                {
                    report.AddError(name, NotEditable);
                }
                else if (body[i].Kind != JsonKind.Object)
                {
                    overlay.Add(name, body[i]); // the mapper says what it should be
                }
                else
                {
                    JsonNode section = Editable(body[i], name, s_keys[kind], report);
                    overlay.Add(name, name == "relay" ? Routes(section, config, report) : section);
                }
            }

            ConfigMapper.Read(overlay, config, report);
            return report.ErrorCount == before;
        }

        /// <summary>
        /// The page's name for a config path: relay.routes[i]... becomes relay.chatPorts[k] or
        /// relay.mediaPorts[k] (the k-th route of its kind in <paramref name="config"/>), the
        /// document "". Anything else is already the page's name.
        /// </summary>
        public static string FieldPath(string path, PigeonConfig config)
        {
            if (path == ValidationReport.DocumentPath)
            {
                return string.Empty;
            }

            const string Prefix = "relay.routes[";
            RouteConfig[] routes = config == null || config.Relay == null ? null : config.Relay.Routes;
            int close = path.IndexOf(']');
            int index;
            if (routes == null || !path.StartsWith(Prefix) || close < 0
                || !Pigeon.Text.Integer.TryParse(path.Substring(Prefix.Length, close - Prefix.Length), out index)
                || index < 0 || index >= routes.Length || routes[index] == null)
            {
                return path;
            }

            bool media = ShareLink.IsMedia(routes[index]);
            int k = 0;
            for (int i = 0; i < index; i++)
            {
                if (routes[i] != null && ShareLink.IsMedia(routes[i]) == media)
                {
                    k++;
                }
            }

            return "relay." + (media ? "mediaPorts[" : "chatPorts[") + k.ToString() + "]";
        }

        // The members the page may change; the others reported.
        private static JsonNode Editable(JsonNode section, string name, string keys, ValidationReport report)
        {
            JsonNode kept = JsonNode.NewObject();
            for (int k = 0; k < section.Count; k++)
            {
                string key = section.GetName(k);
                if (keys.IndexOf(" " + key + " ") < 0)
                {
                    report.AddError(name + "." + key, NotEditable);
                }
                else
                {
                    kept.Add(key, section[k]);
                }
            }

            return kept;
        }

        private static void Ports(JsonWriter json, string name, RouteConfig[] routes)
        {
            bool media = name == "mediaPorts";
            json.Name(name).BeginArray();
            for (int i = 0; routes != null && i < routes.Length; i++)
            {
                if (routes[i] != null && ShareLink.IsMedia(routes[i]) == media)
                {
                    json.Number(routes[i].ListenPort);
                }
            }

            json.EndArray();
        }

        // {"chatPorts": [...], "mediaPorts": [...]} as {"routes": [...]}: the current routes of
        // each kind in order, each with its port replaced as given (the mapper checks the type),
        // new ones from the defaults; a list left out keeps its routes.
        private static JsonNode Routes(JsonNode section, PigeonConfig config, ValidationReport report)
        {
            JsonNode relay = JsonNode.NewObject();
            if (section.Get("chatPorts") == null && section.Get("mediaPorts") == null)
            {
                return relay;
            }

            RouteConfig[] current = config.Relay.Routes ?? new RouteConfig[0];
            JsonNode routes = JsonNode.NewArray();
            AddKind(routes, section, "chatPorts", false, current, report);
            AddKind(routes, section, "mediaPorts", true, current, report);
            relay.Add("routes", routes);
            return relay;
        }

        // A port that already has a route of this kind keeps that route (and its settings: a
        // TLS-terminating 443 stays one, whatever the order the ports are typed in); the other
        // ports take over the remaining routes in order, and ports beyond them get the defaults.
        private static void AddKind(JsonNode routes, JsonNode section, string name, bool media, RouteConfig[] current, ValidationReport report)
        {
            JsonNode ports = section.Get(name);
            string path = "relay." + name;
            if (ports != null && !ConfigValidator.PortList(ports.Kind == JsonKind.Array, ports.Count, path, report))
            {
                ports = null;
            }

            RouteConfig[] kind = OfKind(current, media);
            if (ports == null)
            {
                for (int i = 0; i < kind.Length; i++)
                {
                    routes.AddItem(ConfigMapper.RouteTree(kind[i]));
                }

                return;
            }

            bool[] taken = new bool[kind.Length];
            int[] route = new int[ports.Count];
            for (int k = 0; k < ports.Count; k++)
            {
                route[k] = -1;
                int number;
                if (!ports[k].TryGetInt(out number))
                {
                    continue;
                }

                for (int j = 0; j < kind.Length; j++)
                {
                    if (!taken[j] && kind[j].ListenPort == number)
                    {
                        route[k] = j;
                        taken[j] = true;
                        break;
                    }
                }
            }

            int next = 0;
            for (int k = 0; k < ports.Count; k++)
            {
                if (route[k] < 0)
                {
                    while (next < kind.Length && taken[next])
                    {
                        next++;
                    }

                    if (next < kind.Length)
                    {
                        route[k] = next;
                        taken[next] = true;
                    }
                }

                RouteConfig source = route[k] >= 0 ? kind[route[k]] : (media ? ConfigDefaults.MediaRoute(0) : ConfigDefaults.ChatRoute(0));
                routes.AddItem(Moved(source, ports[k], media));
            }
        }

        private static RouteConfig[] OfKind(RouteConfig[] current, bool media)
        {
            int count = 0;
            for (int i = 0; i < current.Length; i++)
            {
                if (current[i] != null && ShareLink.IsMedia(current[i]) == media)
                {
                    count++;
                }
            }

            RouteConfig[] kind = new RouteConfig[count];
            int n = 0;
            for (int i = 0; i < current.Length; i++)
            {
                if (current[i] != null && ShareLink.IsMedia(current[i]) == media)
                {
                    kind[n++] = current[i];
                }
            }

            return kind;
        }

        private static JsonNode Moved(RouteConfig route, JsonNode port, bool media)
        {
            JsonNode tree = ConfigMapper.RouteTree(route);
            tree.Set("listenPort", port);
            int number;
            string prefix = media ? "media-" : "chat-";
            if (port.TryGetInt(out number) && (route.Name == null || route.Name.Length == 0 || route.Name == prefix + route.ListenPort.ToString()))
            {
                tree.Set("name", JsonNode.FromString(prefix + number.ToString()));
            }

            return tree;
        }
    }
}
