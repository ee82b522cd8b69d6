using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Pigeon.Config;

namespace Pigeon.Host
{
    /// <summary>
    /// Reads the relay section of a JSON config over the host defaults: any field left out keeps
    /// its default. Reports every wrong type with its path. (The config store issue replaces this
    /// with the full codec, validation and power-safe store.)
    /// </summary>
    public static class RelayConfigJson
    {
        /// <summary>Parses a document; errors are "path: reason" lines.</summary>
        public static PigeonConfig Parse(string json, List<string> errors)
        {
            PigeonConfig config = ConfigDefaults.Create(false);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            }
            catch (JsonException e)
            {
                errors.Add("(document): not valid JSON: " + e.Message);
                return null;
            }

            using (document)
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    errors.Add("(document): must be a JSON object");
                    return null;
                }

                if (root.TryGetProperty("schemaVersion", out JsonElement version))
                {
                    config.SchemaVersion = Int(version, "schemaVersion", errors, config.SchemaVersion);
                }

                if (root.TryGetProperty("relay", out JsonElement relay))
                {
                    if (relay.ValueKind != JsonValueKind.Object)
                    {
                        errors.Add("relay: must be an object");
                    }
                    else
                    {
                        ReadRelay(relay, config.Relay, errors);
                    }
                }
            }

            return errors.Count == 0 ? config : null;
        }

        /// <summary>Reads a file (see <see cref="Parse"/>).</summary>
        public static PigeonConfig Load(string path, List<string> errors)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e)
            {
                errors.Add(path + ": cannot read: " + e.Message);
                return null;
            }

            return Parse(text, errors);
        }

        private static void ReadRelay(JsonElement relay, RelayConfig target, List<string> errors)
        {
            foreach (JsonProperty p in relay.EnumerateObject())
            {
                string path = "relay." + p.Name;
                switch (p.Name)
                {
                    case "maxSessions": target.MaxSessions = Int(p.Value, path, errors, target.MaxSessions); break;
                    case "bufferBytes": target.BufferBytes = Int(p.Value, path, errors, target.BufferBytes); break;
                    case "maxHelloBytes": target.MaxHelloBytes = Int(p.Value, path, errors, target.MaxHelloBytes); break;
                    case "helloTimeoutSeconds": target.HelloTimeoutSeconds = Int(p.Value, path, errors, target.HelloTimeoutSeconds); break;
                    case "connectTimeoutSeconds": target.ConnectTimeoutSeconds = Int(p.Value, path, errors, target.ConnectTimeoutSeconds); break;
                    case "idleTimeoutSeconds": target.IdleTimeoutSeconds = Int(p.Value, path, errors, target.IdleTimeoutSeconds); break;
                    case "drainMilliseconds": target.DrainMilliseconds = Int(p.Value, path, errors, target.DrainMilliseconds); break;
                    case "dnsCacheSeconds": target.DnsCacheSeconds = Int(p.Value, path, errors, target.DnsCacheSeconds); break;
                    case "routes":
                        if (p.Value.ValueKind != JsonValueKind.Array)
                        {
                            errors.Add(path + ": must be a list of routes");
                            break;
                        }

                        List<RouteConfig> routes = new List<RouteConfig>();
                        int i = 0;
                        foreach (JsonElement r in p.Value.EnumerateArray())
                        {
                            routes.Add(ReadRoute(r, path + "[" + i + "]", errors));
                            i++;
                        }

                        target.Routes = routes.ToArray();
                        break;
                    default:
                        break; // unknown keys are the config store's business (kept, warned)
                }
            }
        }

        private static RouteConfig ReadRoute(JsonElement r, string path, List<string> errors)
        {
            RouteConfig route = ConfigDefaults.NewRoute();
            if (r.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path + ": must be an object");
                return route;
            }

            foreach (JsonProperty p in r.EnumerateObject())
            {
                string at = path + "." + p.Name;
                switch (p.Name)
                {
                    case "name": route.Name = Str(p.Value, at, errors, route.Name); break;
                    case "listenAddress": route.ListenAddress = Str(p.Value, at, errors, route.ListenAddress); break;
                    case "listenPort": route.ListenPort = Int(p.Value, at, errors, route.ListenPort); break;
                    case "upstreamHost": route.UpstreamHost = Str(p.Value, at, errors, route.UpstreamHost); break;
                    case "upstreamPort": route.UpstreamPort = Int(p.Value, at, errors, route.UpstreamPort); break;
                    case "fallbackHost": route.FallbackHost = Str(p.Value, at, errors, route.FallbackHost); break;
                    case "proxyProtocol": route.ProxyProtocol = Bool(p.Value, at, errors, route.ProxyProtocol); break;
                    case "upstreamFromSni": route.UpstreamFromSni = Bool(p.Value, at, errors, route.UpstreamFromSni); break;
                    case "allowTls": route.AllowTls = Bool(p.Value, at, errors, route.AllowTls); break;
                    case "allowedSni":
                        if (p.Value.ValueKind != JsonValueKind.Array)
                        {
                            errors.Add(at + ": must be a list of names");
                            break;
                        }

                        List<string> names = new List<string>();
                        foreach (JsonElement n in p.Value.EnumerateArray())
                        {
                            names.Add(Str(n, at + "[" + names.Count + "]", errors, ""));
                        }

                        route.AllowedSni = names.ToArray();
                        break;
                    default:
                        break;
                }
            }

            return route;
        }

        private static int Int(JsonElement e, string path, List<string> errors, int fallback)
        {
            if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int value))
            {
                return value;
            }

            errors.Add(path + ": must be a whole number");
            return fallback;
        }

        private static string Str(JsonElement e, string path, List<string> errors, string fallback)
        {
            if (e.ValueKind == JsonValueKind.String)
            {
                return e.GetString();
            }

            errors.Add(path + ": must be text");
            return fallback;
        }

        private static bool Bool(JsonElement e, string path, List<string> errors, bool fallback)
        {
            if (e.ValueKind == JsonValueKind.True || e.ValueKind == JsonValueKind.False)
            {
                return e.GetBoolean();
            }

            errors.Add(path + ": must be true or false");
            return fallback;
        }
    }
}
