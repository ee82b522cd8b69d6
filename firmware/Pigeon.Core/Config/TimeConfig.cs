namespace Pigeon.Config
{
    /// <summary>The "time" section: where the board sets its clock from.</summary>
    public class TimeConfig
    {
        /// <summary>NTP servers, tried in order.</summary>
        public string[] NtpServers { get; set; } = new string[] { "pool.ntp.org", "time.google.com" };
    }
}
