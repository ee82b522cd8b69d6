using System;
using System.Device.Wifi;
using System.Net.NetworkInformation;
using System.Threading;
using Pigeon.Config;
using Pigeon.Portal;
using Pigeon.Relay;

namespace Pigeon.Device
{
    /// <summary>
    /// What the portal needs from the board: the config (a copy per call), the Wi-Fi scan, the
    /// relay, the addresses. Saving the config and the admin password go through the config store,
    /// which is not on main yet: until it lands they answer with a plain error instead of
    /// pretending (COMPOSITION POINT, docs/device.md "Limitations").
    /// </summary>
    public sealed class DevicePortalBackend : IPortalBackend
    {
        /// <summary>Longest wait for a scan's results.</summary>
        public const int ScanTimeoutMs = 6000;

        /// <summary>The error the page shows while saving is not wired.</summary>
        public const string NotWired = "this firmware build cannot save settings yet (config store not included)";

        private readonly PigeonConfig _config;
        private readonly bool _setup;
        private readonly SetupButton.FactoryResetHandler _factoryReset;
        private readonly AutoResetEvent _scanned = new AutoResetEvent(false);
        private readonly object _scanLock = new object();
        private WifiAdapter _adapter;

        /// <summary>A backend over the running <paramref name="config"/>.</summary>
        public DevicePortalBackend(PigeonConfig config, bool setupMode, SetupButton.FactoryResetHandler factoryReset)
        {
            _config = config;
            _setup = setupMode;
            _factoryReset = factoryReset;
        }

        /// <inheritdoc />
        public RelayServer Relay { get; set; }

        /// <inheritdoc />
        public bool WifiScanIsFake
        {
            get { return false; }
        }

        /// <inheritdoc />
        public bool IsSetupMode
        {
            get { return _setup; }
        }

        /// <inheritdoc />
        public bool IsAdminPasswordSet
        {
            get { return _config.Admin != null && _config.Admin.PasswordHash != null && _config.Admin.PasswordHash.Length > 0; }
        }

        /// <summary>
        /// 0: System.Device.Wifi reports RSSI only for scanned networks, not for the joined one.
        /// </summary>
        public int WifiRssi
        {
            get { return 0; }
        }

        /// <inheritdoc />
        public string BestAddress
        {
            get
            {
                string eth = EthernetLink.Address;
                if (eth.Length > 0)
                {
                    return eth;
                }

                NetworkInterface sta = NetworkInterfaces.Find(NetworkInterfaceType.Wireless80211);
                if (NetworkInterfaces.HasAddress(sta))
                {
                    return sta.IPv4Address;
                }

                return _setup ? SetupAccessPoint.Address : "";
            }
        }

        /// <inheritdoc />
        public PigeonConfig LoadConfig()
        {
            return ConfigCopy.Of(_config);
        }

        /// <inheritdoc />
        public bool SaveConfig(PigeonConfig config, FieldErrors errors)
        {
            // COMPOSITION POINT (config store): ConfigStore.Save(config, report), then reboot with
            // RebootRecord.Reboot("config saved") so run mode starts with the new settings.
            errors.Add("", NotWired);
            return false;
        }

        /// <inheritdoc />
        public void FactoryReset()
        {
            _factoryReset();
        }

        /// <inheritdoc />
        public bool SetAdminPassword(string password, FieldErrors errors)
        {
            // COMPOSITION POINT (config store): hash with the config work's Pbkdf2 and save.
            errors.Add("password", NotWired);
            return false;
        }

        /// <inheritdoc />
        public bool VerifyAdminPassword(string password)
        {
            // COMPOSITION POINT (config store): constant-time check against Admin.PasswordHash.
            return false;
        }

        /// <summary>
        /// Scans with the station radio (works beside the soft AP). WifiAvailableNetwork carries no
        /// security type, so every network is reported as secured and the page asks for a password
        /// (an open network takes an empty one).
        /// </summary>
        public int ScanWifi(WifiNetwork[] into)
        {
            lock (_scanLock)
            {
                try
                {
                    if (_adapter == null)
                    {
                        _adapter = WifiAdapter.FindAllAdapters()[0];
                        _adapter.AvailableNetworksChanged += OnScanned;
                    }

                    _scanned.Reset();
                    _adapter.ScanAsync();
                    if (!_scanned.WaitOne(ScanTimeoutMs, false))
                    {
                        return 0;
                    }

                    WifiAvailableNetwork[] found = _adapter.NetworkReport.AvailableNetworks;
                    int count = 0;
                    for (int i = 0; i < found.Length && count < into.Length; i++)
                    {
                        if (found[i].Ssid == null || found[i].Ssid.Length == 0)
                        {
                            continue; // hidden network
                        }

                        WifiNetwork n = new WifiNetwork();
                        n.Ssid = found[i].Ssid;
                        n.Rssi = (int)found[i].NetworkRssiInDecibelMilliwatts;
                        n.Secure = true;
                        into[count++] = n;
                    }

                    return count;
                }
                catch (Exception)
                {
                    return 0;
                }
            }
        }

        private void OnScanned(WifiAdapter sender, object e)
        {
            _scanned.Set();
        }
    }
}
