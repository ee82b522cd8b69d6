namespace Pigeon.Relay
{
    /// <summary>
    /// Recognises an HTTP/1.x request line at the start of a stream, the way a censor's prober
    /// opens: a method token, one space, then a path.
    /// <code>
    ///   method (1-10 of A-Z) SP ( "/" | "*" ) ...      e.g. "GET / HTTP/1.1\r\n"
    /// </code>
    /// A WhatsApp chat stream opens with "WA" or "ED" followed by a binary byte, so it is told
    /// apart by its third byte at the latest.
    /// </summary>
    public static class HttpProbe
    {
        /// <summary>Not an HTTP request.</summary>
        public const int NotHttp = 0;

        /// <summary>Could still be either: read more.</summary>
        public const int NeedMore = 1;

        /// <summary>An HTTP request line.</summary>
        public const int Http = 2;

        private const int MaxMethodLength = 10; // "PROPPATCH" is 9; longer tokens are not methods a prober sends

        /// <summary>Classifies the first <paramref name="count"/> bytes.</summary>
        public static int Classify(byte[] buffer, int offset, int count)
        {
            int i = 0;
            while (i < count && i <= MaxMethodLength)
            {
                byte b = buffer[offset + i];
                if (b == (byte)' ')
                {
                    if (i == 0)
                    {
                        return NotHttp;
                    }

                    if (i + 1 >= count)
                    {
                        return NeedMore;
                    }

                    byte target = buffer[offset + i + 1];
                    return target == (byte)'/' || target == (byte)'*' ? Http : NotHttp;
                }

                if (b < (byte)'A' || b > (byte)'Z')
                {
                    return NotHttp;
                }

                i++;
            }

            return i > MaxMethodLength ? NotHttp : NeedMore;
        }
    }
}
