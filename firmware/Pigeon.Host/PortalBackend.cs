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
    /// The host's side of the portal: the shared config and password handling
    /// (<see cref="StoreBackend"/>) over the config file (DIR/config.json or --config) with
    /// PBKDF2-HMAC-SHA256, the first LAN address, and no Wi-Fi: a server has no radio to set up,
    /// so the page shows none. With --fake-wifi it acts as a board for testing the board's page:
    /// a Wi-Fi step with that (labelled) scan list. On a host, "setup mode" is the first run: no
    /// admin password yet.
    /// </summary>
    public sealed class PortalBackend : StoreBackend
    {
        private readonly Func<RelayServer> _relay;

        /// <summary>Backs the portal with the config file at <paramref name="path"/>.</summary>
        public PortalBackend(string path, Func<RelayServer> relay)
            : this(HostConfig.OpenStore(path), new Pbkdf2PasswordHasher(), relay)
        {
            Store.Load();
        }

        /// <summary>Backs the portal with a loaded store and a password hasher.</summary>
        public PortalBackend(ConfigStore store, IPasswordHasher hasher, Func<RelayServer> relay)
            : base(store, hasher)
        {
            _relay = relay;
        }

        /// <summary>
        /// The invented scan list of --fake-wifi (a test of the board's page); null on a server:
        /// no radio, no Wi-Fi on the page.
        /// </summary>
        public WifiNetwork[] FakeNetworks { get; set; }

        /// <inheritdoc />
        public override bool HasWifi
        {
            get { return FakeNetworks != null; }
        }

        /// <inheritdoc />
        public override bool WifiScanIsFake
        {
            get { return true; }
        }

        /// <inheritdoc />
        public override bool IsSetupMode
        {
            get { return !IsAdminPasswordSet; }
        }

        /// <inheritdoc />
        public override RelayServer Relay
        {
            get { return _relay == null ? null : _relay(); }
        }

        /// <inheritdoc />
        public override int WifiRssi
        {
            get { return 0; }
        }

        /// <inheritdoc />
        public override string BestAddress
        {
            get { return FirstLanAddress(); }
        }

        /// <inheritdoc />
        public override int ScanWifi(WifiNetwork[] into)
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
