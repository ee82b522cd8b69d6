namespace Pigeon.Relay
{
    /// <summary>
    /// The opt-in check of a chat client's first bytes (route field chatOpeningCheck). Public
    /// WhatsApp client implementations open the chat stream in one of two ways:
    /// <code>
    ///   'W' 'A' magic dict-version   Noise prologue ("WA" 6 3 in whatsmeow socket/constants.go
    ///                                WAConnHeader; "WA" 6 5 and 6 2 in other clients)
    ///   'E' 'D' 0 1 len(3) routing   edge-routing pre-intro sent before the prologue
    /// </code>
    /// Those are the web and multi-device clients; what the phone app sends through a proxy is
    /// not publicly documented, so the check is off by default and only the two letters are
    /// required (never the version bytes, which change).
    /// </summary>
    public static class ChatOpening
    {
        /// <summary><see cref="Verdict.Go"/>, <see cref="Verdict.NeedMore"/> or <see cref="RefusalReason.NotChatClient"/>.</summary>
        public static Verdict Check(byte[] buffer, int offset, int count, out RefusalReason reason)
        {
            reason = RefusalReason.NotChatClient;
            if (count < 1)
            {
                return Verdict.NeedMore;
            }

            byte first = buffer[offset];
            if (first != (byte)'W' && first != (byte)'E')
            {
                return Verdict.Refuse;
            }

            if (count < 2)
            {
                return Verdict.NeedMore;
            }

            byte second = buffer[offset + 1];
            return (first == (byte)'W' && second == (byte)'A') || (first == (byte)'E' && second == (byte)'D')
                ? Verdict.Go
                : Verdict.Refuse;
        }
    }
}
