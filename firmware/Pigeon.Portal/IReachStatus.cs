using Pigeon.Json;

namespace Pigeon.Portal
{
    /// <summary>Writes the reachability object of /api/status (see <see cref="ReachStatusWriter"/>).</summary>
    public interface IReachStatus
    {
        /// <summary>Writes one JSON object.</summary>
        void WriteStatus(JsonWriter json);

        /// <summary>
        /// The address outside users can reach the relay on (the router's public address when it
        /// is one, not CGNAT or private), or null when none is known. The share link prefers it
        /// to the best-known local address; a configured network.publicHost still wins.
        /// </summary>
        string ShareHost();
    }
}
