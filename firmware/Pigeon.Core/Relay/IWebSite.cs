namespace Pigeon.Relay
{
    /// <summary>
    /// What a terminateTls route shows to whatever inside its TLS is not a client it relays: the
    /// answers of a small web server (the host's DecoySite, modelled on nginx's defaults). The
    /// session sequence reads a request head, asks here for the answer, sends it, and keeps the
    /// connection for the next request or closes it, as told. A board terminates no TLS and has
    /// none.
    /// </summary>
    public interface IWebSite
    {
        /// <summary>Room an answer's head needs (status line and headers).</summary>
        int MaxHeadLength { get; }

        /// <summary>How long a connection may take to finish its TLS handshake and its first request head (ms).</summary>
        int HeaderTimeoutMs { get; }

        /// <summary>How long a kept-alive connection may wait for its next request (ms).</summary>
        int KeepAliveMs { get; }

        /// <summary>
        /// True when <paramref name="count"/> bytes from <paramref name="offset"/> can be answered
        /// now: a whole request head, or bytes that can never become one.
        /// </summary>
        bool CanAnswer(byte[] request, int offset, int count);

        /// <summary>
        /// Answers the first request in the bytes (or the bytes that are none): writes the head
        /// into <paramref name="head"/> at <paramref name="at"/> and returns its length; the body
        /// to send after it is <paramref name="body"/>[0, <paramref name="bodyLength"/>).
        /// <paramref name="consumed"/> is the request's length (its head and any body received
        /// with it), <paramref name="keepAlive"/> whether the connection stays open for another.
        /// </summary>
        int Answer(byte[] request, int offset, int count, byte[] head, int at, out byte[] body, out int bodyLength, out int consumed, out bool keepAlive);
    }
}
