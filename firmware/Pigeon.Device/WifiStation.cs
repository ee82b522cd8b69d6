using System;
using System.Device.Wifi;
using System.Net.NetworkInformation;
using System.Threading;
using Pigeon.Config;
using Pigeon.Net;

namespace Pigeon.Device
{
    /// <summary>
    /// The Wi-Fi station (the board joining the volunteer's router). One attempt at a time with
    /// exponential backoff between failures (2 s, 4 s, ... 60 s), so a router that is down is not
    /// hammered and the loop stays responsive; a drop later is repaired by the same call without a
    /// reboot. Uses WifiAdapter directly (System.Device.Wifi) with WifiReconnectionKind.Automatic,
    /// so the ESP-IDF driver also reconnects on its own between our checks.
    /// </summary>
    public sealed class WifiStation
    {
        /// <summary>Longest wait for a DHCP address after the radio associated.</summary>
        public const int AddressTimeoutMs = 20000;

        /// <summary>First pause after a failed attempt.</summary>
        public const int FirstBackoffMs = 2000;

        /// <summary>Longest pause between attempts.</summary>
        public const int MaxBackoffMs = 60000;

        private readonly ILog _log;
        private readonly IClock _clock;
        private int _failures;
        private long _nextAttempt;

        /// <summary>A station that logs to <paramref name="log"/>.</summary>
        public WifiStation(ILog log, IClock clock)
        {
            _log = log;
            _clock = clock;
        }

        /// <summary>Milliseconds (clock time) since the last moment the station was connected, or since start.</summary>
        public long DisconnectedSince { get; private set; }

        /// <summary>The last connection status the radio reported (for the status page).</summary>
        public string LastStatus { get; private set; } = "not started";

        /// <summary>True when the station interface has an address.</summary>
        public bool IsConnected
        {
            get { return NetworkInterfaces.HasAddress(NetworkInterfaces.Find(NetworkInterfaceType.Wireless80211)); }
        }

        /// <summary>The station's address, or "" when not connected.</summary>
        public string Address
        {
            get
            {
                NetworkInterface ni = NetworkInterfaces.Find(NetworkInterfaceType.Wireless80211);
                return NetworkInterfaces.HasAddress(ni) ? ni.IPv4Address : "";
            }
        }

        /// <summary>The pause after <paramref name="failures"/> failed attempts in a row.</summary>
        public static int BackoffMs(int failures)
        {
            int shift = failures < 1 ? 0 : (failures > 5 ? 5 : failures - 1);
            int delay = FirstBackoffMs << shift;
            return delay > MaxBackoffMs ? MaxBackoffMs : delay;
        }

        /// <summary>
        /// Called once a second by the supervisor: when disconnected and the backoff has run out,
        /// makes one connection attempt (blocking up to ~30 s). Returns true when connected.
        /// </summary>
        public bool Maintain(WifiConfig wifi)
        {
            long now = _clock.NowMilliseconds;
            if (IsConnected)
            {
                _failures = 0;
                DisconnectedSince = now;
                return true;
            }

            if (now < _nextAttempt || wifi == null || wifi.Ssid == null || wifi.Ssid.Length == 0)
            {
                return false;
            }

            bool ok = TryConnect(wifi);
            if (ok)
            {
                _failures = 0;
                DisconnectedSince = _clock.NowMilliseconds;
                _log.Info("wifi: connected, address " + Address);
            }
            else
            {
                _failures++;
                _nextAttempt = _clock.NowMilliseconds + BackoffMs(_failures);
                _log.Warn("wifi: '" + wifi.Ssid + "' " + LastStatus + ", retry in " + (BackoffMs(_failures) / 1000).ToString() + " s");
            }

            return ok;
        }

        /// <summary>Marks the start of the disconnected time (at boot).</summary>
        public void Begin()
        {
            DisconnectedSince = _clock.NowMilliseconds;
        }

        private bool TryConnect(WifiConfig wifi)
        {
            try
            {
                NetworkInterface ni = NetworkInterfaces.Find(NetworkInterfaceType.Wireless80211);
                if (ni == null)
                {
                    LastStatus = "no Wi-Fi interface";
                    return false;
                }

                if (wifi.StaticAddress != null && wifi.StaticAddress.Length > 0)
                {
                    ni.EnableStaticIPv4(wifi.StaticAddress, wifi.StaticNetmask, wifi.StaticGateway);
                    if (wifi.StaticDns != null && wifi.StaticDns.Length > 0)
                    {
                        ni.EnableStaticIPv4Dns(new string[] { wifi.StaticDns });
                    }
                }
                else if (!ni.IsDhcpEnabled)
                {
                    ni.EnableDhcp();
                }

                WifiAdapter adapter = WifiAdapter.FindAllAdapters()[0];
                WifiConnectionResult result = adapter.Connect(wifi.Ssid, WifiReconnectionKind.Automatic, wifi.Password ?? "");
                if (result.ConnectionStatus != WifiConnectionStatus.Success)
                {
                    LastStatus = StatusText(result.ConnectionStatus);
                    return false;
                }

                long deadline = _clock.NowMilliseconds + AddressTimeoutMs;
                while (_clock.NowMilliseconds < deadline)
                {
                    if (NetworkInterfaces.HasAddress(ni))
                    {
                        LastStatus = "connected";
                        return true;
                    }

                    Thread.Sleep(250);
                }

                LastStatus = "joined but got no address (DHCP)";
                return false;
            }
            catch (Exception ex)
            {
                LastStatus = "error: " + ex.Message;
                return false;
            }
        }

        private static string StatusText(WifiConnectionStatus status)
        {
            switch (status)
            {
                case WifiConnectionStatus.InvalidCredential: return "wrong password";
                case WifiConnectionStatus.NetworkNotAvailable: return "network not found";
                case WifiConnectionStatus.Timeout: return "timed out";
                case WifiConnectionStatus.AccessRevoked: return "access revoked";
                case WifiConnectionStatus.UnsupportedAuthenticationProtocol: return "unsupported security";
                default: return "failed";
            }
        }
    }
}
