namespace Pigeon.Reach
{
    /// <summary>How one exchange with the router's web server ended.</summary>
    public enum HttpOutcome
    {
        /// <summary>A whole response was read (any status code).</summary>
        Ok = 0,

        /// <summary>The TCP connection could not be opened.</summary>
        ConnectFailed = 1,

        /// <summary>No whole response within the time limit.</summary>
        Timeout = 2,

        /// <summary>The response was larger than the cap.</summary>
        TooLarge = 3,

        /// <summary>Not an HTTP/1.x response, or its framing broke the rules.</summary>
        Malformed = 4,

        /// <summary>The request could not be sent.</summary>
        SendFailed = 5,
    }
}
