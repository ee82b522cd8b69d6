namespace Pigeon.Reach
{
    /// <summary>A response from the router's web server, already bounded and de-chunked.</summary>
    public sealed class RouterResponse
    {
        /// <summary>How the exchange ended; the other fields are set only when <see cref="HttpOutcome.Ok"/>.</summary>
        public HttpOutcome Outcome { get; set; }

        /// <summary>The status code (200, 500, ...).</summary>
        public int Status { get; set; }

        /// <summary>The body as text (bytes above 0x7F become single characters, never decoded).</summary>
        public string Body { get; set; }

        /// <summary>Our own address on the connection: the LAN address the router sees (UPnP's NewInternalClient).</summary>
        public uint LocalAddress { get; set; }

        /// <summary>A failed exchange.</summary>
        public static RouterResponse Failed(HttpOutcome outcome)
        {
            RouterResponse response = new RouterResponse();
            response.Outcome = outcome;
            response.Body = "";
            return response;
        }
    }
}
