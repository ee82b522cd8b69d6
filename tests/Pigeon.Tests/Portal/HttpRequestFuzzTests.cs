// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Portal;
using Pigeon.Tests.Support;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Portal
{
    /// <summary>
    /// Truncated, oversized and garbled requests through the portal's reader and parser, from a
    /// fixed seed (<see cref="Fuzz"/>; the same cases on .NET and nanoCLR), arriving in random
    /// pieces. A request cut short is never taken as whole; a head over 2 KB or a body over 4 KB
    /// is refused by its size before it is read; noise is refused or parsed into a request whose
    /// fields are set. Nothing throws.
    /// </summary>
    [TestClass]
    public class HttpRequestFuzzTests
    {
        private const int Cases = 240;

        [TestMethod]
        public void Read_TruncatedOversizedAndGarbled_RefusedBySizeOrShape()
        {
            Fuzz fuzz = new Fuzz(0x4177);
            HttpRequest request = new HttpRequest();
            for (int i = 0; i < Cases; i++)
            {
                byte[] body = Bytes.Ascii("{\"wifi\":{\"ssid\":\"" + fuzz.Word(fuzz.Below(150)) + "\"}}");
                string head = (fuzz.OneIn(2) ? "POST /api/config" : "PUT /x") + " HTTP/1.1\r\nHost: 192.168.4.1\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.Length.ToString() + "\r\n" + (fuzz.OneIn(2) ? "Cookie: pigeon_session=" + fuzz.Word(32) + "\r\n" : "") + "\r\n";
                byte[] whole = Bytes.Concat(Bytes.Ascii(head), body);
                int kind = i % 6;
                byte[] sent = whole;
                int expected;
                int end = fuzz.OneIn(2) ? 0 : -1; // the client closes, or the connection is reset
                if (kind == 0 || kind == 1)
                {
                    sent = Bytes.Prefix(whole, kind == 0 ? fuzz.Below(head.Length) : head.Length + fuzz.Below(body.Length)); // cut in the head, or in the body
                    expected = sent.Length == 0 || end < 0 ? (int)HttpReadResult.Closed : (int)HttpReadResult.BadRequest;
                }
                else if (kind == 2)
                {
                    string pad = "X-Pad: " + fuzz.Word(fuzz.Between(HttpRequest.MaxHead, HttpRequest.MaxHead + 1500));
                    sent = Bytes.Ascii("GET / HTTP/1.1\r\nHost: 192.168.4.1\r\n" + pad + "\r\n\r\n");
                    expected = (int)HttpReadResult.HeadTooLarge;
                }
                else if (kind == 3)
                {
                    string length = fuzz.OneIn(2) ? fuzz.Between(HttpRequest.MaxBody + 1, 2000000000).ToString() : "999999999999999999" + fuzz.Between(0, 9).ToString();
                    sent = Bytes.Ascii("POST /api/config HTTP/1.1\r\nHost: 192.168.4.1\r\nContent-Length: " + length + "\r\n\r\n");
                    expected = (int)HttpReadResult.BodyTooLarge; // refused before a byte of the body is read
                }
                else if (kind == 4)
                {
                    sent = fuzz.Flip(whole, 6);
                    expected = -1;
                }
                else
                {
                    sent = Bytes.Concat(fuzz.Bytes(fuzz.Below(300)), Bytes.Ascii("\r\n\r\n"));
                    expected = -1;
                }

                ScriptedConnection c = new ScriptedConnection(end);
                int at = 0;
                while (at < sent.Length)
                {
                    int piece = fuzz.Between(1, 1 + fuzz.Below(3) * 200);
                    piece = piece < sent.Length - at ? piece : sent.Length - at;
                    c.Then(Bytes.Prefix(Slice(sent, at), piece));
                    at += piece;
                }

                HttpReadResult r = HttpRequestReader.Read(c, request);
                string what = Fuzz.Describe(i, sent, sent.Length) + " -> " + ((int)r).ToString();
                Assert.IsTrue((int)r >= 0 && (int)r <= 7, what);
                if (expected >= 0)
                {
                    Assert.AreEqual(expected, (int)r, what);
                }

                if (r == HttpReadResult.Ok)
                {
                    Assert.IsTrue(request.Method.Length > 0 && request.Path.Length > 0 && request.Path[0] == '/', what);
                    Assert.IsTrue(request.BodyLength >= 0 && request.BodyLength <= HttpRequest.MaxBody, what);
                }
            }
        }

        private static byte[] Slice(byte[] data, int from)
        {
            byte[] rest = new byte[data.Length - from];
            System.Array.Copy(data, from, rest, 0, rest.Length);
            return rest;
        }
    }
}
