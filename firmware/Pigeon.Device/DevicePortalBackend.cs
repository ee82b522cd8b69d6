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
    /// The board's side of the portal: the shared config and password handling
    /// (<see cref="StoreBackend"/>: the ConfigStore on I:\, the board's PBKDF2 hasher), the Wi-Fi
    /// scan, the relay, the addresses. A saved config takes effect after a reboot (the relay and
    /// the radio are set up once at boot), so a save reboots the board once the answer is out.
    /// </summary>
    public sealed class DevicePortalBackend : StoreBackend
    {
        /// <summary>Longest wait for a scan's results.</summary>
        public const int ScanTimeoutMs = 6000;

        /// <summary>Time for the "saved" answer to reach the browser before the reboot.</summary>
        public const int RebootDelayMs = 1500;

        private readonly RebootRecord _reboot;
        private readonly bool _setup;
        private readonly SetupButton.FactoryResetHandler _factoryReset;
        private readonly AutoResetEvent _scanned = new AutoResetEvent(false);
        private readonly object _scanLock = new object();
        private WifiAdapter _adapter;
        private RelayServer _relay;

        /// <summary>A backend over the loaded <paramref name="store"/>.</summary>
        public DevicePortalBackend(ConfigStore store, IPasswordHasher hasher, RebootRecord reboot, bool setupMode, SetupButton.FactoryResetHandler factoryReset)
            : base(store, hasher)
        {
            _reboot = reboot;
            _setup = setupMode;
            _factoryReset = factoryReset;
        }

        /// <inheritdoc />
        public override RelayServer Relay
        {
            get { return _relay; }
        }

        /// <inheritdoc />
        public override bool WifiScanIsFake
        {
            get { return false; }
        }

        /// <inheritdoc />
        public override bool IsSetupMode
        {
            get { return _setup; }
        }

        /// <summary>
        /// 0: System.Device.Wifi reports RSSI only for scanned networks, not for the joined one.
        /// </summary>
        public override int WifiRssi
        {
            get { return 0; }
        }

        /// <inheritdoc />
        public override string BestAddress
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

        /// <summary>The relay whose figures the status shows (set once it runs).</summary>
        public void SetRelay(RelayServer relay)
        {
            _relay = relay;
        }

        /// <summary>The button's factory reset: router mappings, the store, the access point, a reboot.</summary>
        public override void FactoryReset()
        {
            _factoryReset();
        }

        /// <summary>The new settings apply at the next boot: answer first, then restart.</summary>
        protected override void Saved()
        {
            Thread restart = new Thread(RebootSoon);
            restart.Start();
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
        public override int ScanWifi(WifiNetwork[] into)
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
