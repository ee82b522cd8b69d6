using System;
using System.IO;

namespace Pigeon.Host
{
    /// <summary>Command-line options of Pigeon.Host.</summary>
    public sealed class HostOptions
    {
        /// <summary>The JSON config file named by --config; null to use the data folder's.</summary>
        public string ConfigPath { get; set; }

        /// <summary>Folder for state (--data-dir; default "pigeon-data" in the working directory).</summary>
        public string DataDir { get; set; } = "pigeon-data";

        /// <summary>Print a JSON status line every N seconds (0 = never).</summary>
        public int StatsIntervalSeconds { get; set; }

        /// <summary>
        /// Router port mapping, upstream checks and dynamic DNS. On for the command line
        /// (<see cref="Parse"/>; --no-reach turns it off); off for an embedding that builds the
        /// options itself (in-process tests), so nothing searches the LAN or probes upstreams
        /// unless asked.
        /// </summary>
        public bool Reach { get; set; }

        /// <summary>--factory-reset was given: replace the config with the defaults and exit.</summary>
        public bool FactoryReset { get; set; }

        /// <summary>Run the captive DNS responder on this UDP port (--dns-port; -1 = off, 0 = any free port).</summary>
        public int DnsPort { get; set; } = -1;

        /// <summary>A JSON file with the fake Wi-Fi scan list (--fake-wifi); null = the built-in sample.</summary>
        public string FakeWifiPath { get; set; }

        /// <summary>
        /// The relay's pump (--pump): "events" (default: non-blocking sockets on the runtime's event
        /// loop, a handful of threads whatever the session count) or "threads" (the board's
        /// blocking pump, two threads per slot; for comparison and tests).
        /// </summary>
        public string Pump { get; set; } = "events";

        /// <summary>--help was given.</summary>
        public bool Help { get; set; }

        /// <summary>The config file actually used.</summary>
        public string EffectiveConfigPath
        {
            get { return ConfigPath ?? Path.Combine(DataDir, "config.json"); }
        }

        /// <summary>The usage text.</summary>
        public const string Usage =
            "Pigeon.Host: a WhatsApp proxy relay. It never reads WhatsApp's own end-to-end encryption: media TLS\n"
            + "passes through untouched, and on TLS chat routes only the app's outer wrapper is taken off.\n\n"
            + "usage: Pigeon.Host [--config FILE] [--data-dir DIR] [--stats-interval SECONDS] [--factory-reset]\n"
            + "       Pigeon.Host config check FILE [--device]\n"
            + "       Pigeon.Host config check [FILE] --board NAME\n"
            + "       Pigeon.Host config check --data-dir DIR\n"
            + "       Pigeon.Host status [--data-dir DIR]   (the running relay's last 24 hours)\n\n"
            + "  --config FILE          the JSON config to use (default: DIR/config.json, created with defaults)\n"
            + "  --data-dir DIR         folder for Pigeon's state (default: ./pigeon-data)\n"
            + "  --stats-interval N     print one JSON status line every N seconds\n"
            + "  --pump events|threads  the relay's pump (default events; threads = the board's, for comparison)\n"
            + "  --no-reach             no router port mapping, upstream checks or dynamic DNS\n"
            + "  --factory-reset        replace the config (and its backup) with the defaults, then exit\n"
            + "  --dns-port N           also answer captive DNS on UDP port N (for tests)\n"
            + "  --fake-wifi FILE       the portal's fake Wi-Fi scan list ([{\"ssid\":..,\"rssi\":..,\"secure\":..}])\n"
            + "  --help                 this text\n";

        /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a plain message.</summary>
        public static HostOptions Parse(string[] args)
        {
            HostOptions options = new HostOptions { Reach = true };
            for (int i = 0; i < args.Length; i++)
            {
                string arg = args[i];
                switch (arg)
                {
                    case "--config":
                        options.ConfigPath = Value(args, ref i, arg);
                        break;
                    case "--data-dir":
                        options.DataDir = Value(args, ref i, arg);
                        break;
                    case "--stats-interval":
                        int seconds;
                        if (!int.TryParse(Value(args, ref i, arg), out seconds) || seconds < 0)
                        {
                            throw new ArgumentException("--stats-interval takes a whole number of seconds");
                        }

                        options.StatsIntervalSeconds = seconds;
                        break;
                    case "--pump":
                        options.Pump = Value(args, ref i, arg);
                        if (options.Pump != "events" && options.Pump != "threads")
                        {
                            throw new ArgumentException("--pump takes events or threads");
                        }

                        break;
                    case "--no-reach":
                        options.Reach = false;
                        break;
                    case "--factory-reset":
                        options.FactoryReset = true;
                        break;
                    case "--dns-port":
                        if (!int.TryParse(Value(args, ref i, arg), out int dnsPort) || dnsPort < 0 || dnsPort > 65535)
                        {
                            throw new ArgumentException("--dns-port takes a port number (0 = any free port)");
                        }

                        options.DnsPort = dnsPort;
                        break;
                    case "--fake-wifi":
                        options.FakeWifiPath = Value(args, ref i, arg);
                        break;
                    case "-h":
                    case "--help":
                        options.Help = true;
                        break;
                    default:
                        throw new ArgumentException("unknown option \"" + arg + "\" (see --help)");
                }
            }

            return options;
        }

        private static string Value(string[] args, ref int i, string name)
        {
            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException(name + " needs a value");
            }

            i++;
            return args[i];
        }
    }
}
