using Pigeon.Net;

namespace Pigeon.Reach
{
    /// <summary>
    /// The host's part of <see cref="DynDns"/>: the updater (a board has no HTTPS client, and its
    /// assembly leaves *.Host.cs out).
    /// </summary>
    public sealed partial class DynDns
    {
        /// <summary>Back off this long after "911"/"dnserr" or no answer (dyndns2 asks for at least 30 min).</summary>
        public const int ServerErrorRetryMs = 1800000;

        /// <summary>The answer is one short line; 512 bytes is plenty.</summary>
        public const int MaxAnswerBytes = 512;

        private readonly IWebClient _web;
        private readonly IClock _clock;
        private readonly string _url;
        private readonly string _user;
        private readonly string _password;
        private readonly string _host;
        private uint _lastSent;
        private long _retryAt;
        private bool _stopped;

        /// <summary>Creates the updater; check <see cref="ConfigError"/> before use.</summary>
        public DynDns(IWebClient web, IClock clock, string url, string user, string password, string host)
        {
            _web = web;
            _clock = clock;
            _url = url == null ? "" : url.Trim();
            _user = user ?? "";
            _password = password ?? "";
            _host = host == null ? "" : host.Trim();
            ConfigError = Validate(_url, _host);
            LastMessage = ConfigError ?? "no update sent yet";
        }

        /// <summary>The address last sent.</summary>
        public uint LastAddress
        {
            get { return _lastSent; }
        }

        /// <summary>
        /// Sends an update when <paramref name="address"/> is public and differs from the last one
        /// sent. Returns true when a request was made.
        /// </summary>
        public bool Update(uint address)
        {
            if (ConfigError != null || _stopped || PublicAddress.Classify(address) != AddressKind.Public)
            {
                return false;
            }

            long now = _clock.NowMilliseconds;
            if (address == _lastSent || now < _retryAt)
            {
                return false;
            }

            string url = BuildUrl(_url, _host, address);
            int status;
            string error;
            string body = _web.Get(url, _user, _password, "Pigeon relay - 1", MaxAnswerBytes, out status, out error);
            LastUpdateMs = now;
            if (body == null)
            {
                Set(DynDnsResult.Failed, "cannot reach the dynamic DNS service: " + error);
                _retryAt = now + ServerErrorRetryMs;
                return true;
            }

            DynDnsResult result = status == 401 ? DynDnsResult.BadAuth : Parse(body);
            Set(result, Explain(result));
            if (result == DynDnsResult.Good || result == DynDnsResult.NoChange)
            {
                _lastSent = address;
            }
            else if (result == DynDnsResult.ServerError || result == DynDnsResult.Failed)
            {
                _retryAt = now + ServerErrorRetryMs;
            }
            else
            {
                _stopped = true; // the volunteer must fix the account or the name first (dyndns2 rules)
            }

            return true;
        }

        /// <summary>The update URL for a name and address (the name is already validated).</summary>
        public static string BuildUrl(string baseUrl, string host, uint address)
        {
            string separator = baseUrl.IndexOf('?') >= 0 ? "&" : "?";
            return baseUrl + separator + "hostname=" + host + "&myip=" + IPv4.ToText(address);
        }

        /// <summary>Reads the first word of the answer ("good 1.2.3.4", "nochg", "badauth", ...).</summary>
        public static DynDnsResult Parse(string body)
        {
            if (body == null)
            {
                return DynDnsResult.Failed;
            }

            string text = body.Trim();
            int end = 0;
            while (end < text.Length && text[end] > ' ')
            {
                end++;
            }

            string word = text.Substring(0, end).ToLower();
            switch (word)
            {
                case "good":
                    return DynDnsResult.Good;
                case "nochg":
                    return DynDnsResult.NoChange;
                case "badauth":
                case "!yours":
                    return DynDnsResult.BadAuth;
                case "notfqdn":
                    return DynDnsResult.NotFqdn;
                case "nohost":
                    return DynDnsResult.NoHost;
                case "numhost":
                    return DynDnsResult.NumHost;
                case "abuse":
                    return DynDnsResult.Abuse;
                case "badagent":
                    return DynDnsResult.BadAgent;
                case "dnserr":
                case "911":
                    return DynDnsResult.ServerError;
                default:
                    return DynDnsResult.Failed;
            }
        }

        /// <summary>Plain words for an answer.</summary>
        public static string Explain(DynDnsResult result)
        {
            switch (result)
            {
                case DynDnsResult.Good:
                    return "updated: the name now points at this address";
                case DynDnsResult.NoChange:
                    return "up to date: the name already pointed at this address";
                case DynDnsResult.BadAuth:
                    return "the service refused the user name or password (or the name belongs to another account); updates stopped until the settings change";
                case DynDnsResult.NotFqdn:
                    return "the host name is not a full domain name (like relay.example.net); updates stopped";
                case DynDnsResult.NoHost:
                    return "the service does not know this host name in your account; updates stopped";
                case DynDnsResult.NumHost:
                    return "the service refused: too many host names in one update; updates stopped";
                case DynDnsResult.Abuse:
                    return "the service blocked the name for too many updates; updates stopped (unblock it on the service's site)";
                case DynDnsResult.BadAgent:
                    return "the service refused this updater; updates stopped";
                case DynDnsResult.ServerError:
                    return "the service has a problem on its side; trying again in 30 minutes";
                case DynDnsResult.Failed:
                    return "the service answered something unexpected; trying again in 30 minutes";
                default:
                    return "no update sent yet";
            }
        }

        private void Set(DynDnsResult result, string message)
        {
            LastResult = result;
            LastMessage = message;
        }

        private static string Validate(string url, string host)
        {
            if (url.Length == 0)
            {
                return "dynamic DNS is off (no update URL)";
            }

            string lower = url.ToLower();
            if ((lower.IndexOf("https://") != 0 && lower.IndexOf("http://") != 0) || url.Length > 256)
            {
                return "the update URL must start with https:// (or http://, which sends the password in clear)";
            }

            for (int i = 0; i < url.Length; i++)
            {
                if (url[i] <= ' ' || url[i] > '~' || url[i] == '#')
                {
                    return "the update URL holds a space or a character that is not allowed";
                }
            }

            if (!Pigeon.Tls.HostName.IsValid(host) || host.IndexOf('.') < 0)
            {
                return "dynamic DNS needs network.publicHost set to a full host name (like relay.example.net)";
            }

            return null;
        }
    }
}
