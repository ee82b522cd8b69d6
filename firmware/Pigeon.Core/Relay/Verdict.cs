namespace Pigeon.Relay
{
    /// <summary>
    /// What admission decided about the bytes a client has sent so far. Values from 0 up are
    /// <see cref="RefusalReason"/>s; the negative ones below tell the pump what to do next.
    /// </summary>
    public static class Verdict
    {
        /// <summary>Admitted: dial the upstream and relay.</summary>
        public const int Go = -1;

        /// <summary>Not decided yet: read more (the hello timeout bounds the wait).</summary>
        public const int NeedMore = -2;

        /// <summary>A terminateTls route saw a TLS record: run the server handshake over these bytes.</summary>
        public const int StartTls = -3;

        /// <summary>An HTTP request inside the TLS: answer it with the decoy page, never dial.</summary>
        public const int Decoy = -4;

        /// <summary>True when <paramref name="verdict"/> is a refusal (a <see cref="RefusalReason"/>).</summary>
        public static bool IsRefusal(int verdict)
        {
            return verdict >= 0;
        }
    }
}
