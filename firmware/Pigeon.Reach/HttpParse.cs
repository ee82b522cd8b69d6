using Pigeon.Text;
using Pigeon.Tls;

namespace Pigeon.Reach
{
    /// <summary>
    /// Parses one HTTP/1.x response held whole in a buffer (RFC 9112). Never throws, never reads
    /// past <c>length</c>, never recurses.
    /// <code>
    /// HTTP/1.1 SP 3DIGIT SP reason CRLF
    /// *( name ":" OWS value OWS CRLF )          (at most 64 header lines)
    /// CRLF
    /// body: Content-Length bytes | chunked | everything until the server closes
    /// chunked: 1*HEXDIG [ ";" ext ] CRLF data CRLF ... "0" CRLF *(trailer CRLF) CRLF
    /// </code>
    /// </summary>
    public static class HttpParse
    {
        /// <summary>Header lines beyond this are refused (a router sends about ten).</summary>
        public const int MaxHeaderLines = 64;

        /// <summary>
        /// Returns the response, a <see cref="HttpOutcome.Malformed"/> one, or null when more bytes
        /// are needed and <paramref name="complete"/> is false (the server has not closed yet).
        /// </summary>
        public static RouterResponse Parse(byte[] buffer, int length, bool complete)
        {
            int headEnd = IndexOf(buffer, 0, length, "\r\n\r\n");
            if (headEnd < 0)
            {
                return complete ? RouterResponse.Failed(HttpOutcome.Malformed) : null;
            }

            // Status line: "HTTP/1.x NNN".
            if (headEnd < 12 || !StartsWith(buffer, 0, "HTTP/1.") || buffer[8] != (byte)' ')
            {
                return RouterResponse.Failed(HttpOutcome.Malformed);
            }

            int status = 0;
            for (int i = 9; i < 12; i++)
            {
                byte b = buffer[i];
                if (b < (byte)'0' || b > (byte)'9')
                {
                    return RouterResponse.Failed(HttpOutcome.Malformed);
                }

                status = (status * 10) + (b - '0');
            }

            int contentLength = -1;
            bool chunked = false;
            int lines = 0;
            int lineStart = IndexOf(buffer, 0, headEnd + 2, "\r\n") + 2;
            while (lineStart < headEnd + 2)
            {
                int lineEnd = IndexOf(buffer, lineStart, headEnd + 2, "\r\n");
                if (lineEnd < 0 || ++lines > MaxHeaderLines)
                {
                    return RouterResponse.Failed(HttpOutcome.Malformed);
                }

                if (HeaderIs(buffer, lineStart, lineEnd, "content-length:"))
                {
                    if (contentLength >= 0 || !ParseDecimal(buffer, lineStart + 15, lineEnd, out contentLength))
                    {
                        return RouterResponse.Failed(HttpOutcome.Malformed); // two lengths: refuse (RFC 9112 6.3)
                    }
                }
                else if (HeaderIs(buffer, lineStart, lineEnd, "transfer-encoding:"))
                {
                    chunked = ContainsLower(buffer, lineStart + 18, lineEnd, "chunked");
                }

                lineStart = lineEnd + 2;
            }

            int bodyStart = headEnd + 4;
            RouterResponse response = new RouterResponse();
            response.Status = status;
            if (chunked)
            {
                int decoded;
                int state = Dechunk(buffer, bodyStart, length, out decoded);
                if (state == 0)
                {
                    return complete ? RouterResponse.Failed(HttpOutcome.Malformed) : null;
                }

                if (state < 0)
                {
                    return RouterResponse.Failed(HttpOutcome.Malformed);
                }

                response.Body = Ascii.GetString(buffer, bodyStart, decoded);
            }
            else if (contentLength >= 0)
            {
                if (length - bodyStart < contentLength)
                {
                    return complete ? RouterResponse.Failed(HttpOutcome.Malformed) : null;
                }

                response.Body = Ascii.GetString(buffer, bodyStart, contentLength);
            }
            else
            {
                if (!complete)
                {
                    return null;
                }

                response.Body = Ascii.GetString(buffer, bodyStart, length - bodyStart);
            }

            response.Outcome = HttpOutcome.Ok;
            return response;
        }

        /// <summary>
        /// Decodes chunked data in place (the output never overtakes the input). Returns 1 when
        /// the last chunk was read, 0 when more bytes are needed, -1 when the framing is broken.
        /// </summary>
        private static int Dechunk(byte[] buffer, int start, int length, out int decoded)
        {
            decoded = 0;
            int read = start;
            int write = start;
            while (true)
            {
                int lineEnd = IndexOf(buffer, read, length, "\r\n");
                if (lineEnd < 0)
                {
                    return length - read > 16 ? -1 : 0; // a size line is at most 7 digits plus a short extension
                }

                int size = 0;
                int digits = 0;
                for (int i = read; i < lineEnd && buffer[i] != (byte)';'; i++)
                {
                    int v = Hex.Value(buffer[i]);
                    if (v < 0 || ++digits > 7)
                    {
                        return -1; // 7 hex digits = 256 MB: far beyond any cap here
                    }

                    size = (size << 4) | v;
                }

                if (digits == 0)
                {
                    return -1;
                }

                read = lineEnd + 2;
                if (size == 0)
                {
                    decoded = write - start;
                    return 1; // trailers, if any, are ignored
                }

                if (length - read < size + 2)
                {
                    return 0;
                }

                if (buffer[read + size] != (byte)'\r' || buffer[read + size + 1] != (byte)'\n')
                {
                    return -1;
                }

                System.Array.Copy(buffer, read, buffer, write, size);
                write += size;
                read += size + 2;
            }
        }

        /// <summary>Index of an ASCII marker in buffer[from, to), or -1.</summary>
        public static int IndexOf(byte[] buffer, int from, int to, string marker)
        {
            for (int i = from; i <= to - marker.Length; i++)
            {
                int j = 0;
                while (j < marker.Length && buffer[i + j] == (byte)marker[j])
                {
                    j++;
                }

                if (j == marker.Length)
                {
                    return i;
                }
            }

            return -1;
        }

        private static bool StartsWith(byte[] buffer, int offset, string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (buffer[offset + i] != (byte)text[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static bool HeaderIs(byte[] buffer, int start, int end, string lowerName)
        {
            if (end - start < lowerName.Length)
            {
                return false;
            }

            for (int i = 0; i < lowerName.Length; i++)
            {
                if (Ascii.ToLower(buffer[start + i]) != (byte)lowerName[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static bool ContainsLower(byte[] buffer, int start, int end, string lower)
        {
            for (int i = start; i <= end - lower.Length; i++)
            {
                int j = 0;
                while (j < lower.Length && Ascii.ToLower(buffer[i + j]) == (byte)lower[j])
                {
                    j++;
                }

                if (j == lower.Length)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool ParseDecimal(byte[] buffer, int start, int end, out int value)
        {
            value = 0;
            int digits = 0;
            for (int i = start; i < end; i++)
            {
                byte b = buffer[i];
                if (b == (byte)' ' || b == (byte)'\t')
                {
                    if (digits > 0)
                    {
                        // trailing whitespace only
                        for (int k = i; k < end; k++)
                        {
                            if (buffer[k] != (byte)' ' && buffer[k] != (byte)'\t')
                            {
                                return false;
                            }
                        }

                        break;
                    }

                    continue;
                }

                if (b < (byte)'0' || b > (byte)'9' || ++digits > 9)
                {
                    return false;
                }

                value = (value * 10) + (b - '0');
            }

            return digits > 0;
        }
    }
}
