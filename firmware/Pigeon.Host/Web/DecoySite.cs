using System;
using System.Globalization;
using System.Text;
using Pigeon.Relay;

namespace Pigeon.Host.Web
{
    /// <summary>
    /// The small web site a terminateTls route (and port 80) shows to a prober: it answers as
    /// nginx 1.22 does with Debian 12's default configuration and site, measured side by side in
    /// tests/Pigeon.Probe (docs/server.md, "What a prober sees"), with the operator's page
    /// (relay.decoyPage) at "/". Only what a prober can see from outside is modelled:
    /// <code>
    ///   not a request line (garbage, a TLS hello, lower-case method, CONNECT, "*")  400, close
    ///   HTTP/2.0 or later                                                    505, close
    ///   HTTP/1.1 without Host, a path out of "/" ("/../")                   400, close
    ///   TRACE                                                                405, close
    ///   GET or HEAD of "/"                                                   200, the page
    ///   any other path                                                       404
    ///   any other method on "/"                                              405
    ///   keep-alive: HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "Connection: keep-alive"
    ///   timeouts: 60 s for the handshake and the request head, 75 s between requests (a FIN)
    /// </code>
    /// Headers as nginx writes them with server_tokens off ("Server: nginx"). The head is written
    /// into the caller's buffer and the bodies are made once; reading a request allocates a few
    /// strings (probers are rare, and the relay's data path never comes here).
    /// </summary>
    public sealed class DecoySite : IWebSite
    {
        /// <summary>nginx's client_header_timeout default: the handshake and a request head.</summary>
        public const int HeaderTimeout = 60000;

        /// <summary>nginx's keepalive_timeout default (Debian 12's nginx.conf sets none).</summary>
        public const int KeepAlive = 75000;

        /// <summary>The longest request head answered as one (nginx: large_client_header_buffers 4 8k); longer gets 400.</summary>
        public const int MaxRequestHead = 8192;

        private const string ServerName = "nginx";

        private readonly byte[] _page;
        private readonly string _lastModified;
        private readonly string _etag;
        private readonly byte[] _badRequest = ErrorPage("400 Bad Request");
        private readonly byte[] _notFound = ErrorPage("404 Not Found");
        private readonly byte[] _notAllowed = ErrorPage("405 Not Allowed");
        private readonly byte[] _badVersion = ErrorPage("505 HTTP Version Not Supported");

        /// <summary>The page served when the config names none: plain, like a fresh server's.</summary>
        public const string DefaultHtml = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Welcome</title></head>\n"
            + "<body><h1>Welcome</h1><p>This site is under construction.</p></body></html>\n";

        /// <summary>A site serving <paramref name="html"/> at "/" (null or empty: <see cref="DefaultHtml"/>), last modified at <paramref name="since"/>.</summary>
        public DecoySite(string html, DateTime since)
        {
            _page = Encoding.UTF8.GetBytes(string.IsNullOrEmpty(html) ? DefaultHtml : html);
            DateTime modified = since.ToUniversalTime();
            _lastModified = Date(modified);
            long seconds = (long)(modified - DateTime.UnixEpoch).TotalSeconds;
            _etag = "\"" + seconds.ToString("x", CultureInfo.InvariantCulture) + "-" + _page.Length.ToString("x", CultureInfo.InvariantCulture) + "\"";
        }

        /// <inheritdoc />
        public int MaxHeadLength
        {
            get { return 320; }
        }

        /// <inheritdoc />
        public int HeaderTimeoutMs
        {
            get { return HeaderTimeout; }
        }

        /// <inheritdoc />
        public int KeepAliveMs
        {
            get { return KeepAlive; }
        }

        /// <summary>The clock the Date header reads (tests set it).</summary>
        public Func<DateTime> UtcNow { get; set; } = () => DateTime.UtcNow;

        /// <inheritdoc />
        public bool CanAnswer(byte[] request, int offset, int count)
        {
            return HeadEnd(request, offset, count) > 0 || count >= MaxRequestHead || !CouldBeRequestLine(request, offset, count);
        }

