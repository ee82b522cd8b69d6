using System.Net.NetworkInformation;

namespace Pigeon.Device
{
    /// <summary>
    /// The wired link on Ethernet boards. The firmware image (ESP32_WT32_ETH01, ESP32_OLIMEX)
    /// brings the PHY up by itself with the pins in its build config and runs DHCP; the
    /// application only watches for an address.
    /// </summary>
    public static class EthernetLink
    {
        /// <summary>True when the Ethernet interface has an address.</summary>
        public static bool IsConnected
        {
            get { return NetworkInterfaces.HasAddress(NetworkInterfaces.Find(NetworkInterfaceType.Ethernet)); }
        }

        /// <summary>The Ethernet address, or "".</summary>
        public static string Address
        {
            get
            {
                NetworkInterface ni = NetworkInterfaces.Find(NetworkInterfaceType.Ethernet);
                return NetworkInterfaces.HasAddress(ni) ? ni.IPv4Address : "";
            }
        }
    }
}
