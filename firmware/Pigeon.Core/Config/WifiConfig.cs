using Pigeon.Json;

namespace Pigeon.Config
{
    /// <summary>The "wifi" section: the home network the board joins in run mode.</summary>
    public class WifiConfig
    {
        /// <summary>Station SSID (1-32 bytes of UTF-8); empty = not configured (setup mode).</summary>
        public string Ssid { get; set; } = "";

        /// <summary>WPA2 passphrase (8-63 characters) or empty for an open network. A secret: never sent back or logged.</summary>
        public string Password { get; set; } = "";

        /// <summary>Optional static IPv4 address; empty = DHCP.</summary>
        public string StaticAddress { get; set; } = "";

        /// <summary>Netmask for the static address.</summary>
        public string StaticNetmask { get; set; } = "";

        /// <summary>Gateway for the static address.</summary>
        public string StaticGateway { get; set; } = "";

        /// <summary>DNS server for the static address.</summary>
        public string StaticDns { get; set; } = "";

        /// <summary>
        /// Keys in this object that this firmware does not know, kept as they were read so that a
        /// save (e.g. after a downgrade) does not lose them; written back after the known keys.
        /// Null when there are none.
        /// </summary>
        public JsonNode UnknownKeys { get; set; }
    }
}
