using Pigeon.Json;

namespace Pigeon.Config
{
    /// <summary>The "setupAp" section: the board's own Wi-Fi network in setup mode.</summary>
    public class SetupApConfig
    {
        /// <summary>SSID; empty = "Pigeon-XXXX" from the last two bytes of the board's MAC.</summary>
        public string Ssid { get; set; } = "";

        /// <summary>Optional WPA2 passphrase (8-63 characters); empty = open network. A secret.</summary>
        public string Password { get; set; } = "";

        /// <summary>Wi-Fi channel 1-13.</summary>
        public int Channel { get; set; } = 6;

        /// <summary>
        /// Keys in this object that this firmware does not know, kept as they were read so that a
        /// save (e.g. after a downgrade) does not lose them; written back after the known keys.
        /// Null when there are none.
        /// </summary>
        public JsonNode UnknownKeys { get; set; }
    }
}
