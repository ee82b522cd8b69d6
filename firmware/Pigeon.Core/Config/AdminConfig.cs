using Pigeon.Json;

namespace Pigeon.Config
{
    /// <summary>
    /// The "admin" section: the portal's admin password, stored only as a salted hash
    /// (never in plain text). Empty hash = no password set yet (first visit sets it).
    /// </summary>
    public class AdminConfig
    {
        /// <summary>Hash algorithm and parameters, e.g. "pbkdf2-sha256:10000".</summary>
        public string PasswordHash { get; set; } = "";

        /// <summary>Base64 salt.</summary>
        public string PasswordSalt { get; set; } = "";

        /// <summary>
        /// Keys in this object that this firmware does not know, kept as they were read so that a
        /// save (e.g. after a downgrade) does not lose them; written back after the known keys.
        /// Null when there are none.
        /// </summary>
        public JsonNode UnknownKeys { get; set; }
    }
}
