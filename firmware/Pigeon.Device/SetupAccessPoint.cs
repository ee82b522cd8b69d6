using System;
using System.Net;
using System.Net.NetworkInformation;
using Iot.Device.DhcpServer;
using Pigeon.Config;
using Pigeon.Net;

namespace Pigeon.Device
{
    /// <summary>
    /// The setup access point "Pigeon-XXXX" at 192.168.4.1/24, with the managed DHCP server
    /// (the stock ESP32 image has lwIP's DHCP server off) handing out addresses, the AP as router
    /// and DNS, and the captive-portal URL (RFC 8910 option 114) so phones open the setup page.
    /// </summary>
    /// <remarks>
    /// The soft-AP settings live in the firmware's own config block: changing them takes effect at
    /// the next boot, so <see cref="Configure"/> returns true when it saved a change and the
    /// caller reboots once (the pattern of nanoFramework's WiFiAP sample).
    /// </remarks>
    public sealed class SetupAccessPoint
    {
        /// <summary>The AP's own address (the portal and captive DNS answer here).</summary>
        public const string Address = "192.168.4.1";

        /// <summary>/24: room for the DHCP server's 253 leases.</summary>
        public const string Netmask = "255.255.255.0";

        /// <summary>Phones in setup at once: each one costs the board a station slot and sockets.</summary>
        public const int MaxStations = 4;

        private readonly ILog _log;
        private DhcpServer _dhcp;

        /// <summary>An AP that logs to <paramref name="log"/>.</summary>
        public SetupAccessPoint(ILog log)
        {
            _log = log;
        }

        /// <summary>"Pigeon-" and the last two bytes of the AP's MAC address in hex ("Pigeon-3F2A").</summary>
        public static string DefaultSsid()
        {
            NetworkInterface ni = NetworkInterfaces.Find(NetworkInterfaceType.WirelessAP);
            byte[] mac = ni == null ? null : ni.PhysicalAddress;
            if (mac == null || mac.Length < 2)
            {
                return "Pigeon";
            }

            return "Pigeon-" + mac[mac.Length - 2].ToString("X2") + mac[mac.Length - 1].ToString("X2");
        }

        /// <summary>
        /// Makes the firmware's AP config match <paramref name="setup"/> (SSID, password: WPA2
        /// when 8+ characters, else open; channel). Returns true when it changed and was saved:
        /// the caller reboots for it to take effect.
        /// </summary>
        public bool Configure(SetupApConfig setup)
        {
            NetworkInterface ni = NetworkInterfaces.Find(NetworkInterfaceType.WirelessAP);
            if (ni == null)
            {
                _log.Warn("setup AP: this firmware has no soft-AP interface");
                return false;
            }

            string ssid = setup != null && setup.Ssid != null && setup.Ssid.Length > 0 ? setup.Ssid : DefaultSsid();
            string password = setup != null && setup.Password != null ? setup.Password : "";
            byte channel = (byte)(setup != null && setup.Channel >= 1 && setup.Channel <= 13 ? setup.Channel : 6);
            AuthenticationType auth = password.Length >= 8 ? AuthenticationType.WPA2 : AuthenticationType.Open;
            WirelessAPConfiguration.ConfigurationOptions options =
                WirelessAPConfiguration.ConfigurationOptions.AutoStart | WirelessAPConfiguration.ConfigurationOptions.Enable;

            WirelessAPConfiguration ap = WirelessAPConfiguration.GetAllWirelessAPConfigurations()[ni.SpecificConfigId];
            bool same = ap.Options == options && ni.IPv4Address == Address && ap.Ssid == ssid
                && ap.Authentication == auth && (auth == AuthenticationType.Open || ap.Password == password)
                && ap.Channel == channel && ap.MaxConnections == MaxStations;
            if (same)
            {
                return false;
            }

            ni.EnableStaticIPv4(Address, Netmask, Address);
            ap.Options = options;
            ap.Ssid = ssid;
            ap.Password = auth == AuthenticationType.Open ? "" : password;
            ap.Authentication = auth;
            ap.Channel = channel;
            ap.MaxConnections = MaxStations;
            ap.SaveConfiguration();
            _log.Info("setup AP: '" + ssid + "' saved, restart needed");
            return true;
        }

        /// <summary>Turns the AP off for the next boot (run mode with a working uplink). True when it changed.</summary>
        public bool Disable()
        {
            NetworkInterface ni = NetworkInterfaces.Find(NetworkInterfaceType.WirelessAP);
            if (ni == null)
            {
                return false;
            }

            WirelessAPConfiguration ap = WirelessAPConfiguration.GetAllWirelessAPConfigurations()[ni.SpecificConfigId];
            if (ap.Options == WirelessAPConfiguration.ConfigurationOptions.None)
            {
                return false;
            }

            ap.Options = WirelessAPConfiguration.ConfigurationOptions.None;
            ap.SaveConfiguration();
            return true;
        }

        /// <summary>Starts the DHCP server with the captive-portal option. Uses 2 UDP sockets.</summary>
        public bool StartDhcp()
        {
            if (_dhcp != null)
            {
                return true;
            }

            try
            {
                IPAddress self = IPAddress.Parse(Address);
                DhcpServer dhcp = new DhcpServer();
                dhcp.CaptivePortalUrl = "http://" + Address + "/";

                // Iot.Device.DhcpServer sends DNS (option 6) and router (option 3) only when set:
                // without them phones would never ask the captive DNS responder.
                dhcp.DnsServer = self;
                dhcp.Gateway = self;
                if (!dhcp.Start(self, IPAddress.Parse(Netmask)))
                {
                    _log.Warn("setup AP: DHCP server did not start");
                    return false;
                }

                _dhcp = dhcp;
                return true;
            }
            catch (Exception ex)
            {
                _log.Warn("setup AP: DHCP server failed: " + ex.Message);
                return false;
            }
        }

        /// <summary>Stops the DHCP server.</summary>
        public void StopDhcp()
        {
            if (_dhcp != null)
            {
                _dhcp.Stop();
                _dhcp = null;
            }
        }
    }
}
