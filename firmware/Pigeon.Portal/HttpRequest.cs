namespace Pigeon.Portal
{
    /// <summary>
    /// One parsed request, reused for every request of a connection slot: its two buffers are
    /// allocated once. Only the headers the portal uses are kept; the others are checked for
    /// syntax and skipped.
    /// </summary>
    public sealed class HttpRequest
    {
        /// <summary>
        /// Request line plus headers: 2 KB. A phone's captive browser sends ~400-700 bytes
        /// (Chrome on Android with cookies ~900); 2 KB leaves room without letting a client park
        /// large buffers on a board with ~100 KB of heap.
        /// </summary>
        public const int MaxHead = 2048;

        /// <summary>Request body cap: 4 KB, far above the largest settings patch the page sends (~600 bytes).</summary>
        public const int MaxBody = 4096;

        /// <summary>Creates a request with its fixed buffers.</summary>
        public HttpRequest()
        {
            Head = new byte[MaxHead];
            Body = new byte[MaxBody];
            Clear();
        }

        /// <summary>Raw bytes of the request line and headers as received.</summary>
        public byte[] Head { get; private set; }

        /// <summary>Body bytes (the first <see cref="BodyLength"/>).</summary>
        public byte[] Body { get; private set; }

        /// <summary>Body length in bytes.</summary>
        public int BodyLength { get; set; }

        /// <summary>The method token ("GET", "POST", ...).</summary>
        public string Method { get; set; }

        /// <summary>The path part of the target (before '?'), as sent (not percent-decoded).</summary>
        public string Path { get; set; }

        /// <summary>The query part after '?', or empty.</summary>
        public string Query { get; set; }

        /// <summary>HTTP/1.0 (true) or HTTP/1.1 (false).</summary>
        public bool Http10 { get; set; }

        /// <summary>The Host header's host part, lower-case, without the port; empty when absent (HTTP/1.0).</summary>
        public string Host { get; set; }

        /// <summary>The whole Host header value as sent (for redirects).</summary>
        public string HostHeader { get; set; }

        /// <summary>The Cookie header, or empty.</summary>
        public string Cookie { get; set; }

        /// <summary>The Authorization header (a /metrics scraper's token), or empty. A secret: never logged.</summary>
        public string Authorization { get; set; }

        /// <summary>The X-CSRF-Token header, or empty.</summary>
        public string CsrfToken { get; set; }

        /// <summary>The Content-Type header's media type, lower-case, without parameters.</summary>
        public string ContentType { get; set; }

        /// <summary>The Origin header, or empty.</summary>
        public string Origin { get; set; }

        /// <summary>Content-Length; -1 when absent.</summary>
        public int ContentLength { get; set; }

        /// <summary>Accept-Encoding lists gzip.</summary>
        public bool AcceptsGzip { get; set; }

        /// <summary>
        /// The client's address (packed IPv4; 0 = unknown), set by the server for the limits that
        /// need it while they last (login attempts); not logged, not kept past them.
        /// </summary>
        public uint ClientAddress { get; set; }

        /// <summary>Resets every field for the next request.</summary>
        public void Clear()
        {
            BodyLength = 0;
            Method = string.Empty;
            Path = string.Empty;
            Query = string.Empty;
            Http10 = false;
            Host = string.Empty;
            HostHeader = string.Empty;
            Cookie = string.Empty;
            CsrfToken = string.Empty;
            Authorization = string.Empty;
            ContentType = string.Empty;
            Origin = string.Empty;
            ContentLength = -1;
            AcceptsGzip = false;
            ClientAddress = 0;
        }

        /// <summary>The value of cookie <paramref name="name"/>, or null.</summary>
        public string GetCookie(string name)
        {
            string[] parts = Cookie.Split(';');
            for (int i = 0; i < parts.Length; i++)
            {
                string part = parts[i].Trim();
                int eq = part.IndexOf('=');
                if (eq > 0 && part.Substring(0, eq) == name)
                {
                    return part.Substring(eq + 1);
                }
            }

            return null;
        }
    }
}
