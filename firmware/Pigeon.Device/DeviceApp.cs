using System;
using System.Device.Gpio;
using System.Threading;
using nanoFramework.Runtime.Native;
using Pigeon.Config;
using Pigeon.Device.Config;
using Pigeon.Net;
using Pigeon.Portal;
using Pigeon.Relay;
using Pigeon.Sockets;
using Pigeon.Budget;
using Pigeon.Pumps.Threaded;

namespace Pigeon.Device
{
    /// <summary>
    /// The composition root and boot flow (docs/device.md, "Boot flow"):
    /// <code>
    ///   power-on -> LED on -> board from the firmware's target name -> I:\ -> last reboot reason
    ///            -> config (defaults when none)
    ///   button held at power-on, no uplink settings, or "wifi unreachable" last time
    ///            -> SETUP MODE: soft AP + DHCP (captive-portal option) + captive DNS + portal;
    ///               with saved Wi-Fi settings the station keeps retrying and a success reboots
    ///               into run mode
    ///   otherwise -> RUN MODE: Wi-Fi (or Ethernet) with backoff -> SNTP -> relay routes sized by
    ///               the socket/heap budget -> port mapping + health checks (one thread, one
    ///               socket, when the budget has it) -> LAN portal (+ /metrics); Wi-Fi drops are repaired in place; Wi-Fi
    ///               unreachable for SetupFallbackMs reboots into setup mode (still retrying)
    ///   always   -> watchdog fed by the supervision loop; button held 5 s = factory reset
    /// </code>
    /// </summary>
    public sealed class DeviceApp
    {
        /// <summary>
        /// Wi-Fi unreachable this long in run mode reopens the setup AP (by rebooting into setup
        /// mode, so the relay's sockets and the AP's never compete). 5 minutes rides out a
        /// router reboot (1-3 minutes) without bothering anyone.
        /// </summary>
        public const int SetupFallbackMs = 5 * 60 * 1000;

        /// <summary>
        /// An Ethernet board with no saved settings waits this long for a cable before opening the
        /// setup AP: long enough for a router's DHCP, short enough for a volunteer watching the LED.
        /// </summary>
        public const int UnconfiguredFallbackMs = 60 * 1000;

        /// <summary>
        /// Portal slots in setup mode on 16-socket boards: a phone opens several probe and page
        /// connections at once, and no relay runs then (8-socket boards: 2).
        /// </summary>
        public const int SetupPortalSlots = 4;

        /// <summary>The reboot reason that sends the next boot to setup mode while the station retries.</summary>
        public const string WifiFallbackReason = "network unreachable: setup access point reopened";

        private const int SupervisorTickMs = 1000;

        private readonly DeviceLog _log = new DeviceLog();
        private readonly DeviceClock _clock = new DeviceClock();
        private BoardInfo _board;
        private FlashFileStore _files;
        private RebootRecord _reboot;
        private Watchdog _watchdog;
        private StatusLed _led;
        private SetupButton _button;
        private WifiStation _wifi;
        private PigeonConfig _config;
        private RelayServer _relay;
        private DevicePortalBackend _portalBackend;
        private ConfigStore _store;
        private readonly NanoPasswordHasher _hasher = new NanoPasswordHasher();
        private DeviceReach _reach;
        private bool _reachFits;

        /// <summary>Status facts for the portal's status page.</summary>
        public DeviceStatus Status { get; private set; }

        /// <summary>Boots and never returns (the supervision loop runs until a reboot).</summary>
        public void Run()
        {
            _board = BoardTable.ForTarget(SafeTargetName());
            GpioController gpio = new GpioController();
            _led = new StatusLed(gpio, _board);
            _led.Show(LedMode.Starting);
            _log.Info("Pigeon on " + _board.Name + " (" + _board.Target + ")");

            _files = new FlashFileStore(FlashFileStore.InternalDrive);
            _reboot = new RebootRecord(_files);
            if (_files.Available)
            {
                _reboot.Load();
            }
            else
            {
                _log.Warn("I:\\ is not mounted: config cannot be kept (reflash with the board's firmware)");
            }

            Status = new DeviceStatus(_board, _reboot.LastReason);
            _log.Info("last reboot: " + _reboot.LastReason);

            _button = new SetupButton(gpio, _board, _clock, _log);
            bool setupRequested = _button.HeldAtPowerOn();
            _button.WatchForFactoryReset(FactoryReset);

            _watchdog = new Watchdog(_clock, _reboot, _log);
            _watchdog.Start();

            _config = LoadConfig();
            _wifi = new WifiStation(_log, _clock);
            _wifi.Begin();

            bool hasWifi = _config.Wifi != null && _config.Wifi.Ssid != null && _config.Wifi.Ssid.Length > 0;
            bool fallback = _reboot.LastReason == WifiFallbackReason;
            if (setupRequested || fallback || (!hasWifi && !_board.HasEthernet))
            {
                _log.Info(setupRequested ? "setup mode: button held at power-on" : fallback ? "setup mode: the network was unreachable" : "setup mode: no Wi-Fi settings yet");
                // After a fallback the uplink keeps being tried; a setup requested by hand or a
                // board without settings waits for the setup page.
                RunSetupMode(fallback && (hasWifi || _board.HasEthernet));
            }
            else
            {
                RunMode(hasWifi);
            }
        }

