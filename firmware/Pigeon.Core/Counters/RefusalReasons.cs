namespace Pigeon.Counters
{
    /// <summary>The one table of refusal reason names, for the status JSON and /metrics labels alike.</summary>
    public static class RefusalReasons
    {
        /// <summary>The number of <see cref="RefusalReason"/> values.</summary>
        public const int Count = 15;

        private static readonly string[] s_names = ("full helloTimeout notTls sniNotAllowed malformed tlsOnChatPort closedEarly "
            + "clientLimit evicted tlsFailed probe badProxyHeader notChatClient proxyNotTrusted outOfFiles").Split(' ');

        /// <summary>The camelCase name of a reason, as the status JSON uses it ("sniNotAllowed").</summary>
        public static string Name(int reason)
        {
            return reason >= 0 && reason < s_names.Length ? s_names[reason] : "reason_" + reason.ToString();
        }

        /// <summary>
        /// The snake_case label of a reason for /metrics ("sni_not_allowed"), made from its
        /// camelCase name; "reason_N" for an unknown value. Made at each scrape, never on the data path.
        /// </summary>
        public static string Label(int reason)
        {
            string name = Name(reason);
            char[] label = new char[name.Length * 2];
            int n = 0;
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (c >= 'A' && c <= 'Z')
                {
                    label[n++] = '_';
                    c = (char)(c + ('a' - 'A'));
                }

                label[n++] = c;
            }

            return new string(label, 0, n);
        }
    }
}
