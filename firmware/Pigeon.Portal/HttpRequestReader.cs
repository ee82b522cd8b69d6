using Pigeon.Net;

namespace Pigeon.Portal
{
    /// <summary>
    /// Reads one request from a connection into a reused <see cref="HttpRequest"/>: the head into
    /// its 2 KB buffer, then exactly Content-Length body bytes. Anything after that (a pipelined
    /// second request, garbage) is ignored: every answer says Connection: close. The header
    /// timeout is enforced from outside: <see cref="PortalServer"/> closes a slow connection,
    /// which makes Receive return -1 here (<see cref="HttpReadResult.Closed"/>).
    /// </summary>
    public static class HttpRequestReader
    {
        /// <summary>Reads and parses one request.</summary>
        public static HttpReadResult Read(IConnection connection, HttpRequest request)
        {
            byte[] head = request.Head;
            int have = 0;
            int headEnd = 0;
            while (headEnd == 0)
            {
                if (have == head.Length)
                {
                    return HttpReadResult.HeadTooLarge;
                }

                int n = connection.Receive(head, have, head.Length - have);
                if (n <= 0)
                {
                    return have == 0 ? HttpReadResult.Closed : (n == 0 ? HttpReadResult.BadRequest : HttpReadResult.Closed);
                }

                int scanFrom = have > 3 ? have - 3 : 0;
                have += n;
                headEnd = HttpRequestParser.FindHeadEnd(head, scanFrom, have); // only the new bytes: no O(n^2) on 1-byte reads
                if (headEnd < 0)
                {
                    return HttpReadResult.BadRequest;
                }
            }

            HttpReadResult result = HttpRequestParser.ParseHead(head, headEnd, request);
            if (result != HttpReadResult.Ok)
            {
                return result;
            }

            int length = request.ContentLength < 0 ? 0 : request.ContentLength;
            int already = have - headEnd;
            if (already > length)
            {
                already = length; // the rest is pipelined data; ignored (Connection: close)
            }

            System.Array.Copy(head, headEnd, request.Body, 0, already);
            int got = already;
            while (got < length)
            {
                int n = connection.Receive(request.Body, got, length - got);
                if (n <= 0)
                {
                    return n == 0 ? HttpReadResult.BadRequest : HttpReadResult.Closed; // body shorter than Content-Length
                }

                got += n;
            }

            request.BodyLength = length;
            return HttpReadResult.Ok;
        }
    }
}
