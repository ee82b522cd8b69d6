using Pigeon.Json;

namespace Pigeon.Config
{
    /// <summary>The "time" section: where the board sets its clock from.</summary>
    public class TimeConfig
    {
        /// <summary>NTP servers, tried in order.</summary>
        public string[] NtpServers { get; set; } = new string[] { "pool.ntp.org", "time.google.com" };

        /// <summary>
        /// Keys in this object that this firmware does not know, kept as they were read so that a
        /// save (e.g. after a downgrade) does not lose them; written back after the known keys.
        /// Null when there are none.
        /// </summary>
        public JsonNode UnknownKeys { get; set; }
    }
}