        private void RunSetupMode(bool retryUplink)
        {
            Status.Mode = "setup";
            SetupAccessPoint ap = new SetupAccessPoint(_log);
            if (ap.Configure(_config.SetupAp))
            {
                _reboot.Reboot("setup access point configured");
            }

            ap.StartDhcp();

            // Captive DNS: every name answers with the AP's address (UDP 53, one socket), so a
            // phone's connectivity probe lands on the portal, which answers it with the page.
            uint apAddress;
            IPv4.TryParse(SetupAccessPoint.Address, out apAddress);
            CaptiveDnsServer dns = new CaptiveDnsServer(_log);
            string dnsError;
            if (!dns.Start(new SocketDatagram(), apAddress, 53, apAddress, out dnsError))
            {
                _log.Warn("setup mode: captive DNS failed: " + dnsError);
            }

            _portalBackend = new DevicePortalBackend(_store, _hasher, _reboot, true, FactoryReset);
            int slots = _board.MaxSockets >= 16 ? SetupPortalSlots : 2;
            StartPortal(_portalBackend, IPv4.Any, 80, SetupAccessPoint.Address, slots, null);

            _led.Show(LedMode.Setup);
            while (true)
            {
                _watchdog.Feed("setup");
                Status.Update(_clock, _wifi, _relay);
                bool cable = _board.HasEthernet && EthernetLink.IsConnected;
                if (retryUplink && (cable || _wifi.Maintain(_config.Wifi)))
                {
                    ap.StopDhcp();
                    ap.Disable();
                    _reboot.Reboot(cable ? "network cable connected: run mode" : "wifi reachable again: run mode");
                }

                Thread.Sleep(SupervisorTickMs);
            }
        }

        private void RunMode(bool hasWifi)
        {
            Status.Mode = "connecting";
            _led.Show(LedMode.Connecting);
            SetupAccessPoint ap = new SetupAccessPoint(_log);
            if (ap.Disable())
            {
                _reboot.Reboot("setup access point closed for run mode");
            }

            // Wait for the first uplink: Ethernet (the firmware brings it up) or the station. An
            // Ethernet board that was never configured falls back to setup after a minute without
            // a cable; with saved Wi-Fi settings the full SetupFallbackMs applies.
            int fallbackMs = hasWifi ? SetupFallbackMs : UnconfiguredFallbackMs;
            long downSince = _clock.NowMilliseconds;
            while (!UplinkUp(hasWifi))
            {
                _watchdog.Feed("first uplink");
                if (_clock.NowMilliseconds - downSince > fallbackMs)
                {
                    _reboot.Reboot(WifiFallbackReason);
                }

                Thread.Sleep(SupervisorTickMs);
            }

            _log.Info("uplink: " + (EthernetLink.IsConnected ? "Ethernet " + EthernetLink.Address : "Wi-Fi " + _wifi.Address));
            TimeSync.Start(_config.Time, _log);
            _watchdog.Feed("time");

            StartRelay();
            _watchdog.Feed("relay");
            if (_relay != null && _reachFits)
            {
                // Port mapping and health checks on the socket the budget kept for them; the
                // portal adds them to /metrics and the status's "reach" object (docs/reachability.md).
                _reach = new DeviceReach(_config, _relay, _clock, _log);
                _reach.Start();
            }
            else if (_relay != null)
            {
                _log.Warn("reach: port mapping and upstream checks are off: with them no relay session fits this board (forward the ports on the router)");
            }

            // The LAN portal (status, admin) with the slots the budget already counted, so it
            // can never take a socket a relay session was sized on.
            _portalBackend = new DevicePortalBackend(_store, _hasher, _reboot, false, FactoryReset);
            _portalBackend.SetRelay(_relay);
            int portalPort = _config.Portal != null && _config.Portal.Port > 0 ? _config.Portal.Port : 80;
            StartPortal(_portalBackend, IPv4.Any, portalPort, _portalBackend.BestAddress, SessionBudget.PortalSlotsFor(_board.MaxSockets), _reach);

            Status.Mode = _relay != null ? "relaying" : "error";
            _led.Show(_relay != null ? LedMode.Relaying : LedMode.Error);
            downSince = _clock.NowMilliseconds;
            while (true)
            {
                _watchdog.Feed("run");
                bool up = UplinkUp(hasWifi);
                if (_relay != null)
                {
                    _led.Show(up ? LedMode.Relaying : LedMode.Connecting);
                }

                long now = _clock.NowMilliseconds;
                if (up)
                {
                    downSince = now;
                }
                else if (now - downSince > SetupFallbackMs)
                {
                    _reboot.Reboot(WifiFallbackReason);
                }

                Status.Update(_clock, _wifi, _relay);
                Thread.Sleep(SupervisorTickMs);
            }
        }

