using System;
using System.IO;
using System.Net.Http;
using Pigeon.Config;
using Pigeon.Json;
using Pigeon.Net;

namespace Pigeon.Host.Service
{
    /// <summary>
    /// `pigeon health [--data-dir DIR | --config FILE]`: asks the relay running on this machine,
    /// through its portal's local status endpoint (GET /health, no login, no secret in it),
    /// whether it relays. The portal's address and port come from the config a start with the
    /// same options uses (0.0.0.0 is asked on 127.0.0.1). For a container's HEALTHCHECK, which
    /// then needs no curl. Exit codes: 0 the relay listens on at least one route, 1 otherwise,
    /// 2 usage.
    /// </summary>
    public static class HealthCommand
    {
        /// <summary>The usage text.</summary>
        public const string Usage = "usage: pigeon health [--data-dir DIR | --config FILE]\n"
            + "  exit 0 when the relay running with that config answers on its portal (GET /health) and\n"
            + "  listens on at least one route; 1 otherwise\n";

        /// <summary>How long the relay has to answer.</summary>
        public const int TimeoutSeconds = 5;

        /// <summary>Runs the command; returns the exit code.</summary>
        public static int Run(string[] args, TextWriter output, TextWriter error, Func<string, string> environment)
        {
            HostOptions options;
            try
            {
                string[] rest = new string[args.Length - 1];
                Array.Copy(args, 1, rest, 0, rest.Length);
                options = HostOptions.Parse(rest, environment);
                if (options.Help || options.Version || options.FactoryReset)
                {
                    throw new ArgumentException("health takes only --data-dir or --config");
                }
            }
            catch (ArgumentException e)
            {
                error.WriteLine("error: " + e.Message);
                error.Write(Usage);
                return 2;
            }

            options.PreferPackage();
            PigeonConfig config = HostConfig.OpenStore(options.EffectiveConfigPath, true).Load().Config;
            PortalConfig portal = config.Portal ?? ConfigDefaults.Create(false).Portal;
            if (!IPv4.TryParse(portal.ListenAddress, out uint address))
            {
                output.WriteLine("unhealthy: portal.listenAddress \"" + portal.ListenAddress + "\" is not an IPv4 address, so there is no status endpoint");
                return 1;
            }

            string url = "http://" + IPv4.ToText(address == IPv4.Any ? IPv4.Loopback : address) + ":" + portal.Port + "/health";
            return Ask(url, output);
        }

        /// <summary>GETs <paramref name="url"/> (a relay's /health) and says what it answered; the exit code.</summary>
        public static int Ask(string url, TextWriter output)
        {
            try
            {
                using HttpClient client = new HttpClient { Timeout = TimeSpan.FromSeconds(TimeoutSeconds) };
                using HttpResponseMessage response = client.GetAsync(url).GetAwaiter().GetResult();
                byte[] body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
                JsonNode answer = JsonReader.Parse(body, 0, body.Length, 2, out JsonError _);
                JsonNode up = answer == null ? null : answer.Get("up");
                JsonNode listening = answer == null ? null : answer.Get("listening");
                JsonNode routes = answer == null ? null : answer.Get("routes");
                string figures = listening == null || routes == null ? string.Empty : ": relaying on " + listening.Text + " of " + routes.Text + " routes";
                if ((int)response.StatusCode == 200 && up != null && up.IsTrue)
                {
                    output.WriteLine("healthy" + figures + " (" + url + ")");
                    return 0;
                }

                output.WriteLine("unhealthy: " + url + " answered " + (int)response.StatusCode + figures);
                return 1;
            }
            catch (Exception e) when (e is HttpRequestException || e is System.Threading.Tasks.TaskCanceledException || e is IOException)
            {
                output.WriteLine("unhealthy: no answer from " + url + " (" + e.Message + ")");
                return 1;
            }
        }
    }
}