        /// <inheritdoc />
        public int Answer(byte[] request, int offset, int count, byte[] head, int at, out byte[] body, out int bodyLength, out int consumed, out bool keepAlive)
        {
            Request r = Parse(request, offset, count);
            consumed = count;
            keepAlive = false;
            string status;
            byte[] page;
            bool headOnly = false;
            if (r.Status != 0)
            {
                status = r.Status == 505 ? "505 HTTP Version Not Supported" : "400 Bad Request";
                page = r.Status == 505 ? _badVersion : _badRequest;
            }
            else
            {
                bool root = r.Root;
                if (r.Method == "TRACE")
                {
                    status = "405 Not Allowed";
                    page = _notAllowed;
                }
                else if (!root)
                {
                    status = "404 Not Found";
                    page = _notFound;
                    keepAlive = r.KeepAlive;
                }
                else if (r.Method == "GET" || r.Method == "HEAD")
                {
                    status = "200 OK";
                    page = _page;
                    keepAlive = r.KeepAlive;
                    headOnly = r.Method == "HEAD";
                }
                else
                {
                    status = "405 Not Allowed";
                    page = _notAllowed;
                    keepAlive = r.KeepAlive;
                }

                // The request's body came with it: consumed; still to come: answer and close.
                if (keepAlive && r.HeadLength + r.BodyLength <= count && r.BodyLength >= 0)
                {
                    consumed = r.HeadLength + r.BodyLength;
                }
                else
                {
                    keepAlive = false;
                }
            }

            int p = at;
            p += Put("HTTP/1.1 " + status + "\r\nServer: " + ServerName + "\r\nDate: " + Date(UtcNow()) + "\r\nContent-Type: text/html\r\nContent-Length: ", head, p);
            p += Put(page.Length.ToString(CultureInfo.InvariantCulture), head, p);
            if (page == _page)
            {
                p += Put("\r\nLast-Modified: " + _lastModified, head, p);
            }

            p += Put(keepAlive ? "\r\nConnection: keep-alive" : "\r\nConnection: close", head, p);
            if (page == _page)
            {
                p += Put("\r\nETag: " + _etag + "\r\nAccept-Ranges: bytes", head, p);
            }

            p += Put("\r\n\r\n", head, p);
            body = page;
            bodyLength = headOnly ? 0 : page.Length;
            return p - at;
        }

        // What the request's first line and headers say, as far as an answer needs them.
        private struct Request
        {
            public int Status; // 0 when it can be answered normally, else 400 or 505
            public string Method;
            public bool Root;
            public bool KeepAlive;
            public int HeadLength;
            public int BodyLength;
        }

        private static Request Parse(byte[] b, int offset, int count)
        {
            Request r = new Request { Status = 400, BodyLength = 0 };
            int end = HeadEnd(b, offset, count);
            if (end <= 0)
            {
                return r; // garbage, or a head too long
            }

            int lineEnd = IndexOf(b, offset, end, (byte)'\n');
            int line = lineEnd > offset && b[lineEnd - 1] == (byte)'\r' ? lineEnd - 1 : lineEnd;
            int sp1 = IndexOf(b, offset, line, (byte)' ');
            if (sp1 <= offset || sp1 - offset > 32)
            {
                return r;
            }

            for (int i = offset; i < sp1; i++)
            {
                byte c = b[i];
                if (!(c >= (byte)'A' && c <= (byte)'Z') && c != (byte)'_' && c != (byte)'-')
                {
                    return r;
                }
            }

            int sp2 = IndexOf(b, sp1 + 1, line, (byte)' ');
            if (sp2 < 0 || line - sp2 != 9 || !Is(b, sp2 + 1, "HTTP/") || b[sp2 + 7] != (byte)'.' || !Digit(b[sp2 + 6]) || !Digit(b[sp2 + 8]))
            {
                return r;
            }

            string method = Encoding.ASCII.GetString(b, offset, sp1 - offset);
            int major = b[sp2 + 6] - '0';
            int minor = b[sp2 + 8] - '0';
            int target = sp1 + 1;
            if (method == "CONNECT" || !PathInRoot(b, target, sp2, out bool root))
            {
                return r;
            }

            if (major >= 2)
            {
                r.Status = 505;
                return r;
            }

            if (major != 1)
            {
                return r;
            }

            // Headers: Host, Connection, Content-Length, Transfer-Encoding.
            bool host = false;
            bool close = minor == 0;
            int bodyLength = 0;
            for (int p = lineEnd + 1; p < end;)
            {
                int next = IndexOf(b, p, end, (byte)'\n');
                int stop = next > p && b[next - 1] == (byte)'\r' ? next - 1 : next;
                if (stop > p)
                {
                    int colon = IndexOf(b, p, stop, (byte)':');
                    if (colon <= p)
                    {
                        return r;
                    }

                    string name = Encoding.ASCII.GetString(b, p, colon - p).ToLowerInvariant();
                    string value = Encoding.ASCII.GetString(b, colon + 1, stop - colon - 1).Trim().ToLowerInvariant();
                    if (name == "host")
                    {
                        host = true;
                    }
                    else if (name == "connection")
                    {
                        close = value == "close" || (minor == 0 && value != "keep-alive");
                    }
                    else if (name == "content-length")
                    {
                        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out bodyLength))
                        {
                            return r;
                        }
                    }
                    else if (name == "transfer-encoding")
                    {
                        bodyLength = -1; // chunked: answered, then closed
                    }
                }

