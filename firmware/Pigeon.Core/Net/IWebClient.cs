namespace Pigeon.Net
{
    /// <summary>
    /// HTTPS GET for the dynamic DNS update: the host implements it with HttpClient; the board has
    /// none (its pinned packages hold no HTTPS client, so its ReachSetup.Web is null and dynamic
    /// DNS does not run there: docs/device.md). An implementation verifies the server's
    /// certificate, follows no redirects, and reads at most
    /// <paramref name="maxBytes"/> of the body. Never throws.
    /// </summary>
    public interface IWebClient
    {
        /// <summary>
        /// GETs <paramref name="url"/> with HTTP basic auth (<paramref name="user"/>,
        /// <paramref name="password"/>; none when user is empty). Returns the body (ASCII, cut at
        /// maxBytes) with the status code, or null with a plain <paramref name="error"/>.
        /// </summary>
        string Get(string url, string user, string password, string userAgent, int maxBytes, out int status, out string error);
    }
}
