// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using System;
using Pigeon.Relay;
using Pigeon.Tests.Support;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Relay
{
    [TestClass]
    public class DecoyPageTests
    {
        [TestMethod]
        public void Get_Root_ServesThePageWithLengthAndDate()
        {
            DecoyPage page = new DecoyPage("<p>hi</p>");
            string head = Head(page, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.AreEqual("HTTP/1.1 200 OK\r\nDate: Sat, 28 Nov 2026 07:46:42 GMT\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 9\r\nConnection: close\r\n\r\n", head);
            Assert.AreEqual("<p>hi</p>", Bytes.Text(page.Body, 0, page.BodyLength));
        }

        [TestMethod]
        public void Head_Root_NoBody_ButTheLength()
        {
            DecoyPage page = new DecoyPage("<p>hi</p>");
            string head = Head(page, "HEAD /index.html?x=1 HTTP/1.1\r\n\r\n");
            Assert.IsTrue(head.IndexOf("200 OK") > 0);
            Assert.IsTrue(head.IndexOf("Content-Length: 9\r\n") > 0);
            Assert.AreEqual(0, page.BodyLength);
        }

        [TestMethod]
        public void OtherPath_404_OtherMethod_405()
        {
            DecoyPage page = new DecoyPage(null);
            Assert.IsTrue(Head(page, "GET /admin HTTP/1.1\r\n\r\n").StartsWith("HTTP/1.1 404 Not Found\r\n"));
            Assert.IsTrue(page.BodyLength > 0);
            string post = Head(page, "POST / HTTP/1.1\r\n\r\n");
            Assert.IsTrue(post.StartsWith("HTTP/1.1 405 Method Not Allowed\r\n"));
            Assert.IsTrue(post.IndexOf("Allow: GET, HEAD\r\n") > 0);
        }

        [TestMethod]
        public void DefaultPage_WhenNoneConfigured()
        {
            DecoyPage page = new DecoyPage("");
            Head(page, "GET / HTTP/1.1\r\n\r\n");
            Assert.AreEqual(DecoyPage.DefaultHtml, Bytes.Text(page.Body, 0, page.BodyLength));
        }

        [TestMethod]
        public void HeadComplete_BlankLine()
        {
            Assert.IsFalse(HttpProbe.HeadComplete(Bytes.Ascii("GET / HTTP/1.1\r\nHost: x\r\n"), 0, 25));
            Assert.IsTrue(HttpProbe.HeadComplete(Bytes.Ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0, 27));
            Assert.IsTrue(HttpProbe.HeadComplete(Bytes.Ascii("GET / HTTP/1.0\n\n"), 0, 16));
        }

        private static string Head(DecoyPage page, string request)
        {
            byte[] r = Bytes.Ascii(request);
            byte[] b = new byte[DecoyPage.MaxHeadLength];
            int n = page.WriteHead(r, 0, r.Length, b, 0, new DateTime(2026, 11, 28, 7, 46, 42));
            return Bytes.Text(b, 0, n);
        }
    }
}