                p = next + 1;
            }

            if (minor == 1 && !host)
            {
                return r; // HTTP/1.1 needs a Host (RFC 9112 §3.2)
            }

            r.Status = 0;
            r.Method = method;
            r.Root = root;
            r.KeepAlive = !close;
            r.HeadLength = end - offset;
            r.BodyLength = bodyLength;
            return r;
        }

        // The target is a path in the site ("/a/b", or an absolute http URL's path), with
        // ".." never climbing out of "/"; root: it names the page ("/", any query).
        private static bool PathInRoot(byte[] b, int start, int stop, out bool root)
        {
            root = false;
            int p = start;
            if (p < stop && b[p] != (byte)'/')
            {
                int scheme = Is(b, p, "http://") ? 7 : Is(b, p, "https://") ? 8 : 0;
                if (scheme == 0)
                {
                    return false;
                }

                p = IndexOf(b, p + scheme, stop, (byte)'/');
                if (p < 0)
                {
                    root = true;
                    return true;
                }
            }

            if (p >= stop)
            {
                return false;
            }

            int query = IndexOf(b, p, stop, (byte)'?');
            int end = query < 0 ? stop : query;
            int depth = 0;
            int segment = p + 1;
            for (int i = p + 1; i <= end; i++)
            {
                if (i < end && b[i] != (byte)'/')
                {
                    continue;
                }

                int length = i - segment;
                if (length == 2 && b[segment] == (byte)'.' && b[segment + 1] == (byte)'.')
                {
                    if (--depth < 0)
                    {
                        return false;
                    }
                }
                else if (length > 0 && !(length == 1 && b[segment] == (byte)'.'))
                {
                    depth++;
                }

                segment = i + 1;
            }

            root = depth == 0;
            return true;
        }

        // Could these bytes still become a request line? A method of capitals, '_' or '-' (nginx's
        // rule), then a space and a target that starts with '/' or 'h' (an absolute URL).
        private static bool CouldBeRequestLine(byte[] b, int offset, int count)
        {
            for (int i = offset; i < offset + count; i++)
            {
                byte c = b[i];
                if (c == (byte)' ')
                {
                    if (i == offset)
                    {
                        return false;
                    }

                    return i + 1 >= offset + count || b[i + 1] == (byte)'/' || b[i + 1] == (byte)'h';
                }

                if (!(c >= (byte)'A' && c <= (byte)'Z') && c != (byte)'_' && c != (byte)'-')
                {
                    return false;
                }
            }

            return count <= 32;
        }

        // Where the head ends (just after its blank line: CRLF CRLF or LF LF), or -1.
        private static int HeadEnd(byte[] b, int offset, int count)
        {
            for (int i = offset + 1; i < offset + count; i++)
            {
                if (b[i] == (byte)'\n' && (b[i - 1] == (byte)'\n' || (i - 2 >= offset && b[i - 1] == (byte)'\r' && b[i - 2] == (byte)'\n')))
                {
                    return i + 1;
                }
            }

            return -1;
        }

        private static byte[] ErrorPage(string status)
        {
            return Encoding.ASCII.GetBytes("<html>\r\n<head><title>" + status + "</title></head>\r\n<body>\r\n<center><h1>" + status
                + "</h1></center>\r\n<hr><center>" + ServerName + "</center>\r\n</body>\r\n</html>\r\n");
        }

        private static string Date(DateTime utc)
        {
            return utc.ToString("R", CultureInfo.InvariantCulture); // RFC 9110 §5.6.7 IMF-fixdate
        }

        private static int IndexOf(byte[] b, int from, int to, byte value)
        {
            for (int i = from; i < to; i++)
            {
                if (b[i] == value)
                {
                    return i;
                }
            }

            return -1;
        }

        private static bool Is(byte[] b, int at, string text)
        {
            if (at + text.Length > b.Length)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                if (b[at + i] != (byte)text[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static bool Digit(byte c)
        {
            return c >= (byte)'0' && c <= (byte)'9';
        }

        private static int Put(string ascii, byte[] buffer, int at)
        {
            for (int i = 0; i < ascii.Length; i++)
            {
                buffer[at + i] = (byte)ascii[i];
            }

            return ascii.Length;
        }
    }
}
