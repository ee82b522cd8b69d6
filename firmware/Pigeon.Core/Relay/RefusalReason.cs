namespace Pigeon.Relay
{
    /// <summary>Why a client was turned away. Each has its own counter, shown in the status.</summary>
    public enum RefusalReason
    {
        /// <summary>Every session slot was busy; closed at once.</summary>
        Full = 0,

        /// <summary>No first bytes (plain route) or no whole ClientHello (SNI route) in time.</summary>
        HelloTimeout = 1,

        /// <summary>An SNI route received something that is not TLS.</summary>
        NotTls = 2,

        /// <summary>The ClientHello named a host outside the allow-list, or none.</summary>
        SniNotAllowed = 3,

        /// <summary>A TLS record or ClientHello that breaks the rules, or one over the size cap.</summary>
        Malformed = 4,

        /// <summary>A chat (plain) route received a TLS ClientHello: the app has "use TLS" on.</summary>
        TlsOnChatPort = 5,

        /// <summary>The client closed before sending its first bytes.</summary>
        ClosedEarly = 6,
    }
}
