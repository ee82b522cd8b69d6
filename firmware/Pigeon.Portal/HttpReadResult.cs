namespace Pigeon.Portal
{
    /// <summary>What reading one HTTP request gave; each failure maps to one status code.</summary>
    public enum HttpReadResult
    {
        /// <summary>A whole request (head and body) is in the <see cref="HttpRequest"/>.</summary>
        Ok = 0,

        /// <summary>The client closed, failed, or was cut off by the header timeout: no answer.</summary>
        Closed = 1,

        /// <summary>400: a request line or header that breaks RFC 9112 (bare LF, obs-fold, no Host...).</summary>
        BadRequest = 2,

        /// <summary>431: request line and headers longer than <see cref="HttpRequest.MaxHead"/>.</summary>
        HeadTooLarge = 3,

        /// <summary>413: a Content-Length over <see cref="HttpRequest.MaxBody"/>.</summary>
        BodyTooLarge = 4,

        /// <summary>411: a POST without Content-Length.</summary>
        LengthRequired = 5,

        /// <summary>501: Transfer-Encoding (chunked bodies are not taken).</summary>
        NotImplemented = 6,

        /// <summary>505: an HTTP version other than 1.0 or 1.1.</summary>
        VersionNotSupported = 7,
    }
}
