// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using Pigeon.Reach;
using Pigeon.Tests.Support;

namespace Pigeon.Tests.Reach
{
    [TestClass]
    public class HttpParseTests
    {
        [TestMethod]
        public void Parse_ContentLength_WholeBody()
        {
            byte[] raw = Bytes.Ascii("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 5\r\n\r\nhello");
            RouterResponse response = HttpParse.Parse(raw, raw.Length, false);
            Assert.AreEqual((int)HttpOutcome.Ok, (int)response.Outcome);
            Assert.AreEqual(200, response.Status);
            Assert.AreEqual("hello", response.Body);
        }

        [TestMethod]
        public void Parse_ContentLengthNotYetReached_NeedsMore()
        {
            byte[] raw = Bytes.Ascii("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello");
            Assert.IsNull(HttpParse.Parse(raw, raw.Length, false));
            Assert.AreEqual((int)HttpOutcome.Malformed, (int)HttpParse.Parse(raw, raw.Length, true).Outcome);
        }

        [TestMethod]
        public void Parse_Chunked_Decoded()
        {
            byte[] raw = Bytes.Ascii("HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n<a>b\r\n3;x=y\r\n</a\r\n1\r\n>\r\n0\r\n\r\n");
            RouterResponse response = HttpParse.Parse(raw, raw.Length, false);
            Assert.AreEqual((int)HttpOutcome.Ok, (int)response.Outcome);
            Assert.AreEqual(500, response.Status);
            Assert.AreEqual("<a>b</a>", response.Body);
        }

        [TestMethod]
        public void Parse_ChunkedBrokenFraming_Malformed()
        {
            byte[] raw = Bytes.Ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcdXX0\r\n\r\n");
            Assert.AreEqual((int)HttpOutcome.Malformed, (int)HttpParse.Parse(raw, raw.Length, true).Outcome);
            byte[] huge = Bytes.Ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFF\r\n");
            Assert.AreEqual((int)HttpOutcome.Malformed, (int)HttpParse.Parse(huge, huge.Length, true).Outcome);
        }

        [TestMethod]
        public void Parse_UntilClose_BodyIsRest()
        {
            byte[] raw = Bytes.Ascii("HTTP/1.0 200 OK\r\nServer: x\r\n\r\n<root/>");
            Assert.IsNull(HttpParse.Parse(raw, raw.Length, false));
            Assert.AreEqual("<root/>", HttpParse.Parse(raw, raw.Length, true).Body);
        }

        [TestMethod]
        [DataRow("SSH-2.0-OpenSSH\r\n\r\n")]
        [DataRow("HTTP/1.1 2x0 OK\r\n\r\n")]
        [DataRow("HTTP/2 200\r\n\r\n")]
        [DataRow("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx")]
        [DataRow("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nx")]
        [DataRow("HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\nx")]
        public void Parse_NotHttp_Malformed(string text)
        {
            byte[] raw = Bytes.Ascii(text);
            Assert.AreEqual((int)HttpOutcome.Malformed, (int)HttpParse.Parse(raw, raw.Length, true).Outcome);
        }

        [TestMethod]
        public void Parse_NoHeadEndYet_NeedsMoreOrMalformedAtClose()
        {
            byte[] raw = Bytes.Ascii("HTTP/1.1 200 OK\r\nContent-Le");
            Assert.IsNull(HttpParse.Parse(raw, raw.Length, false));
            Assert.AreEqual((int)HttpOutcome.Malformed, (int)HttpParse.Parse(raw, raw.Length, true).Outcome);
        }
    }
}
