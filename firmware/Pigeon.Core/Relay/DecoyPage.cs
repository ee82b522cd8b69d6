using System;
using Pigeon.Text;

namespace Pigeon.Relay
{
    /// <summary>
    /// What a terminateTls route answers to an HTTP request inside its TLS (a censor's prober):
    /// the reply of a small ordinary web server, so the relay looks like an unremarkable HTTPS
    /// site. GET or HEAD of "/" gets the configured page (relay.decoyPage); other paths 404,
    /// other methods 405. No Server header (many servers send none), a Date, and the connection
    /// closes after the answer.
    /// </summary>
    public sealed class DecoyPage
    {
        /// <summary>The page served when the config names none: plain, like a fresh server's.</summary>
        public const string DefaultHtml = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Welcome</title></head>\n"
            + "<body><h1>Welcome</h1><p>This site is under construction.</p></body></html>\n";

        /// <summary>The longest head <see cref="WriteHead"/> writes (status line and headers).</summary>
        public const int MaxHeadLength = 192;

        private static readonly byte[] s_notFound = Utf8.GetBytes("<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body><h1>Not Found</h1></body></html>\n");
        private static readonly byte[] s_notAllowed = Utf8.GetBytes("<!DOCTYPE html>\n<html><head><title>405 Method Not Allowed</title></head>\n<body><h1>Method Not Allowed</h1></body></html>\n");
        private static readonly string[] s_days = new string[] { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
        private static readonly string[] s_months = new string[] { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

        private readonly byte[] _page;

        /// <summary>A decoy serving <paramref name="html"/> (null or empty: <see cref="DefaultHtml"/>).</summary>
        public DecoyPage(string html)
        {
            _page = Utf8.GetBytes(html == null || html.Length == 0 ? DefaultHtml : html);
        }

        /// <summary>The body to send after the head written last (empty for HEAD requests).</summary>
        public byte[] Body { get; private set; }

        /// <summary>Bytes of <see cref="Body"/> to send.</summary>
        public int BodyLength { get; private set; }

        /// <summary>
        /// Writes the response head for the request in <paramref name="request"/> into
        /// <paramref name="buffer"/> at <paramref name="offset"/> (room for <see cref="MaxHeadLength"/>)
        /// and sets <see cref="Body"/>. Returns the head's length.
        /// </summary>
        public int WriteHead(byte[] request, int requestOffset, int requestCount, byte[] buffer, int offset, DateTime utcNow)
        {
            int methodEnd = IndexOf(request, requestOffset, requestCount, (byte)' ');
            int methodLength = methodEnd < 0 ? 0 : methodEnd - requestOffset;
            bool get = Is(request, requestOffset, methodLength, "GET");
            bool head = Is(request, requestOffset, methodLength, "HEAD");
            string status;
            byte[] body;
            if (!get && !head)
            {
                status = "405 Method Not Allowed";
                body = s_notAllowed;
            }
            else if (IsRootPath(request, methodEnd + 1, requestOffset + requestCount))
            {
                status = "200 OK";
                body = _page;
            }
            else
            {
                status = "404 Not Found";
                body = s_notFound;
            }

            int p = offset;
            p += Put("HTTP/1.1 ", buffer, p);
            p += Put(status, buffer, p);
            p += Put("\r\nDate: ", buffer, p);
            p += WriteDate(utcNow, buffer, p);
            p += Put("\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ", buffer, p);
            p += Put(body.Length.ToString(), buffer, p);
            if (status[0] == '4' && status[2] == '5')
            {
                p += Put("\r\nAllow: GET, HEAD", buffer, p);
            }

            p += Put("\r\nConnection: close\r\n\r\n", buffer, p);
            Body = body;
            BodyLength = head ? 0 : body.Length;
            return p - offset;
        }

        // "/", "/index.html", with or without a query, before the next space.
        private static bool IsRootPath(byte[] request, int start, int end)
        {
            int p = start;
            if (p >= end || request[p] != (byte)'/')
            {
                return false;
            }

            p++;
            if (p + 10 <= end && Is(request, p, 10, "index.html"))
            {
                p += 10;
            }

            return p >= end || request[p] == (byte)' ' || request[p] == (byte)'?' || request[p] == (byte)'\r' || request[p] == (byte)'\n';
        }

        private static int IndexOf(byte[] buffer, int offset, int count, byte value)
        {
            for (int i = offset; i < offset + count; i++)
            {
                if (buffer[i] == value)
                {
                    return i;
                }
            }

            return -1;
        }

        private static bool Is(byte[] buffer, int offset, int length, string text)
        {
            if (length != text.Length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if (buffer[offset + i] != (byte)text[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static int Put(string ascii, byte[] buffer, int offset)
        {
            for (int i = 0; i < ascii.Length; i++)
            {
                buffer[offset + i] = (byte)ascii[i];
            }

            return ascii.Length;
        }

        // RFC 9110 §5.6.7 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
        private static int WriteDate(DateTime t, byte[] buffer, int offset)
        {
            int p = offset;
            p += Put(s_days[(int)t.DayOfWeek], buffer, p);
            p += Put(", ", buffer, p);
            p += Two(t.Day, buffer, p);
            buffer[p++] = (byte)' ';
            p += Put(s_months[t.Month - 1], buffer, p);
            buffer[p++] = (byte)' ';
            p += Put(t.Year.ToString(), buffer, p);
            buffer[p++] = (byte)' ';
            p += Two(t.Hour, buffer, p);
            buffer[p++] = (byte)':';
            p += Two(t.Minute, buffer, p);
            buffer[p++] = (byte)':';
            p += Two(t.Second, buffer, p);
            p += Put(" GMT", buffer, p);
            return p - offset;
        }

        private static int Two(int value, byte[] buffer, int offset)
        {
            buffer[offset] = (byte)('0' + (value / 10));
            buffer[offset + 1] = (byte)('0' + (value % 10));
            return 2;
        }
    }
}
