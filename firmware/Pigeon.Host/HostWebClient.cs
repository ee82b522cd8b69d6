using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using Pigeon.Net;

namespace Pigeon.Host
{
    /// <summary><see cref="IWebClient"/> over HttpClient (certificates verified by the OS, no redirects).</summary>
    public sealed class HostWebClient : IWebClient
    {
        private static readonly HttpClient s_client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            Timeout = TimeSpan.FromSeconds(20),
        };

        /// <inheritdoc />
        public string Get(string url, string user, string password, string userAgent, int maxBytes, out int status, out string error)
        {
            status = 0;
            error = null;
            try
            {
                using (HttpRequestMessage request = new HttpRequestMessage(HttpMethod.Get, url))
                {
                    request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
                    if (!string.IsNullOrEmpty(user))
                    {
                        string pair = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
                        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", pair);
                    }

                    using (HttpResponseMessage response = s_client.Send(request, HttpCompletionOption.ResponseHeadersRead))
                    {
                        status = (int)response.StatusCode;
                        byte[] buffer = new byte[maxBytes];
                        int length = 0;
                        using (System.IO.Stream body = response.Content.ReadAsStream())
                        {
                            int n;
                            while (length < buffer.Length && (n = body.Read(buffer, length, buffer.Length - length)) > 0)
                            {
                                length += n;
                            }
                        }

                        return Encoding.ASCII.GetString(buffer, 0, length);
                    }
                }
            }
            catch (Exception e)
            {
                // The message names the host at most; never the URL's query or the credentials.
                error = e is System.Threading.Tasks.TaskCanceledException ? "no answer in time" : e.GetType().Name + ": " + e.Message;
                return null;
            }
        }
    }
}
