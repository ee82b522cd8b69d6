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
    [TestClass]
    public class HttpRequestReaderTests
    {
        private static HttpReadResult Read(ScriptedConnection connection, HttpRequest request)
        {
            return HttpRequestReader.Read(connection, request);
        }

        [TestMethod]
        public void Read_SimpleGet_ParsesLineAndHeaders()
        {
            ScriptedConnection c = new ScriptedConnection(0).Then("GET /api/status?x=1 HTTP/1.1\r\nHost: 192.168.4.1:80\r\nAccept-Encoding: gzip, deflate, br\r\nCookie: a=b; pigeon_session=abc\r\n\r\n");
            HttpRequest r = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.Ok, (int)Read(c, r));
            Assert.AreEqual("GET", r.Method);
            Assert.AreEqual("/api/status", r.Path);
            Assert.AreEqual("x=1", r.Query);
            Assert.AreEqual("192.168.4.1", r.Host);
            Assert.AreEqual("192.168.4.1:80", r.HostHeader);
            Assert.IsTrue(r.AcceptsGzip);
            Assert.AreEqual("abc", r.GetCookie("pigeon_session"));
            Assert.AreEqual(0, r.BodyLength);
        }

        [TestMethod]
        public void Read_HeadSplitAcrossOneByteReads_Parses()
        {
            string text = "POST /api/login HTTP/1.1\r\nHost: Portal.Local.\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 5\r\n\r\nhello";
            ScriptedConnection c = new ScriptedConnection(0);
            for (int i = 0; i < text.Length; i++)
            {
                c.Then(text.Substring(i, 1));
            }

            HttpRequest r = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.Ok, (int)Read(c, r));
            Assert.AreEqual("portal.local", r.Host);
            Assert.AreEqual("application/json", r.ContentType);
            Assert.AreEqual(5, r.BodyLength);
            Assert.AreEqual("hello", Bytes.Text(r.Body, 0, 5));
        }

        [TestMethod]
        public void Read_PipelinedGarbageAfterBody_IsIgnored()
        {
            ScriptedConnection c = new ScriptedConnection(0).Then("POST /api/login HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}GET / HTTP/1.1\r\n\x01\x02garbage");
            HttpRequest r = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.Ok, (int)Read(c, r));
            Assert.AreEqual(2, r.BodyLength);
            Assert.AreEqual("{}", Bytes.Text(r.Body, 0, 2));
        }

        [TestMethod]
        public void Read_SecondRequestPipelinedAfterGet_FirstIsServedAlone()
        {
            ScriptedConnection c = new ScriptedConnection(0).Then("GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpRequest r = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.Ok, (int)Read(c, r));
            Assert.AreEqual("/a", r.Path);
            Assert.AreEqual(0, r.BodyLength);
        }

        [TestMethod]
        public void Read_HugeHeaders_AreHeadTooLarge()
        {
            string big = "GET / HTTP/1.1\r\nHost: a\r\nX-Fill: ";
            ScriptedConnection c = new ScriptedConnection(0).Then(big);
            for (int i = 0; i < 40; i++)
            {
                c.Then("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
            }

            c.Then("\r\n\r\n");
            HttpRequest r = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.HeadTooLarge, (int)Read(c, r));
            Assert.AreEqual(431, HttpResponse.StatusFor(HttpReadResult.HeadTooLarge));
        }

        [TestMethod]
        public void Read_BodyOverCap_IsBodyTooLargeWithoutReadingIt()
        {
            ScriptedConnection c = new ScriptedConnection(0).Then("POST /api/config HTTP/1.1\r\nHost: a\r\nContent-Length: 4097\r\n\r\n");
            HttpRequest r = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.BodyTooLarge, (int)Read(c, r));
        }

        [TestMethod]
        public void Read_HugeContentLength_IsBodyTooLargeNotOverflow()
        {
            ScriptedConnection c = new ScriptedConnection(0).Then("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n");
            HttpRequest r = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.BodyTooLarge, (int)Read(c, r));
        }

        [TestMethod]
        [DataRow("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n")]
        [DataRow("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n")]
        [DataRow("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n")]
        [DataRow("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n")]
        [DataRow("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n")]
        public void Read_BadContentLength_IsBadRequest(string text)
        {
            HttpRequest r = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.BadRequest, (int)Read(new ScriptedConnection(0).Then(text), r));
        }

        [TestMethod]
        [DataRow("GET / HTTP/1.1\nHost: a\n\n")] // bare LF
        [DataRow("GET / HTTP/1.1\r\nHost: a\n\r\n")] // one bare LF
        [DataRow("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n")] // bare CR
        [DataRow("GET / HTTP/1.1\r\nHost : a\r\n\r\n")] // space before colon
        [DataRow("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n")] // obs-fold
        [DataRow("GET / HTTP/1.1\r\n\r\n")] // no Host in 1.1
        [DataRow("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")] // two Hosts
        [DataRow("GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n")] // absolute-form
        [DataRow("GET  / HTTP/1.1\r\nHost: a\r\n\r\n")] // double space
        [DataRow("G(T / HTTP/1.1\r\nHost: a\r\n\r\n")] // method not a token
        [DataRow("GET / HTTP/1.1 \r\nHost: a\r\n\r\n")] // trailing space
        [DataRow("GET / HTTQ/1.1\r\nHost: a\r\n\r\n")]
        [DataRow("\x16\x03\x01\x02\x01\x01\x01\x01\xfc\x03\x03\r\n\r\n")] // TLS on the HTTP port (no \x00: nanoCLR cuts strings at a zero)
        [DataRow("GET / HTTP/1.1\r\nNoColon\r\n\r\n")]
        [DataRow("GET / HTTP/1.1\r\n: empty\r\nHost: a\r\n\r\n")]
        public void Read_Malformed_IsBadRequest(string text)
        {
            HttpRequest r = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.BadRequest, (int)Read(new ScriptedConnection(0).Then(text), r));
        }

        [TestMethod]
        public void Read_ClientClosesMidHead_IsBadRequestWithoutCrlf()
        {
            HttpRequest r = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.BadRequest, (int)Read(new ScriptedConnection(0).Then("GET / HTTP/1.1\r\nHost: a\r\n"), r));
        }

        [TestMethod]
        public void Read_ResetOrTimeoutMidHead_IsClosed()
        {
            HttpRequest r = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.Closed, (int)Read(new ScriptedConnection(-1).Then("GET / HTTP/1.1\r\nHo"), r));
        }

        [TestMethod]
        public void Read_NothingSent_IsClosed()
        {
            HttpRequest r = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.Closed, (int)Read(new ScriptedConnection(0), r));
        }

        [TestMethod]
        public void Read_BodyShorterThanContentLength_IsBadRequest()
        {
            HttpRequest r = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.BadRequest, (int)Read(new ScriptedConnection(0).Then("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc"), r));
        }

        [TestMethod]
        public void Read_PostWithoutLength_IsLengthRequired()
        {
            HttpRequest r = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.LengthRequired, (int)Read(new ScriptedConnection(0).Then("POST /api/login HTTP/1.1\r\nHost: a\r\n\r\n"), r));
            Assert.AreEqual(411, HttpResponse.StatusFor(HttpReadResult.LengthRequired));
        }

        [TestMethod]
        public void Read_ChunkedBody_IsNotImplemented()
        {
            HttpRequest r = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.NotImplemented, (int)Read(new ScriptedConnection(0).Then("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), r));
        }

        [TestMethod]
        public void Read_Http2Version_IsVersionNotSupported()
        {
            HttpRequest r = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.VersionNotSupported, (int)Read(new ScriptedConnection(0).Then("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), r));
            Assert.AreEqual(505, HttpResponse.StatusFor(HttpReadResult.VersionNotSupported));
        }

        [TestMethod]
        public void Read_Http10WithoutHost_IsAccepted()
        {
            HttpRequest r = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.Ok, (int)Read(new ScriptedConnection(0).Then("GET /generate_204 HTTP/1.0\r\n\r\n"), r));
            Assert.IsTrue(r.Http10);
            Assert.AreEqual(string.Empty, r.Host);
        }

        [TestMethod]
        [DataRow("gzip", true)]
        [DataRow("deflate, GZIP;q=0.5", true)]
        [DataRow("gzip;q=0", false)]
        [DataRow("br, deflate", false)]
        [DataRow("x-gzip", false)]
        public void Read_AcceptEncoding_DetectsGzip(string value, bool expected)
        {
            HttpRequest r = new HttpRequest();
            Read(new ScriptedConnection(0).Then("GET / HTTP/1.1\r\nHost: a\r\nAccept-Encoding: " + value + "\r\n\r\n"), r);
            Assert.AreEqual(expected, r.AcceptsGzip);
        }

        [TestMethod]
        public void Request_ReusedAfterBadOne_StartsClean()
        {
            HttpRequest r = new HttpRequest();
            Read(new ScriptedConnection(0).Then("GET / HTTP/1.1\r\nHost: a\r\nCookie: pigeon_session=x\r\nX-CSRF-Token: t\r\n\r\n"), r);
            Assert.AreEqual("t", r.CsrfToken);
            Assert.AreEqual((int)HttpReadResult.Ok, (int)Read(new ScriptedConnection(0).Then("GET / HTTP/1.1\r\nHost: b\r\n\r\n"), r));
            Assert.AreEqual(string.Empty, r.CsrfToken);
            Assert.IsNull(r.GetCookie("pigeon_session"));
        }

        [TestMethod]
        public void Response_WriteHead_HasCloseAndSecurityHeaders()
        {
            HttpResponse response = new HttpResponse();
            response.SetText(200, "ok");
            response.SetCookie = "pigeon_session=x; HttpOnly; SameSite=Strict";
            ScriptedConnection c = new ScriptedConnection(0);
            Assert.IsTrue(response.Send(c, false));
            string sent = c.SentText;
            Assert.IsTrue(sent.StartsWith("HTTP/1.1 200 OK\r\n"));
            Assert.IsTrue(sent.IndexOf("Connection: close\r\n") > 0);
            Assert.IsTrue(sent.IndexOf("Content-Length: 2\r\n") > 0);
            Assert.IsTrue(sent.IndexOf("X-Content-Type-Options: nosniff\r\n") > 0);
            Assert.IsTrue(sent.IndexOf("Content-Security-Policy: default-src 'none'; script-src 'self'") > 0);
            Assert.IsTrue(sent.IndexOf("Set-Cookie: pigeon_session=x; HttpOnly; SameSite=Strict\r\n") > 0);
            Assert.IsTrue(sent.EndsWith("\r\n\r\nok"));
        }
    }
}
