using System;
using System.Collections.Generic;
using System.Text;

namespace Pigeon.Abuse
{
    /// <summary>
    /// Hostile requests for the portal, each with the answers a correct server may give
    /// (docs/portal.md, "How a request is handled"; 0 = closed without an answer): oversized
    /// heads, bad methods and versions, framing tricks, pipelined junk, and seeded mutations of a
    /// well-formed request. None may get a 5xx other than 501/505, and none may hang.
    /// </summary>
    public static class HostileHttp
    {
        /// <summary>Answers any hostile request may get: the portal's refusals (429 once a mutated login's wrong password locks its address), or the page itself.</summary>
        public static readonly int[] AnyCorrect = { 0, 200, 302, 400, 401, 404, 405, 411, 413, 415, 429, 431, 501, 505 };

        /// <summary>The fixed list: (name, bytes, allowed answers).</summary>
        public static List<(string Name, byte[] Bytes, int[] Allowed)> Fixed(int port)
        {
            string host = "Host: 127.0.0.1:" + port + "\r\n";
            List<(string, byte[], int[])> list = new List<(string, byte[], int[])>
            {
                ("a well-formed GET / (control)", A("GET / HTTP/1.1\r\n" + host + "\r\n"), new[] { 200 }),
                ("3 KB of headers", A("GET / HTTP/1.1\r\n" + host + "X-Pad: " + new string('a', 3000) + "\r\n\r\n"), new[] { 431 }),
                ("64 KB of headers in one write", A("GET / HTTP/1.1\r\n" + host + Mutator.Repeat("X-Pad: " + new string('b', 1000) + "\r\n", 64) + "\r\n"), new[] { 431 }),
                ("a 4 KB request target", A("GET /" + new string('c', 4096) + " HTTP/1.1\r\n" + host + "\r\n"), new[] { 431, 414 }),
                ("Content-Length 1000000000", A("POST /api/login HTTP/1.1\r\n" + host + "Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{"), new[] { 413 }),
                ("POST without Content-Length", A("POST /api/login HTTP/1.1\r\n" + host + "Content-Type: application/json\r\n\r\n{}"), new[] { 411 }),
                ("chunked body", A("POST /api/login HTTP/1.1\r\n" + host + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"), new[] { 501 }),
                ("Content-Length and Transfer-Encoding", A("POST /api/login HTTP/1.1\r\n" + host + "Content-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}"), new[] { 400, 501 }),
                ("two different Content-Lengths", A("POST /api/login HTTP/1.1\r\n" + host + "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{} "), new[] { 400 }),
                ("negative Content-Length", A("POST /api/login HTTP/1.1\r\n" + host + "Content-Type: application/json\r\nContent-Length: -1\r\n\r\n{}"), new[] { 400 }),
                ("a body shorter than announced, then FIN", A("POST /api/login HTTP/1.1\r\n" + host + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{}"), new[] { 400, 0 }),
                ("HTTP/2.0", A("GET / HTTP/2.0\r\n" + host + "\r\n"), new[] { 505 }),
                ("HTTP/9.9", A("GET / HTTP/9.9\r\n" + host + "\r\n"), new[] { 505, 400 }),
                ("no version", A("GET /\r\n" + host + "\r\n"), new[] { 400 }),
                ("method with a non-token byte", A("G@T / HTTP/1.1\r\n" + host + "\r\n"), new[] { 400 }),
                ("lower-case method", A("get / HTTP/1.1\r\n" + host + "\r\n"), new[] { 400, 405, 501 }),
                ("PROPFIND", A("PROPFIND / HTTP/1.1\r\n" + host + "\r\n"), new[] { 405, 501 }),
                ("DELETE /api/config", A("DELETE /api/config HTTP/1.1\r\n" + host + "\r\n"), new[] { 405 }),
                ("CONNECT authority-form", A("CONNECT 127.0.0.1:443 HTTP/1.1\r\n" + host + "\r\n"), new[] { 400, 405 }),
                ("a 300-letter method", A(new string('A', 300) + " / HTTP/1.1\r\n" + host + "\r\n"), new[] { 400, 405, 501 }),
                ("NUL before the method", Mutator.Cat(new byte[] { 0 }, A("GET / HTTP/1.1\r\n" + host + "\r\n")), new[] { 400 }),
                ("NUL in a header value", A("GET / HTTP/1.1\r\n" + host + "X-A: a\0b\r\n\r\n"), new[] { 400 }),
                ("bare LF line ends", A("GET / HTTP/1.1\n" + host.Replace("\r", string.Empty) + "\n"), new[] { 400 }),
                ("obs-fold", A("GET / HTTP/1.1\r\n" + host + "X-A: a\r\n b\r\n\r\n"), new[] { 400 }),
                ("space before a colon", A("GET / HTTP/1.1\r\n" + host + "X-A : a\r\n\r\n"), new[] { 400 }),
                ("no Host", A("GET / HTTP/1.1\r\n\r\n"), new[] { 400 }),
                ("two Hosts", A("GET / HTTP/1.1\r\n" + host + host + "\r\n"), new[] { 400 }),
                ("absolute-form target", A("GET http://evil.example/ HTTP/1.1\r\n" + host + "\r\n"), new[] { 400 }),
                ("path traversal", A("GET /../../../../etc/passwd HTTP/1.1\r\n" + host + "\r\n"), new[] { 200, 400, 404 }),
                ("encoded path traversal", A("GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n" + host + "\r\n"), new[] { 200, 400, 404 }),
                ("the config without a session", A("GET /api/config HTTP/1.1\r\n" + host + "\r\n"), new[] { 401 }),
                ("/metrics without the token", A("GET /metrics HTTP/1.1\r\n" + host + "\r\n"), new[] { 401, 404 }),
                ("/metrics with a wrong token", A("GET /metrics HTTP/1.1\r\n" + host + "Authorization: Bearer wrong-token-wrong-token\r\n\r\n"), new[] { 401, 404 }),
                ("a forged session cookie", A("GET /api/config HTTP/1.1\r\n" + host + "Cookie: pigeon_session=" + new string('0', 32) + "\r\n\r\n"), new[] { 401 }),
                ("two pipelined GETs (one answer, then close)", A("GET / HTTP/1.1\r\n" + host + "\r\nGET / HTTP/1.1\r\n" + host + "\r\n"), new[] { 200 }),
                ("GET then 2 KB of junk", Mutator.Cat(A("GET / HTTP/1.1\r\n" + host + "\r\n"), Mutator.Junk(new Random(1), 2048)), new[] { 200 }),
                ("a login then a pipelined second login", A("POST /api/login HTTP/1.1\r\n" + host + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}POST /api/login HTTP/1.1\r\n"), new[] { 400, 401 }),
                ("a TLS ClientHello", Configs.MediaHello(), new[] { 400, 0 }),
                ("nothing at all, then FIN", Array.Empty<byte>(), new[] { 0 }),
                ("CR LF only", A("\r\n\r\n\r\n"), new[] { 400, 0 }),
            };
            return list;
        }

        /// <summary>A seeded mutation of a well-formed request (<see cref="Mutator.Edit"/>), or now and then pure garbage.</summary>
        public static byte[] Mutation(Random random, int port)
        {
            string[] bases =
            {
                "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept-Encoding: gzip\r\n\r\n",
                "GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n",
                "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{\"password\":\"wrong\"}",
                "GET /generate_204 HTTP/1.1\r\nHost: connectivitycheck.gstatic.com\r\n\r\n",
            };
            if (random.Next(8) == 0)
            {
                return Mutator.Junk(random, 1 + random.Next(3000));
            }

            return Mutator.Edit(Encoding.ASCII.GetBytes(bases[random.Next(bases.Length)]), random, 1 + random.Next(4),
                Mutator.Tokens("\r\n", ":", " ", "\0", "Content-Length: 5\r\n", "Host: x\r\n", "%00", "\r\n\r\n", "Transfer-Encoding: chunked\r\n"));
        }

        private static byte[] A(string text)
        {
            return Encoding.Latin1.GetBytes(text);
        }
    }
}
