using Pigeon.Reach;

namespace Pigeon.Portal
{
    /// <summary>Writes the reachability object of /api/status (see <see cref="ReachStatusWriter"/>).</summary>
    public interface IReachStatus
    {
        /// <summary>Writes one JSON object.</summary>
        void WriteStatus(TextBuffer text);
    }
}
