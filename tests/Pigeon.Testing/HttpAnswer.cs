using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;

namespace Pigeon.Testing
{
    /// <summary>
    /// What the portal answered to raw request bytes: the whole response as read until the
    /// portal closed (it closes after every answer), its status code (0 = no answer), and
    /// how the connection ended.
    /// </summary>
    public sealed class HttpAnswer
    {
        /// <summary>The status code; 0 when nothing parseable came back.</summary>
        public int Status { get; private set; }

        /// <summary>Every byte the portal sent, as Latin-1 text (headers and body).</summary>
        public string Raw { get; private set; } = string.Empty;

        /// <summary>The body (after the blank line).</summary>
        public string Body { get; private set; } = string.Empty;

        /// <summary>True when the portal closed the connection (FIN or reset) within the wait.</summary>
        public bool Closed { get; private set; }

        /// <summary>How many status lines the bytes hold (a pipelined second answer would make 2).</summary>
        public int Answers { get; private set; }

        /// <summary>Milliseconds until the first byte of the answer (-1: none).</summary>
        public double FirstByteMs { get; private set; } = -1;

        /// <summary>A header's value, or null.</summary>
        public string Header(string name)
        {
            int end = Raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            string head = end < 0 ? Raw : Raw.Substring(0, end);
            foreach (string line in head.Split("\r\n"))
            {
                int colon = line.IndexOf(':');
                if (colon > 0 && string.Equals(line.Substring(0, colon), name, StringComparison.OrdinalIgnoreCase))
                {
                    return line.Substring(colon + 1).Trim();
                }
            }

            return null;
        }

        /// <summary>
        /// Sends <paramref name="request"/> to the portal from <paramref name="from"/> and reads until
        /// it closes; with <paramref name="finish"/>, sends a FIN after the request (a client that
        /// has nothing more to say: the portal must answer or close at once, not wait).
        /// </summary>
        public static HttpAnswer Send(int port, byte[] request, string from = Loopback.Legit, int timeoutMs = 5000, bool finish = false)
        {
            using Socket s = Loopback.Connect(port, from);
            return Exchange(s, request, timeoutMs, finish);
        }

        /// <summary>A request with a JSON body (or none), the session cookie and CSRF token when given.</summary>
        public static HttpAnswer Json(int port, string method, string path, string body, string cookie = null, string csrf = null, string from = Loopback.Legit)
        {
            byte[] payload = body == null ? Array.Empty<byte>() : Encoding.UTF8.GetBytes(body);
            return Send(port, Request(port, method, path, payload, cookie, csrf), from);
        }

        /// <summary>The bytes of a well-formed request.</summary>
        public static byte[] Request(int port, string method, string path, byte[] body, string cookie = null, string csrf = null)
        {
            StringBuilder head = new StringBuilder();
            head.Append(method).Append(' ').Append(path).Append(" HTTP/1.1\r\nHost: 127.0.0.1:").Append(port).Append("\r\n");
            if (cookie != null)
            {
                head.Append("Cookie: ").Append(cookie).Append("\r\n");
            }

            if (csrf != null)
            {
                head.Append("X-CSRF-Token: ").Append(csrf).Append("\r\n");
            }

            if (method == "POST")
            {
                head.Append("Content-Type: application/json\r\nContent-Length: ").Append(body.Length).Append("\r\n");
            }

            head.Append("\r\n");
            byte[] headBytes = Encoding.ASCII.GetBytes(head.ToString());
            byte[] all = new byte[headBytes.Length + body.Length];
            headBytes.CopyTo(all, 0);
            body.CopyTo(all, headBytes.Length);
            return all;
        }

        /// <summary>Writes <paramref name="request"/> on an open connection and reads the answer until the portal closes.</summary>
        public static HttpAnswer Exchange(Socket s, byte[] request, int timeoutMs, bool finish = false)
        {
            HttpAnswer answer = new HttpAnswer();
            Stopwatch watch = Stopwatch.StartNew();
            if (Loopback.SendAll(s, request) && finish)
            {
                try
                {
                    s.Shutdown(SocketShutdown.Send);
                }
                catch (SocketException)
                {
                    // reset by the portal already: what it sent is still read below
                }
            }
            MemoryStream got = new MemoryStream();
            byte[] buffer = new byte[16384];
            try
            {
                while (true)
                {
                    int left = timeoutMs - (int)watch.ElapsedMilliseconds;
                    if (left <= 0 || !s.Poll(left * 1000, SelectMode.SelectRead))
                    {
                        break;
                    }

                    int n = s.Receive(buffer);
                    if (n == 0)
                    {
                        answer.Closed = true;
                        break;
                    }

                    if (answer.FirstByteMs < 0)
                    {
                        answer.FirstByteMs = watch.Elapsed.TotalMilliseconds;
                    }

                    got.Write(buffer, 0, n);
                }
            }
            catch (SocketException)
            {
                answer.Closed = true; // reset
            }

            answer.Parse(got.ToArray());
            return answer;
        }

        private void Parse(byte[] bytes)
        {
            Raw = Encoding.Latin1.GetString(bytes);
            int end = Raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            Body = end < 0 ? string.Empty : Raw.Substring(end + 4);
            if (Raw.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && Raw.Length >= 12 && int.TryParse(Raw.AsSpan(9, 3), out int status))
            {
                Status = status;
            }

            int at = 0;
            while ((at = Raw.IndexOf("HTTP/1.", at, StringComparison.Ordinal)) >= 0)
            {
                if (at == 0 || Raw.Substring(0, at).EndsWith("\n", StringComparison.Ordinal))
                {
                    Answers++;
                }

                at++;
            }
        }
    }
}