        /// <summary>
        /// True when a wired link has an address, or the station is connected (one reconnect
        /// attempt is made here when it is not and its backoff allows).
        /// </summary>
        private bool UplinkUp(bool hasWifi)
        {
            if (_board.HasEthernet && EthernetLink.IsConnected)
            {
                return true;
            }

            return hasWifi && _wifi.Maintain(_config.Wifi);
        }

        private void StartRelay()
        {
            RelayConfig relay = _config.Relay;
            if (relay == null || relay.Routes == null || relay.Routes.Length == 0)
            {
                _log.Warn("relay: no routes configured");
                return;
            }

            // Sockets and heap decide the session count, the routes and whether port mapping runs
            // (SessionBudget.ForBoard; Pigeon.Host config check --board prints the same plan).
            int heap = MeasureFreeHeap();
            SessionBudget budget = SessionBudget.ForBoard(relay, _board.MaxSockets, heap);
            _reachFits = budget.Reach;
            Status.SetBudget(budget, heap);
            string[] plan = budget.Describe("measured");
            for (int i = 0; i < plan.Length; i++)
            {
                _log.Info("budget: " + plan[i]);
            }

            if (budget.Sessions < 1)
            {
                _log.Warn("relay: no session fits this board's budget (" + budget.LimitedBy + ")");
                return;
            }

            if (budget.Routes.Length < relay.Routes.Length)
            {
                _log.Warn("relay: " + _board.MaxSockets.ToString() + " sockets: running " + budget.Routes.Length.ToString() + " of " + relay.Routes.Length.ToString() + " routes (the first of each upstream)");
            }

            relay.Routes = budget.Routes;
            relay.MaxSessions = budget.Sessions;
            try
            {
                _relay = new ThreadedRelay(relay, new SocketTransport(), new DeviceResolver(), _clock, _log);
                int opened = _relay.Start();
                _log.Info("relay: " + opened.ToString() + " of " + budget.Routes.Length.ToString() + " listeners open (failed ones are retried by the relay)");
            }
            catch (Exception ex)
            {
                _relay = null;
                _log.Warn("relay: cannot start: " + ex.Message);
            }
        }

        private int MeasureFreeHeap()
        {
            int planned = _board.HeapKB * 1024;
            try
            {
                // nanoFramework.Runtime.Native GC.Run returns the free managed heap in bytes.
                uint free = nanoFramework.Runtime.Native.GC.Run(true);
                if (free > 0 && free < (uint)planned)
                {
                    return (int)free;
                }
            }
            catch (Exception)
            {
                // Keep the planned figure.
            }

            return planned;
        }

        private PortalService StartPortal(DevicePortalBackend backend, uint bind, int port, string self, int slots, DeviceReach reach)
        {
            FlashPortalAssets assets = new FlashPortalAssets(_files);
            if (!assets.Present)
            {
                _log.Warn("portal: the page files are missing on I:\\ (flash with flash.ps1, which copies them)");
            }

            // /metrics has the relay's counters always, mapping and health when reach runs.
            PortalService portal = new PortalService(backend, assets, new SocketTransport(), _clock, _log, new DeviceRandom(), new DeviceMemory(), self, port, slots);
            portal.SetReach(reach == null ? null : reach.Service);
            string error;
            if (!portal.Start(bind, out error))
            {
                _log.Warn("portal: cannot listen on port " + port.ToString() + ": " + error);
                return null;
            }

            _log.Info("portal: " + portal.Url + " (" + slots.ToString() + " slots)");
            return portal;
        }

        private PigeonConfig LoadConfig()
        {
            // I:\config.json with its backup and pending copies (torn-write safe, docs/config.md),
            // read by the core's JSON reader as on the host; nothing usable = defaults = setup mode.
            _store = new ConfigStore(_files, true);
            ConfigLoadResult loaded = _store.Load();
            if (loaded.FellBack)
            {
                _log.Warn("config: " + loaded.FallbackReason);
            }

            return _store.Current;
        }

        private void FactoryReset()
        {
            _led.Show(LedMode.Off);
            if (_reach != null)
            {
                // The router's mappings point at this board: remove them while the network and
                // the list of ports are still known (docs/reachability.md).
                _reach.RemoveMappings();
            }

            if (_store != null)
            {
                _store.FactoryReset();
            }

            new SetupAccessPoint(_log).Configure(null);
            _reboot.Reboot("factory reset (setup button held 5 s)");
        }

        private static string SafeTargetName()
        {
            try
            {
                return SystemInfo.TargetName;
            }
            catch (Exception)
            {
                return "";
            }
        }
    }
}
