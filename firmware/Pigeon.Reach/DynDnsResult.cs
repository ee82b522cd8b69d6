namespace Pigeon.Reach
{
    /// <summary>The answer codes of the dyndns2 update protocol (as used by Dyn, No-IP, DuckDNS-compatible and ddclient servers).</summary>
    public enum DynDnsResult
    {
        /// <summary>Not tried yet.</summary>
        None = 0,

        /// <summary>"good": the name now points at the address.</summary>
        Good = 1,

        /// <summary>"nochg": it already did.</summary>
        NoChange = 2,

        /// <summary>"badauth": wrong user name or password.</summary>
        BadAuth = 3,

        /// <summary>"notfqdn": the host name is not a full domain name.</summary>
        NotFqdn = 4,

        /// <summary>"nohost": the name does not exist in this account.</summary>
        NoHost = 5,

        /// <summary>"numhost": too many names in one request.</summary>
        NumHost = 6,

        /// <summary>"abuse": the name is blocked for too many updates.</summary>
        Abuse = 7,

        /// <summary>"badagent": the service refused our client.</summary>
        BadAgent = 8,

        /// <summary>"dnserr" or "911": a problem at the service; try later.</summary>
        ServerError = 9,

        /// <summary>The service could not be reached, or answered something else.</summary>
        Failed = 10,
    }
}
