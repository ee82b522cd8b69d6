using System;
using System.IO;
using Pigeon.Host.Service;

namespace Pigeon.Host
{
    /// <summary>Command-line options of pigeon (Pigeon.Host).</summary>
    public sealed class HostOptions
    {
        /// <summary>The JSON config file named by --config; null to use the data folder's.</summary>
        public string ConfigPath { get; set; }

        /// <summary>Folder for state (--data-dir or PIGEON_DATA_DIR; default "pigeon-data" in the working directory).</summary>
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

        /// <summary>
        /// A JSON file with a Wi-Fi scan list (--fake-wifi): the portal then acts as a board's,
        /// with its Wi-Fi step, for testing the board's page on a computer. Null (a server): no
        /// Wi-Fi anywhere on the page.
        /// </summary>
        public string FakeWifiPath { get; set; }

        /// <summary>
        /// The relay's pump (--pump): "events" (default: non-blocking sockets on the runtime's event
        /// loop, a handful of threads whatever the session count) or "threads" (the board's
        /// blocking pump, two threads per slot; for comparison and tests).
        /// </summary>
        public string Pump { get; set; } = "events";

        /// <summary>--help was given.</summary>
        public bool Help { get; set; }

        /// <summary>--version was given.</summary>
        public bool Version { get; set; }

        /// <summary>True when --data-dir (or PIGEON_DATA_DIR) named the data folder.</summary>
        public bool DataDirGiven { get; set; }

        /// <summary>
        /// What `pigeon setup` would set, from the environment (a container has no terminal for
        /// it): PIGEON_PUBLIC_HOST, PIGEON_ADMIN_PASSWORD_FILE, PIGEON_PORTAL_ADDRESS. Applied
        /// before every start; null when none of them is set.
        /// </summary>
        public SetupRequest Setup { get; set; }

        /// <summary>The package's config (pigeon.service runs with --config this).</summary>
        public const string PackageConfigPath = "/etc/pigeon/config.json";

        /// <summary>The package's state folder (pigeon.service's StateDirectory).</summary>
        public const string PackageStateDir = "/var/lib/pigeon";

        /// <summary>
        /// For the commands an operator types on a server (setup, health): with neither
        /// --data-dir nor --config, no ./pigeon-data here, and the package installed, its
        /// files. So `sudo pigeon setup ...` sets up the service, never a stray ./pigeon-data.
        /// </summary>
        public void PreferPackage()
        {
            if (!DataDirGiven && ConfigPath == null && !Directory.Exists(DataDir) && File.Exists(PackageConfigPath))
            {
                ConfigPath = PackageConfigPath;
                DataDir = PackageStateDir;
                DataDirGiven = true;
            }
        }

        /// <summary>The config file actually used.</summary>
        public string EffectiveConfigPath
        {
            get { return ConfigPath ?? Path.Combine(DataDir, "config.json"); }
        }

        /// <summary>
        /// Where state beside the config lives (the 24-hour tally, the TLS certificate Pigeon
        /// makes): --data-dir when given, else the --config file's folder, else ./pigeon-data.
        /// The package keeps its config in /etc/pigeon and this in /var/lib/pigeon.
        /// </summary>
        public string StateDir
        {
            get { return DataDirGiven || ConfigPath == null ? DataDir : Path.GetDirectoryName(Path.GetFullPath(ConfigPath)); }
        }

        /// <summary>The program's version (build.sh sets it; a development build says so).</summary>
        public static string ProgramVersion
        {
            get
            {
                object[] attributes = typeof(HostOptions).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false);
                string version = attributes.Length > 0 ? ((System.Reflection.AssemblyInformationalVersionAttribute)attributes[0]).InformationalVersion : "unknown";
                return version.StartsWith("1.0.0", StringComparison.Ordinal) ? "development build (" + version + ")" : version;
            }
        }

        /// <summary>The usage text.</summary>
        public const string Usage =
            "pigeon: a WhatsApp proxy relay. It never reads WhatsApp's own end-to-end encryption: media TLS\n"
            + "passes through untouched, and on TLS chat routes only the app's outer wrapper is taken off.\n\n"
            + "usage: pigeon [--config FILE] [--data-dir DIR] [--stats-interval SECONDS] [--no-reach] [--factory-reset]\n"
            + "       pigeon setup [--public-host HOST] [--admin-password-file FILE] [--portal-address ADDR] [--data-dir DIR | --config FILE]\n"
            + "       pigeon config check FILE [--device]\n"
            + "       pigeon config check [FILE] --board NAME\n"
            + "       pigeon config check --data-dir DIR | --config FILE\n"
            + "       pigeon status [--data-dir DIR]   (the running relay's last 24 hours)\n"
            + "       pigeon health [--data-dir DIR | --config FILE]   (exit 0 when the running relay answers and relays)\n"
            + "       pigeon --version | --help\n"
            + "(from a source checkout: dotnet run --project firmware/Pigeon.Host -- ARGUMENTS)\n\n"
            + "  --config FILE          the JSON config to use (FILE.bak and FILE.new beside it; it must exist)\n"
            + "  --data-dir DIR         folder for Pigeon's state (default: $PIGEON_DATA_DIR, else ./pigeon-data):\n"
            + "                         DIR/config.json unless --config, created with the defaults on first start\n"
            + "  --stats-interval N     print one JSON status line every N seconds\n"
            + "  --pump events|threads  the relay's pump (default events; threads = the board's, for comparison)\n"
            + "  --no-reach             no router port mapping, upstream checks or dynamic DNS\n"
            + "  --factory-reset        replace the config (and its backup) with the defaults, then exit\n"
            + "  --dns-port N           also answer captive DNS on UDP port N (for tests)\n"
            + "  --fake-wifi FILE       act as a board with a Wi-Fi radio on the setup page, with this scan list\n"
            + "                         ([{\"ssid\":..,\"rssi\":..,\"secure\":..}]; for testing the board's page)\n"
            + "  --version              the version\n"
            + "  --help                 this text\n\n"
            + "Environment: PIGEON_DATA_DIR (--data-dir); PIGEON_PUBLIC_HOST, PIGEON_ADMIN_PASSWORD_FILE and\n"
            + "PIGEON_PORTAL_ADDRESS apply `pigeon setup` before each start (a container's settings).\n";

        /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a plain message.</summary>
        public static HostOptions Parse(string[] args)
        {
            return Parse(args, null);
        }

        /// <summary>
        /// Parses the arguments over the environment's defaults (<paramref name="environment"/>:
        /// a variable's value or null; null to ignore the environment, as tests do).
        /// </summary>
        public static HostOptions Parse(string[] args, Func<string, string> environment)
        {
            HostOptions options = new HostOptions { Reach = true };
            string dataDir = environment == null ? null : environment("PIGEON_DATA_DIR");
            if (!string.IsNullOrEmpty(dataDir))
            {
                options.DataDir = dataDir;
                options.DataDirGiven = true;
            }

            options.Setup = environment == null ? null : SetupRequest.FromEnvironment(environment);
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
                        options.DataDirGiven = true;
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
                    case "--version":
                        options.Version = true;
                        break;
                    default:
                        throw new ArgumentException("unknown option \"" + arg + "\" (see pigeon --help)");
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
