namespace Pigeon.Relay
{
    /// <summary>
    /// What admission decided about the bytes a client has sent so far. A refusal carries its
    /// <see cref="RefusalReason"/> beside it (an out parameter of each <see cref="Admission"/> function).
    /// </summary>
    public enum Verdict
    {
        /// <summary>Admitted: dial the upstream and relay.</summary>
        Go = 0,

        /// <summary>Not decided yet: read more (the hello timeout bounds the wait).</summary>
        NeedMore = 1,

        /// <summary>A terminateTls route saw a TLS record: run the server handshake over these bytes.</summary>
        StartTls = 2,

        /// <summary>An HTTP request inside the TLS: answer it as a small web server would, never dial.</summary>
        Decoy = 3,

        /// <summary>Turned away, for the reason given beside the verdict.</summary>
        Refuse = 4,
    }
}
