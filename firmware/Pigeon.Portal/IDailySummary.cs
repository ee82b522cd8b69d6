namespace Pigeon.Portal
{
    /// <summary>
    /// The relay's last 24 hours in one line for the status page ("last24h" in /api/status):
    /// "last 24 h: N sessions served, X MB relayed, Y refused (mostly: reason)". The host keeps
    /// it across restarts; the board has none yet.
    /// </summary>
    public interface IDailySummary
    {
        /// <summary>The line as of now.</summary>
        string Line();
    }
}
