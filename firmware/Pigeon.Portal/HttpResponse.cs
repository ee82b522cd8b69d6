using Pigeon.Json;
using Pigeon.Net;
using Pigeon.Text;

namespace Pigeon.Portal
{
    /// <summary>
    /// The answer to one request, reused per connection slot. Every answer closes the connection
    /// (Connection: close: one request per connection keeps a board's few sockets turning over)
    /// and carries headers that keep a hostile SSID or page from running script: a strict
    /// Content-Security-Policy (scripts only from the portal itself, no inline script),
    /// nosniff, no framing, no referrer.
    /// </summary>
    public sealed class HttpResponse
    {
        /// <summary>Scripts and styles only from the portal; QR canvas needs nothing more.</summary>
        public const string ContentSecurityPolicy =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

        // RFC 9110 section 15's phrases, "|code phrase" each.
        private const string Reasons = "|200 OK|204 No Content|302 Found|400 Bad Request|401 Unauthorized|403 Forbidden|404 Not Found"
            + "|405 Method Not Allowed|409 Conflict|411 Length Required|413 Content Too Large|415 Unsupported Media Type"
            + "|422 Unprocessable Content|429 Too Many Requests|431 Request Header Fields Too Large|500 Internal Server Error"
            + "|501 Not Implemented|503 Service Unavailable|505 HTTP Version Not Supported|";

        private readonly byte[] _head = new byte[1024];

        /// <summary>Creates an empty 404 response.</summary>
        public HttpResponse()
        {
            Clear();
        }

        /// <summary>Status code.</summary>
        public int Status { get; set; }

        /// <summary>Content-Type header value.</summary>
        public string ContentType { get; set; }

        /// <summary>Body bytes (may be a shared, read-only asset array).</summary>
        public byte[] Body { get; set; }

        /// <summary>Bytes of <see cref="Body"/> to send.</summary>
        public int BodyLength { get; set; }

        /// <summary>The body is gzip-compressed (Content-Encoding: gzip).</summary>
        public bool Gzip { get; set; }

        /// <summary>The response differs by Accept-Encoding (Vary).</summary>
        public bool VaryEncoding { get; set; }

        /// <summary>Location header for redirects, or null.</summary>
        public string Location { get; set; }

        /// <summary>Set-Cookie header, or null.</summary>
        public string SetCookie { get; set; }

        /// <summary>Cache-Control header.</summary>
        public string CacheControl { get; set; }

        /// <summary>Retry-After seconds for 429/503, or 0.</summary>
        public int RetryAfterSeconds { get; set; }

        /// <summary>Resets to an empty 404 with no caching.</summary>
        public void Clear()
        {
            Status = 404;
            ContentType = "text/plain; charset=utf-8";
            Body = null;
            BodyLength = 0;
            Gzip = false;
            VaryEncoding = false;
            Location = null;
            SetCookie = null;
            CacheControl = "no-store";
            RetryAfterSeconds = 0;
        }

        /// <summary>A JSON body.</summary>
        public void SetJson(int status, JsonWriter json)
        {
            Status = status;
            ContentType = "application/json; charset=utf-8";
            Body = json.Text.Bytes;
            BodyLength = json.Text.Length;
        }

        /// <summary>A plain-text body.</summary>
        public void SetText(int status, string text)
        {
            Status = status;
            ContentType = "text/plain; charset=utf-8";
            Body = Utf8.GetBytes(text);
            BodyLength = Body.Length;
        }

        /// <summary>A JSON error: {"error": message}.</summary>
        public void SetError(int status, string message)
        {
            JsonWriter json = new JsonWriter(64);
            json.BeginObject().Member("error", message).EndObject();
            SetJson(status, json);
        }

        /// <summary>302 to <paramref name="location"/> (an absolute URL of our own making).</summary>
        public void Redirect(string location)
        {
            Status = 302;
            Location = location;
            SetText(302, "see " + location);
        }

        /// <summary>The reason phrase for the status codes the portal uses ("Status" for any other).</summary>
        public static string Reason(int status)
        {
            int at = Reasons.IndexOf("|" + status.ToString() + " ");
            return at < 0 ? "Status" : Reasons.Substring(at + 5, Reasons.IndexOf('|', at + 1) - at - 5);
        }

        /// <summary>The status for a failed read.</summary>
        public static int StatusFor(HttpReadResult result)
        {
            switch (result)
            {
                case HttpReadResult.HeadTooLarge: return 431;
                case HttpReadResult.BodyTooLarge: return 413;
                case HttpReadResult.LengthRequired: return 411;
                case HttpReadResult.NotImplemented: return 501;
                case HttpReadResult.VersionNotSupported: return 505;
                default: return 400;
            }
        }

        /// <summary>Formats the status line and headers; returns their length in <paramref name="buffer"/>.</summary>
        public int WriteHead(byte[] buffer)
        {
            string head = "HTTP/1.1 " + Status.ToString() + " " + Reason(Status) + "\r\n"
                + "Content-Type: " + ContentType + "\r\n"
                + "Content-Length: " + BodyLength.ToString() + "\r\n"
                + "Connection: close\r\n"
                + "Cache-Control: " + CacheControl + "\r\n"
                + "X-Content-Type-Options: nosniff\r\n"
                + "Referrer-Policy: no-referrer\r\n"
                + "Content-Security-Policy: " + ContentSecurityPolicy + "\r\n";
            if (Gzip)
            {
                head += "Content-Encoding: gzip\r\n";
            }

            if (VaryEncoding)
            {
                head += "Vary: Accept-Encoding\r\n";
            }

            if (Location != null)
            {
                head += "Location: " + Location + "\r\n";
            }

            if (SetCookie != null)
            {
                head += "Set-Cookie: " + SetCookie + "\r\n";
            }

            if (RetryAfterSeconds > 0)
            {
                head += "Retry-After: " + RetryAfterSeconds.ToString() + "\r\n";
            }

            head += "\r\n";
            if (Utf8.ByteCount(head) > buffer.Length)
            {
                return 0;
            }

            return Utf8.Encode(head, buffer, 0);
        }

        /// <summary>Sends head and body (not the body for HEAD); false when the client went away.</summary>
        public bool Send(IConnection connection, bool headOnly)
        {
            int n = WriteHead(_head);
            if (n == 0 || !connection.Send(_head, 0, n))
            {
                return false;
            }

            if (headOnly || Body == null || BodyLength == 0)
            {
                return true;
            }

            return connection.Send(Body, 0, BodyLength);
        }
    }
}
