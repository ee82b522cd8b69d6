using Pigeon.Json;
using Pigeon.Reach;

namespace Pigeon.Portal
{
    /// <summary>The "reach" object of /api/status and the public share host, from the running <see cref="ReachService"/>.</summary>
    public sealed class ReachStatus : IReachStatus
    {
        private readonly ReachService _reach;

        /// <summary>Reports on <paramref name="reach"/>.</summary>
        public ReachStatus(ReachService reach)
        {
            _reach = reach;
        }

        /// <inheritdoc />
        public void WriteStatus(JsonWriter json)
        {
            ReachStatusWriter.Write(json, _reach.Mapper, _reach.Health, _reach.Routes(), _reach.DynDns, _reach.Clock, _reach.PublicHost);
        }

        /// <inheritdoc />
        public string ShareHost()
        {
            return _reach.ShareHost();
        }
    }
}
