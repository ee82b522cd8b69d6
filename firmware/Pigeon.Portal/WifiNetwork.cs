namespace Pigeon.Portal
{
    /// <summary>One network from a Wi-Fi scan. The SSID is chosen by whoever runs that network:
    /// it is data, shown as text, never markup.</summary>
    public sealed class WifiNetwork
    {
        /// <summary>The network name (up to 32 bytes; may contain anything).</summary>
        public string Ssid { get; set; }

        /// <summary>Signal strength in dBm (e.g. -45 strong, -85 weak).</summary>
        public int Rssi { get; set; }

        /// <summary>True when the network needs a password.</summary>
        public bool Secure { get; set; }
    }
}
