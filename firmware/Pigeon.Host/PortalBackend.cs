using System;
using System.Collections.Generic;
using System.IO;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pigeon.Config;
using Pigeon.Portal;
using Pigeon.Relay;

namespace Pigeon.Host
{
    /// <summary>
    /// The host's side of the portal over the data folder's config.json. Interim: it reads the
    /// whole document (relay section through <see cref="RelayConfigJson"/>, the other sections
    /// with System.Text.Json), writes it whole (new file, then rename), and hashes the admin
    /// password with PBKDF2-SHA256. When Pigeon.Config.ConfigStore/AdminPassword land, these
    /// methods become one-line calls to them.
    /// </summary>
    public sealed class PortalBackend : IPortalBackend
    {
        /// <summary>PBKDF2 iterations (the AdminConfig example's "pbkdf2-sha256:10000").</summary>
        public const int Iterations = 10000;

        private static readonly JsonSerializerOptions s_json = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = true,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };

        private readonly string _path;
        private readonly Func<RelayServer> _relay;
        private readonly object _lock = new object();

        /// <summary>Backs the portal with the config file at <paramref name="path"/>.</summary>
        public PortalBackend(string path, Func<RelayServer> relay)
        {
            _path = path;
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
            get
            {
                AdminConfig admin = LoadConfig().Admin;
                return admin != null && !string.IsNullOrEmpty(admin.PasswordHash);
            }
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
            lock (_lock)
            {
                if (!File.Exists(_path))
                {
                    return ConfigDefaults.Create(false);
                }

                string text = File.ReadAllText(_path);
                List<string> errors = new List<string>();
                PigeonConfig config = RelayConfigJson.Parse(text, errors) ?? ConfigDefaults.Create(false);
                using JsonDocument doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 16 });
                JsonElement root = doc.RootElement;
                config.Wifi = Section(root, "wifi", config.Wifi);
                config.SetupAp = Section(root, "setupAp", config.SetupAp);
                config.Admin = Section(root, "admin", config.Admin);
                config.Time = Section(root, "time", config.Time);
                config.Portal = Section(root, "portal", config.Portal);
                config.Network = Section(root, "network", config.Network);
                return config;
            }
        }

        /// <inheritdoc />
        public bool SaveConfig(PigeonConfig config, FieldErrors errors)
        {
            lock (_lock)
            {
                try
                {
                    string dir = Path.GetDirectoryName(Path.GetFullPath(_path));
                    Directory.CreateDirectory(dir);
                    string temp = _path + ".new";
                    File.WriteAllText(temp, JsonSerializer.Serialize(config, s_json));
                    File.Move(temp, _path, true); // rename over: the old file stays whole until the new one is
                    return true;
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    errors.Add("", "the settings could not be written: " + e.Message);
                    return false;
                }
            }
        }

        /// <inheritdoc />
        public void FactoryReset()
        {
            lock (_lock)
            {
                if (File.Exists(_path))
                {
                    File.Delete(_path);
                }
            }
        }

        /// <inheritdoc />
        public bool SetAdminPassword(string password, FieldErrors errors)
        {
            lock (_lock)
            {
                PigeonConfig config = LoadConfig();
                byte[] salt = RandomNumberGenerator.GetBytes(16);
                byte[] hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, 32);
                config.Admin = new AdminConfig
                {
                    PasswordHash = "pbkdf2-sha256:" + Iterations + ":" + Convert.ToBase64String(hash),
                    PasswordSalt = Convert.ToBase64String(salt),
                };
                return SaveConfig(config, errors);
            }
        }

        /// <inheritdoc />
        public bool VerifyAdminPassword(string password)
        {
            AdminConfig admin = LoadConfig().Admin;
            if (admin == null || string.IsNullOrEmpty(admin.PasswordHash))
            {
                return false;
            }

            string[] parts = admin.PasswordHash.Split(':');
            if (parts.Length != 3 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], out int iterations) || iterations < 1)
            {
                return false;
            }

            try
            {
                byte[] expected = Convert.FromBase64String(parts[2]);
                byte[] salt = Convert.FromBase64String(admin.PasswordSalt);
                byte[] actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
                return CryptographicOperations.FixedTimeEquals(actual, expected);
            }
            catch (FormatException)
            {
                return false;
            }
        }

        /// <inheritdoc />
        public int ScanWifi(WifiNetwork[] into)
        {
            WifiNetwork[] list = FakeNetworks ?? new WifiNetwork[0];
            int n = Math.Min(list.Length, into.Length);
            Array.Copy(list, into, n);
            return n;
        }

        /// <summary>Reads a --fake-wifi file: [{"ssid": "...", "rssi": -50, "secure": true}, ...].</summary>
        public static WifiNetwork[] ReadFakeNetworks(string path)
        {
            return JsonSerializer.Deserialize<WifiNetwork[]>(File.ReadAllText(path), s_json) ?? new WifiNetwork[0];
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

        private static T Section<T>(JsonElement root, string name, T fallback)
            where T : class
        {
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out JsonElement e) && e.ValueKind == JsonValueKind.Object)
            {
                try
                {
                    return e.Deserialize<T>(s_json) ?? fallback;
                }
                catch (JsonException)
                {
                    return fallback;
                }
            }

            return fallback;
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
