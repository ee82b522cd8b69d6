using Pigeon.Tls;
using Pigeon.Text;

namespace Pigeon.Portal
{
    /// <summary>
    /// Parses an HTTP/1.1 request head (RFC 9112) from bytes. Strict, because the portal is
    /// small and talks to browsers only: anything a browser never sends is a 400.
    /// </summary>
    /// <remarks>
    /// <code>
    /// request-line = method SP request-target SP HTTP-version CRLF     (RFC 9112 section 3)
    /// field-line   = field-name ":" OWS field-value OWS CRLF           (section 5)
    /// head         = request-line *( field-line ) CRLF
    /// </code>
    /// Refused with 400: a bare LF or CR, whitespace before the colon (section 5.1), obs-fold
    /// (section 5.2), a target not in origin-form, a missing or repeated Host in HTTP/1.1
    /// (section 3.2), differing or non-digit Content-Length (section 6.3). Transfer-Encoding
    /// gives 501 (no chunked bodies here), a body over the cap 413, a POST without length 411.
    /// </remarks>
    public static class HttpRequestParser
    {
        // What a header name may hold besides letters and digits (RFC 9110 section 5.6.2, tchar).
        private const string TokenSymbols = "!#$%&'*+-.^_`|~";

        /// <summary>
        /// Where the head ends in the first <paramref name="count"/> bytes, looking from
        /// <paramref name="from"/>: the index just past the blank line's CRLF, 0 when not there
        /// yet, -1 when a bare LF already makes it malformed.
        /// </summary>
        public static int FindHeadEnd(byte[] buffer, int from, int count)
        {
            for (int i = from; i < count; i++)
            {
                if (buffer[i] != '\n')
                {
                    continue;
                }

                if (i == 0 || buffer[i - 1] != '\r')
                {
                    return -1; // bare LF (RFC 9112 section 2.2 lets servers refuse it; we do)
                }

                if (i >= 3 && buffer[i - 2] == '\n' && buffer[i - 3] == '\r')
                {
                    return i + 1;
                }
            }

            return 0;
        }

        /// <summary>Parses the head in the first <paramref name="length"/> bytes (ending CRLF CRLF) into <paramref name="into"/>.</summary>
        public static HttpReadResult ParseHead(byte[] buffer, int length, HttpRequest into)
        {
            into.Clear();
            int lineEnd = LineEnd(buffer, 0, length);
            if (lineEnd <= 0)
            {
                return HttpReadResult.BadRequest;
            }

            HttpReadResult result = ParseRequestLine(buffer, lineEnd, into);
            if (result != HttpReadResult.Ok)
            {
                return result;
            }

            int hostCount = 0;
            bool transferEncoding = false;
            int pos = lineEnd + 2;
            while (true)
            {
                int end = LineEnd(buffer, pos, length);
                if (end < 0)
                {
                    return HttpReadResult.BadRequest;
                }

                if (end == pos)
                {
                    break; // the blank line
                }

                byte first = buffer[pos];
                if (first == ' ' || first == '\t')
                {
                    return HttpReadResult.BadRequest; // obs-fold
                }

                int colon = -1;
                for (int i = pos; i < end; i++)
                {
                    if (buffer[i] == ':')
                    {
                        colon = i;
                        break;
                    }

                    if (!IsToken(buffer[i]))
                    {
                        return HttpReadResult.BadRequest; // includes whitespace before the colon
                    }
                }

                if (colon <= pos)
                {
                    return HttpReadResult.BadRequest;
                }

                string name = Lower(buffer, pos, colon - pos);
                int vs = colon + 1;
                int ve = end;
                while (vs < ve && (buffer[vs] == ' ' || buffer[vs] == '\t'))
                {
                    vs++;
                }

                while (ve > vs && (buffer[ve - 1] == ' ' || buffer[ve - 1] == '\t'))
                {
                    ve--;
                }

                for (int i = vs; i < ve; i++)
                {
                    byte b = buffer[i];
                    if ((b < 0x20 && b != '\t') || b == 0x7F)
                    {
                        return HttpReadResult.BadRequest; // CR, NUL and other controls inside a value
                    }
                }

                // An if chain, not a switch: a switch on more than six strings compiles to a string
                // hash and a search over it, which is more byte code on the board than the chain.
                if (name == "host")
                {
                    hostCount++;
                    into.HostHeader = Ascii.GetString(buffer, vs, ve - vs);
                    into.Host = HostPart(into.HostHeader);
                }
                else if (name == "content-length")
                {
                    int value = Digits(buffer, vs, ve - vs);
                    if (value == -1 || (into.ContentLength >= 0 && into.ContentLength != value))
                    {
                        return HttpReadResult.BadRequest;
                    }

                    if (value == -2)
                    {
                        return HttpReadResult.BodyTooLarge;
                    }

                    into.ContentLength = value;
                }
                else if (name == "transfer-encoding")
                {
                    transferEncoding = true;
                }
                else if (name == "cookie")
                {
                    into.Cookie = into.Cookie.Length == 0 ? Ascii.GetString(buffer, vs, ve - vs) : into.Cookie + "; " + Ascii.GetString(buffer, vs, ve - vs);
                }
                else if (name == "authorization")
                {
                    into.Authorization = Ascii.GetString(buffer, vs, ve - vs);
                }
                else if (name == "x-csrf-token")
                {
                    into.CsrfToken = Ascii.GetString(buffer, vs, ve - vs);
                }
                else if (name == "origin")
                {
                    into.Origin = Ascii.GetString(buffer, vs, ve - vs);
                }
                else if (name == "content-type")
                {
                    string type = Lower(buffer, vs, ve - vs);
                    int semi = type.IndexOf(';');
                    into.ContentType = (semi >= 0 ? type.Substring(0, semi) : type).Trim();
                }
                else if (name == "accept-encoding")
                {
                    into.AcceptsGzip = ListsGzip(Lower(buffer, vs, ve - vs));
                }

                pos = end + 2;
            }

            if (transferEncoding)
            {
                return HttpReadResult.NotImplemented;
            }

            if (!into.Http10 && hostCount != 1)
            {
                return HttpReadResult.BadRequest;
            }

            if (hostCount > 1)
            {
                return HttpReadResult.BadRequest;
            }

            if (into.ContentLength > HttpRequest.MaxBody)
            {
                return HttpReadResult.BodyTooLarge;
            }

            if (into.ContentLength < 0 && (into.Method == "POST" || into.Method == "PUT"))
            {
                return HttpReadResult.LengthRequired;
            }

            return HttpReadResult.Ok;
        }

