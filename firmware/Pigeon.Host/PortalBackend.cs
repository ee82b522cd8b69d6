using System;
using System.IO;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Pigeon.Config;
using Pigeon.Json;
using Pigeon.Portal;
using Pigeon.Relay;

namespace Pigeon.Host
{
    /// <summary>
    /// The host's side of the portal over the config file (DIR/config.json or --config): reads,
    /// saves and resets go through the power-safe <see cref="ConfigStore"/> (validated, saved only
    /// on change, previous copy kept); the admin password through <see cref="AdminPassword"/>
    /// with PBKDF2-HMAC-SHA256 (docs/config.md).
    /// </summary>
    public sealed class PortalBackend : IPortalBackend
    {
        private readonly ConfigStore _store;
        private readonly IPasswordHasher _hasher;
        private readonly Func<RelayServer> _relay;
        private readonly object _lock = new object();

        /// <summary>Backs the portal with the config file at <paramref name="path"/>.</summary>
        public PortalBackend(string path, Func<RelayServer> relay)
            : this(new ConfigStore(new FolderFileStore(Path.GetDirectoryName(Path.GetFullPath(path))), false, Path.GetFileName(path)),
                  new Pbkdf2PasswordHasher(), relay)
        {
            _store.Load();
        }

        /// <summary>Backs the portal with a loaded store and a password hasher.</summary>
        public PortalBackend(ConfigStore store, IPasswordHasher hasher, Func<RelayServer> relay)
        {
            _store = store;
            _hasher = hasher;
            _relay = relay;
            FakeNetworks = DefaultFakeNetworks();
        }

        /// <summary>The invented scan list (the host has no radio). Tests and --fake-wifi replace it.</summary>
        public WifiNetwork[] FakeNetworks { get; set; }

        /// <inheritdoc />
        public bool WifiScanIsFake
        {
            get { return true; }
        }

        /// <inheritdoc />
        public bool IsAdminPasswordSet
        {
            get { return AdminPassword.IsSet(_store.Current.Admin); }
        }

        /// <summary>On a host, "setup mode" is the first run: no admin password yet.</summary>
        public bool IsSetupMode
        {
            get { return !IsAdminPasswordSet; }
        }

        /// <inheritdoc />
        public RelayServer Relay
        {
            get { return _relay == null ? null : _relay(); }
        }

        /// <inheritdoc />
        public int WifiRssi
        {
            get { return 0; }
        }

        /// <inheritdoc />
        public string BestAddress
        {
            get { return FirstLanAddress(); }
        }

        /// <inheritdoc />
        public PigeonConfig LoadConfig()
        {
            return _store.Current;
        }

        /// <inheritdoc />
        public bool SaveConfig(PigeonConfig config, FieldErrors errors)
        {
            ValidationReport report = new ValidationReport();
            if (_store.Save(config, report))
            {
                return true;
            }

            for (int i = 0; i < report.ErrorCount; i++)
            {
                ValidationIssue issue = report.GetError(i);
                errors.Add(issue.Path == ValidationReport.DocumentPath ? "" : issue.Path, issue.Message);
            }

            return false;
        }

        /// <inheritdoc />
        public void FactoryReset()
        {
            _store.FactoryReset();
        }

        /// <inheritdoc />
        public bool SetAdminPassword(string password, FieldErrors errors)
        {
            PigeonConfig config = _store.Current;
            if (!AdminPassword.Set(config.Admin, password, _hasher))
            {
                errors.Add("password", "the admin password is " + AdminPassword.MinLength + " to " + AdminPassword.MaxLength + " characters");
                return false;
            }

            return SaveConfig(config, errors);
        }

        /// <inheritdoc />
        public bool VerifyAdminPassword(string password)
        {
            return AdminPassword.Verify(_store.Current.Admin, password, _hasher);
        }

        /// <inheritdoc />
        public int ScanWifi(WifiNetwork[] into)
        {
            WifiNetwork[] list = FakeNetworks ?? new WifiNetwork[0];
            int n = Math.Min(list.Length, into.Length);
            Array.Copy(list, into, n);
            return n;
        }

        /// <summary>
        /// Reads a --fake-wifi file: [{"ssid": "...", "rssi": -50, "secure": true}, ...] (the core's
        /// JSON reader, as for the config). Throws <see cref="InvalidDataException"/> when it is not such a list.
        /// </summary>
        public static WifiNetwork[] ReadFakeNetworks(string path)
        {
            byte[] bytes = File.ReadAllBytes(path);
            JsonNode list = JsonReader.Parse(bytes, 0, bytes.Length, 3, out JsonError error);
            if (list == null || list.Kind != JsonKind.Array)
            {
                throw new InvalidDataException(path + ": " + (error != null ? error.ToString() : "must be a list: [{\"ssid\": \"...\", \"rssi\": -50, \"secure\": true}]"));
            }

            WifiNetwork[] networks = new WifiNetwork[list.Count];
            for (int i = 0; i < list.Count; i++)
            {
                JsonNode item = list[i];
                JsonNode secure = item.Get("secure");
                int rssi = 0;
                JsonNode level = item.Get("rssi");
                if (level != null)
                {
                    level.TryGetInt(out rssi);
                }

                networks[i] = new WifiNetwork { Ssid = item.GetString("ssid") ?? string.Empty, Rssi = rssi, Secure = secure != null && secure.IsTrue };
            }

            return networks;
        }

        /// <summary>The built-in sample list; the page marks it "made up".</summary>
        public static WifiNetwork[] DefaultFakeNetworks()
        {
            return new[]
            {
                new WifiNetwork { Ssid = "Sample home network", Rssi = -48, Secure = true },
                new WifiNetwork { Ssid = "Sample cafe guest", Rssi = -71, Secure = false },
                new WifiNetwork { Ssid = "Sample neighbour 5G", Rssi = -84, Secure = true },
            };
        }

        private static string FirstLanAddress()
        {
            try
            {
                foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
                {
                    if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
                    {
                        continue;
                    }

                    foreach (UnicastIPAddressInformation a in nic.GetIPProperties().UnicastAddresses)
                    {
                        if (a.Address.AddressFamily == AddressFamily.InterNetwork)
                        {
                            return a.Address.ToString();
                        }
                    }
                }
            }
            catch (NetworkInformationException)
            {
                // no interface list: nothing better to offer
            }

            return string.Empty;
        }
    }
}
