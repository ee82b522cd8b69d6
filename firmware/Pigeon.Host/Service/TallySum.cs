using System.Globalization;

namespace Pigeon.Host.Service
{
    /// <summary>
    /// One window's totals, and the line volunteers read: "last 24 h: N sessions served, X MB
    /// relayed, Y refused (mostly: reason)" (in the log once a day, on the status page, and from
    /// `pigeon status`).
    /// </summary>
    public sealed class TallySum
    {
        private readonly string[] _reasons;

        /// <summary>Empty totals over these reason names.</summary>
        public TallySum(string[] reasonNames)
        {
            _reasons = reasonNames;
            RefusedByReason = new long[reasonNames.Length];
        }

        /// <summary>Clients given a session.</summary>
        public long Sessions { get; set; }

        /// <summary>Bytes relayed, both directions together.</summary>
        public long Bytes { get; set; }

        /// <summary>Refusals by reason index.</summary>
        public long[] RefusedByReason { get; private set; }

        /// <summary>All refusals.</summary>
        public long Refused
        {
            get
            {
                long sum = 0;
                for (int i = 0; i < RefusedByReason.Length; i++)
                {
                    sum += RefusedByReason[i];
                }

                return sum;
            }
        }

        /// <summary>The reason name with the most refusals (the first on a tie); null when none.</summary>
        public string TopReason
        {
            get
            {
                int best = -1;
                for (int i = 0; i < RefusedByReason.Length; i++)
                {
                    if (RefusedByReason[i] > 0 && (best < 0 || RefusedByReason[i] > RefusedByReason[best]))
                    {
                        best = i;
                    }
                }

                return best < 0 ? null : _reasons[best];
            }
        }

        /// <summary>The line, e.g. "last 24 h: 41 sessions served, 230.5 MB relayed, 3 refused (mostly: relay full)".</summary>
        public string Line()
        {
            // MB = 10^6 bytes, one decimal: what a volunteer compares with a provider's counter.
            string line = "last 24 h: " + Sessions.ToString(CultureInfo.InvariantCulture) + (Sessions == 1 ? " session" : " sessions") + " served, "
                + (Bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB relayed, "
                + Refused.ToString(CultureInfo.InvariantCulture) + " refused";
            string top = TopReason;
            return top == null ? line : line + " (mostly: " + Words(top) + ")";
        }

        /// <summary>A refusal reason in plain words (the status page's JSON name when it has none).</summary>
        public static string Words(string reason)
        {
            switch (reason)
            {
                case "full": return "relay full";
                case "helloTimeout": return "too slow to start";
                case "notTls": return "not TLS on a media port";
                case "sniNotAllowed": return "a server other than WhatsApp";
                case "malformed": return "malformed TLS";
                case "tlsOnChatPort": return "TLS switched on in the app";
                case "closedEarly": return "closed before sending anything";
                case "clientLimit": return "too many sessions from one address";
                case "evicted": return "idle sessions ended to make room";
                case "tlsFailed": return "failed TLS handshakes";
                case "probe": return "web probes";
                case "badProxyHeader": return "no valid PROXY header";
                case "notChatClient": return "not a WhatsApp chat client";
                default: return reason;
            }
        }
    }
}
