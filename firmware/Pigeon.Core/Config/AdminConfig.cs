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
    }
}
