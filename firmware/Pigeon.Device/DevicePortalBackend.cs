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
    /// What the portal needs from the board: the config through the power-safe ConfigStore on
    /// I:\ (a private copy per call), the admin password through AdminPassword with the board's
    /// PBKDF2 hasher, the Wi-Fi scan, the relay, the addresses. A saved config takes effect after
    /// a reboot (the relay and the radio are set up once at boot).
    /// </summary>
    public sealed class DevicePortalBackend : IPortalBackend
    {
        /// <summary>Longest wait for a scan's results.</summary>
        public const int ScanTimeoutMs = 6000;

        /// <summary>Time for the "saved" answer to reach the browser before the reboot.</summary>
        public const int RebootDelayMs = 1500;

        private readonly ConfigStore _store;
        private readonly IPasswordHasher _hasher;
        private readonly RebootRecord _reboot;
        private readonly bool _setup;
        private readonly SetupButton.FactoryResetHandler _factoryReset;
        private readonly AutoResetEvent _scanned = new AutoResetEvent(false);
        private readonly object _scanLock = new object();
        private WifiAdapter _adapter;

        /// <summary>A backend over the loaded <paramref name="store"/>.</summary>
        public DevicePortalBackend(ConfigStore store, IPasswordHasher hasher, RebootRecord reboot, bool setupMode, SetupButton.FactoryResetHandler factoryReset)
        {
            _store = store;
            _hasher = hasher;
            _reboot = reboot;
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
            get { return AdminPassword.IsSet(_store.Current.Admin); }
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
            return _store.Current;
        }

        /// <inheritdoc />
        public bool SaveConfig(PigeonConfig config, FieldErrors errors)
        {
            if (!Store(config, errors))
            {
                return false;
            }

            // The new settings apply at the next boot: answer first, then restart.
            Thread restart = new Thread(RebootSoon);
            restart.Start();
            return true;
        }

        /// <inheritdoc />
        public void FactoryReset()
        {
            _factoryReset();
        }

        /// <inheritdoc />
        public bool SetAdminPassword(string password, FieldErrors errors)
        {
            PigeonConfig config = _store.Current;
            if (!AdminPassword.Set(config.Admin, password, _hasher))
            {
                errors.Add("password", "the admin password is " + AdminPassword.MinLength.ToString() + " to " + AdminPassword.MaxLength.ToString() + " characters");
                return false;
            }

            return Store(config, errors);
        }

        /// <inheritdoc />
        public bool VerifyAdminPassword(string password)
        {
            return AdminPassword.Verify(_store.Current.Admin, password, _hasher);
        }

        private bool Store(PigeonConfig config, FieldErrors errors)
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

        private void RebootSoon()
        {
            Thread.Sleep(RebootDelayMs);
            _reboot.Reboot("config saved");
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
