using Pigeon.Json;
using Pigeon.Reach;

namespace Pigeon.Portal
{
    /// <summary>
    /// The host's part of <see cref="ReachStatusWriter"/> (files named *.Host.cs are left out of
    /// the board's assembly): dynamic DNS's state, which only a host has.
    /// </summary>
    public static partial class ReachStatusWriter
    {
        static partial void WriteDynDns(JsonWriter json, DynDns dynDns, long now, ref bool written)
        {
            if (dynDns == null)
            {
                return;
            }

            json.BeginObject().Member("result", ResultName(dynDns.LastResult)).Member("message", dynDns.LastMessage);
            Seconds(json, "lastUpdateSecondsAgo", dynDns.LastUpdateMs > 0, (now - dynDns.LastUpdateMs) / 1000);
            json.EndObject();
            written = true;
        }

        private static string ResultName(DynDnsResult result)
        {
            switch (result)
            {
                case DynDnsResult.Good:
                    return "good";
                case DynDnsResult.NoChange:
                    return "nochg";
                case DynDnsResult.BadAuth:
                    return "badauth";
                case DynDnsResult.NotFqdn:
                    return "notfqdn";
                case DynDnsResult.NoHost:
                    return "nohost";
                case DynDnsResult.NumHost:
                    return "numhost";
                case DynDnsResult.Abuse:
                    return "abuse";
                case DynDnsResult.BadAgent:
                    return "badagent";
                case DynDnsResult.ServerError:
                    return "servererror";
                case DynDnsResult.Failed:
                    return "failed";
                default:
                    return "none";
            }
        }
    }
}