        private static HttpReadResult ParseRequestLine(byte[] b, int end, HttpRequest into)
        {
            int sp1 = -1;
            for (int i = 0; i < end; i++)
            {
                if (b[i] == ' ')
                {
                    sp1 = i;
                    break;
                }

                if (!IsToken(b[i]))
                {
                    return HttpReadResult.BadRequest;
                }
            }

            if (sp1 <= 0)
            {
                return HttpReadResult.BadRequest;
            }

            int sp2 = -1;
            for (int i = sp1 + 1; i < end; i++)
            {
                if (b[i] == ' ')
                {
                    sp2 = i;
                    break;
                }

                if (b[i] <= 0x20 || b[i] >= 0x7F)
                {
                    return HttpReadResult.BadRequest;
                }
            }

            if (sp2 <= sp1 + 1 || b[sp1 + 1] != '/')
            {
                return HttpReadResult.BadRequest; // empty target, or not origin-form ("/path?query")
            }

            int vlen = end - sp2 - 1;
            if (vlen != 8 || b[sp2 + 1] != 'H' || b[sp2 + 2] != 'T' || b[sp2 + 3] != 'T' || b[sp2 + 4] != 'P'
                || b[sp2 + 5] != '/' || b[sp2 + 7] != '.' || b[sp2 + 6] < '0' || b[sp2 + 6] > '9' || b[sp2 + 8] < '0' || b[sp2 + 8] > '9')
            {
                return HttpReadResult.BadRequest;
            }

            if (b[sp2 + 6] != '1')
            {
                return HttpReadResult.VersionNotSupported;
            }

            into.Http10 = b[sp2 + 8] == '0';
            into.Method = Ascii.GetString(b, 0, sp1);
            string target = Ascii.GetString(b, sp1 + 1, sp2 - sp1 - 1);
            int q = target.IndexOf('?');
            into.Path = q >= 0 ? target.Substring(0, q) : target;
            into.Query = q >= 0 ? target.Substring(q + 1) : string.Empty;
            return HttpReadResult.Ok;
        }

        /// <summary>Index of the CR of the CRLF ending the line that starts at <paramref name="from"/>; -1 on a bare CR or none.</summary>
        private static int LineEnd(byte[] b, int from, int length)
        {
            for (int i = from; i + 1 < length; i++)
            {
                if (b[i] == '\r')
                {
                    return b[i + 1] == '\n' ? i : -1;
                }

                if (b[i] == '\n')
                {
                    return -1;
                }
            }

            return -1;
        }

        /// <summary>tchar of RFC 9110 section 5.6.2.</summary>
        private static bool IsToken(byte c)
        {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || TokenSymbols.IndexOf((char)c) >= 0;
        }

        /// <summary>Non-negative decimal; -1 when not all digits or empty, -2 when larger than the body cap.</summary>
        private static int Digits(byte[] b, int at, int count)
        {
            if (count == 0)
            {
                return -1;
            }

            int value = 0;
            for (int i = 0; i < count; i++)
            {
                byte c = b[at + i];
                if (c < '0' || c > '9')
                {
                    return -1;
                }

                if (value <= HttpRequest.MaxBody)
                {
                    value = (value * 10) + (c - '0');
                }
            }

            return value > HttpRequest.MaxBody ? -2 : value;
        }

        private static bool ListsGzip(string value)
        {
            string[] codings = value.Split(',');
            for (int i = 0; i < codings.Length; i++)
            {
                string coding = codings[i].Trim();
                int semi = coding.IndexOf(';');
                string name = semi >= 0 ? coding.Substring(0, semi).Trim() : coding;
                if (name == "gzip")
                {
                    string rest = semi >= 0 ? coding.Substring(semi + 1).Trim() : string.Empty;
                    return rest != "q=0" && rest != "q=0.0" && rest != "q=0.00" && rest != "q=0.000"; // RFC 9110 section 12.5.3
                }
            }

            return false;
        }

        private static string HostPart(string host)
        {
            string h = host.ToLower();
            if (h.Length > 0 && h[0] == '[')
            {
                int close = h.IndexOf(']');
                return close > 0 ? h.Substring(0, close + 1) : h;
            }

            int colon = h.IndexOf(':');
            h = colon >= 0 ? h.Substring(0, colon) : h;
            return h.TrimEnd('.');
        }

        // ASCII lower case on the bytes (no culture: header names and media types are ASCII).
        private static string Lower(byte[] b, int at, int count)
        {
            char[] chars = new char[count];
            for (int i = 0; i < count; i++)
            {
                chars[i] = (char)Ascii.ToLower(b[at + i]);
            }

            return new string(chars);
        }
    }
}
