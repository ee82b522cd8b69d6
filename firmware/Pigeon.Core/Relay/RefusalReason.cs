
namespace Pigeon.Relay
{
    /// <summary>
    /// Why a client was turned away (or, for <see cref="Evicted"/>, why a session was ended to make
    /// room). Each has its own counter, shown in the status and on /metrics under
    /// <see cref="Pigeon.Counters.RefusalReasons.Label"/>.
    /// </summary>
    public enum RefusalReason
    {
        /// <summary>Every session slot was busy and none was idle long enough to give up; closed at once.</summary>
        Full = 0,

        /// <summary>No first bytes (plain route), no whole ClientHello (SNI route) or no finished TLS handshake in time.</summary>
        HelloTimeout = 1,

        /// <summary>An SNI or TLS-terminating route received something that is not TLS.</summary>
        NotTls = 2,

        /// <summary>The ClientHello named a host outside the allow-list, none, or an address.</summary>
        SniNotAllowed = 3,

        /// <summary>A TLS record or ClientHello that breaks the rules, or one over the size cap.</summary>
        Malformed = 4,

        /// <summary>A chat (plain) route received a TLS ClientHello: the app has "use TLS" on.</summary>
        TlsOnChatPort = 5,

        /// <summary>The client closed (or reset) before it was admitted.</summary>
        ClosedEarly = 6,

        /// <summary>The relay is nearly full and the client's address already holds its fair share of the sessions (or relay.maxSessionsPerClient).</summary>
        ClientLimit = 7,

        /// <summary>A session idle for relay.evictIdleSeconds or more was ended to give its slot to a new client.</summary>
        Evicted = 8,

        /// <summary>The TLS handshake on a terminateTls route failed (garbage, no common version or cipher).</summary>
        TlsFailed = 9,

        /// <summary>An HTTP request inside the TLS of a terminateTls route: answered as a web page, never relayed.</summary>
        Probe = 10,

        /// <summary>An acceptProxy route received no valid PROXY protocol header.</summary>
        BadProxyHeader = 11,

        /// <summary>A route with chatOpeningCheck received first bytes that no WhatsApp chat client sends.</summary>
        NotChatClient = 12,

        /// <summary>An acceptProxy route was reached by an address outside its acceptProxyFrom: nobody else may name the client.</summary>
        ProxyNotTrusted = 13,

        /// <summary>The host ran out of open files (descriptors): the client was accepted on the reserve descriptor and closed at once.</summary>
        OutOfFiles = 14,
    }
}
