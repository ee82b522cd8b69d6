namespace Pigeon.Relay
{
    /// <summary>The one table of refusal reason names, for the status JSON and /metrics labels alike.</summary>
    public static class RefusalReasons
    {
        /// <summary>The number of <see cref="RefusalReason"/> values.</summary>
        public const int Count = 13;

        private static readonly string[] s_labels = new string[]
        {
            "full", "hello_timeout", "not_tls", "sni_not_allowed", "malformed", "tls_on_chat_port", "closed_early",
            "client_limit", "evicted", "tls_failed", "probe", "bad_proxy_header", "not_chat_client",
        };

        private static readonly string[] s_names = new string[]
        {
            "full", "helloTimeout", "notTls", "sniNotAllowed", "malformed", "tlsOnChatPort", "closedEarly",
            "clientLimit", "evicted", "tlsFailed", "probe", "badProxyHeader", "notChatClient",
        };

        /// <summary>The camelCase name of a reason, as the status JSON uses it ("sniNotAllowed").</summary>
        public static string Name(int reason)
        {
            return reason >= 0 && reason < s_names.Length ? s_names[reason] : "reason" + reason.ToString();
        }

        /// <summary>The snake_case label of a reason ("sni_not_allowed"); "reason_N" for an unknown value.</summary>
        public static string Label(int reason)
        {
            return reason >= 0 && reason < s_labels.Length ? s_labels[reason] : "reason_" + reason.ToString();
        }
    }
}
