using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace Pigeon.Abuse
{
    /// <summary>
    /// The relay's counters as GET /api/status reports them (all routes summed), and the
    /// difference of two readings. Reasons by their status names (clientLimit, helloTimeout, ...).
    /// </summary>
    public sealed class Counters
    {
        private readonly Dictionary<string, long> _refusals = new Dictionary<string, long>();

        /// <summary>Sessions in use (being admitted, relaying or closing).</summary>
        public long Active { get; private set; }

        /// <summary>Clients given a session.</summary>
        public long Accepted { get; private set; }

        /// <summary>Sessions whose upstream could not be reached.</summary>
        public long UpstreamFailures { get; private set; }

        /// <summary>Bytes relayed to upstreams.</summary>
        public long BytesToUpstream { get; private set; }

        /// <summary>Bytes relayed to clients.</summary>
        public long BytesToClient { get; private set; }

        /// <summary>Refusals for one reason (0 when the host does not report it).</summary>
        public long this[string reason]
        {
            get { return _refusals.TryGetValue(reason, out long n) ? n : 0; }
        }

        /// <summary>Refused before a session began: every slot busy, or the client's address at its cap.</summary>
        public long RefusedAtDoor
        {
            get { return this["full"] + this["clientLimit"]; }
        }

        /// <summary>
        /// Refused after a session began (its first bytes, hello or handshake decided against it).
        /// Evictions are not among them: an evicted session was served first.
        /// </summary>
        public long RefusedInSession
        {
            get
            {
                long sum = 0;
                foreach (KeyValuePair<string, long> pair in _refusals)
                {
                    if (pair.Key != "full" && pair.Key != "clientLimit" && pair.Key != "evicted")
                    {
                        sum += pair.Value;
                    }
                }

                return sum;
            }
        }

        /// <summary>Reads the "relay" object of a status document.</summary>
        public static Counters FromStatus(JsonElement status)
        {
            JsonElement relay = status.GetProperty("relay");
            Counters c = new Counters
            {
                Active = relay.GetProperty("activeSessions").GetInt64(),
                Accepted = relay.GetProperty("accepted").GetInt64(),
                UpstreamFailures = relay.GetProperty("upstreamFailures").GetInt64(),
                BytesToUpstream = relay.GetProperty("bytesToUpstream").GetInt64(),
                BytesToClient = relay.GetProperty("bytesToClient").GetInt64(),
            };
            foreach (JsonProperty reason in relay.GetProperty("refusals").EnumerateObject())
            {
                c._refusals[reason.Name] = reason.Value.GetInt64();
            }

            return c;
        }

        /// <summary>This reading minus an earlier one (Active stays this reading's).</summary>
        public Counters Minus(Counters earlier)
        {
            Counters d = new Counters
            {
                Active = Active,
                Accepted = Accepted - earlier.Accepted,
                UpstreamFailures = UpstreamFailures - earlier.UpstreamFailures,
                BytesToUpstream = BytesToUpstream - earlier.BytesToUpstream,
                BytesToClient = BytesToClient - earlier.BytesToClient,
            };
            foreach (KeyValuePair<string, long> pair in _refusals)
            {
                d._refusals[pair.Key] = pair.Value - earlier[pair.Key];
            }

            return d;
        }

        /// <summary>"accepted 10, clientLimit 3, ..." (non-zero refusals only).</summary>
        public override string ToString()
        {
            StringBuilder text = new StringBuilder("accepted " + Accepted + ", active " + Active);
            foreach (KeyValuePair<string, long> pair in _refusals)
            {
                if (pair.Value != 0)
                {
                    text.Append(", ").Append(pair.Key).Append(' ').Append(pair.Value);
                }
            }

            if (UpstreamFailures != 0)
            {
                text.Append(", upstreamFailures ").Append(UpstreamFailures);
            }

            return text.ToString();
        }
    }
}
