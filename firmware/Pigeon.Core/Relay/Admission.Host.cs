using Pigeon.Routing;

namespace Pigeon.Relay
{
    /// <summary>
    /// The host's part of <see cref="Admission"/> (files named *.Host.cs are compiled into
    /// Pigeon.Core on the host only): the bytes inside a terminated TLS, which a board, with no
    /// TLS stage, never reads.
    /// </summary>
    public static partial class Admission
    {
        /// <summary>The first bytes inside the TLS of a terminateTls route.</summary>
        public static Verdict Inner(Route route, byte[] buffer, int offset, int count, out RefusalReason reason)
        {
            reason = RefusalReason.NotChatClient;
            int http = HttpProbe.Classify(buffer, offset, count);
            if (http == HttpProbe.Http)
            {
                return Verdict.Decoy;
            }

            if (http == HttpProbe.NeedMore)
            {
                return Verdict.NeedMore;
            }

            if (!route.ChatOpeningCheck)
            {
                return Verdict.Go;
            }

            // What no chat client sends gets the web site's answer, as it would from a web server.
            Verdict chat = ChatOpening.Check(buffer, offset, count, out reason);
            return chat == Verdict.Refuse ? Verdict.Decoy : chat;
        }
    }
}
