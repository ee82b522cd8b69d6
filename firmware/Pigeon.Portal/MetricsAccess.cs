using System;
using Pigeon.Text;

namespace Pigeon.Portal
{
    /// <summary>
    /// Who may read /metrics: a request carrying the configured token, as
    /// "Authorization: Bearer TOKEN" (Prometheus <c>authorization: credentials</c>) or as the
    /// password of HTTP basic auth (Prometheus <c>basic_auth</c>, any user name). No token
    /// configured = nobody (the portal's admin session is the other way in). The comparison
    /// takes the same time wherever the first difference is.
    /// </summary>
    public static class MetricsAccess
    {
        /// <summary>Tokens shorter than this are refused as too easy to guess.</summary>
        public const int MinTokenLength = 16;

        /// <summary>True when <paramref name="authorization"/> (the header's value) carries <paramref name="token"/>.</summary>
        public static bool IsAuthorized(string authorization, string token)
        {
            if (token == null || token.Length < MinTokenLength || authorization == null || authorization.Length > 1024)
            {
                return false;
            }

            string value = authorization.Trim();
            int space = value.IndexOf(' ');
            if (space <= 0)
            {
                return false;
            }

            string scheme = value.Substring(0, space).ToLower();
            string credentials = value.Substring(space + 1).Trim();
            if (scheme == "bearer")
            {
                return FixedTime.Equal(credentials, token);
            }

            if (scheme != "basic")
            {
                return false;
            }

            string decoded = DecodeBase64(credentials);
            int colon = decoded == null ? -1 : decoded.IndexOf(':');
            return colon >= 0 && FixedTime.Equal(decoded.Substring(colon + 1), token);
        }

        private static string DecodeBase64(string text)
        {
            try
            {
                byte[] bytes = Convert.FromBase64String(text);
                char[] chars = new char[bytes.Length];
                for (int i = 0; i < bytes.Length; i++)
                {
                    chars[i] = (char)bytes[i];
                }

                return new string(chars);
            }
            catch (Exception)
            {
                return null; // not base64: refused like a wrong password
            }
        }
    }
}
