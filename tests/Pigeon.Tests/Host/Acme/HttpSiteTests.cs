using System;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Host.Acme;
using Pigeon.Tests.Host.Reach;
using Pigeon.Testing;
using static Pigeon.Testing.Loopback;

namespace Pigeon.Tests.Host.Acme
{
    /// <summary>
    /// Port 80 as a small web server answers there: the decoy page, 404 and 405 as on the TLS
    /// route, 400 for bytes that are not HTTP, the HTTP-01 key authorization only while its token
    /// is being validated, one request per connection closed with a FIN, a stalled head dropped.
    /// And the renewal plan's arithmetic.
    /// </summary>
    [TestClass]
    [DoNotParallelize]
    public class HttpSiteTests
    {
        [TestMethod]
        [Timeout(30000)]
        public void Answers_DecoySiteAndChallenge_AsTheTlsPortDoes()
        {
            string token = "zBprvqKz2Hg5sNwLfPzcfV-D4kSpIN10b9aSyHsvjTc";
            string answer = null;
            using HttpSite site = HttpSite.Start(IPAddress.Loopback, FreePort(), "<p>hello</p>", t => t == token ? answer : null, new ListLog());
            Assert.IsNotNull(site);
            string root = Ask(site.Port, "GET / HTTP/1.1\r\nHost: relay.example.org\r\nConnection: close\r\n\r\n");
            StringAssert.StartsWith(root, "HTTP/1.1 200 OK\r\nServer: nginx\r\n");
            StringAssert.EndsWith(root, "\r\n\r\n<p>hello</p>");
            StringAssert.Contains(root, "Connection: close\r\n");
            StringAssert.StartsWith(Ask(site.Port, "HEAD / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), "HTTP/1.1 200 OK");
            StringAssert.StartsWith(Ask(site.Port, "GET /.well-known/acme-challenge/" + token + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), "HTTP/1.1 404 ", "no validation under way");
            answer = token + ".thumbprint";
            string challenge = Ask(site.Port, "GET /.well-known/acme-challenge/" + token + " HTTP/1.1\r\nHost: relay.example.org\r\n\r\n");
            StringAssert.StartsWith(challenge, "HTTP/1.1 200 OK\r\n");
            StringAssert.EndsWith(challenge, "\r\n\r\n" + answer);
            StringAssert.StartsWith(Ask(site.Port, "GET /.well-known/acme-challenge/other HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), "HTTP/1.1 404 ");
            StringAssert.StartsWith(Ask(site.Port, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), "HTTP/1.1 405 ");
            StringAssert.StartsWith(Ask(site.Port, "GET / HTTP/1.1\r\n\r\n"), "HTTP/1.1 400 ", "HTTP/1.1 without Host");
            StringAssert.StartsWith(Ask(site.Port, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"), "HTTP/1.1 400 ");
            Assert.AreEqual(8, site.Served);
        }

        [TestMethod]
        [Timeout(30000)]
        public void KeepAlive_TwoRequestsOnOneConnection_ThenClosedAfterTheKeepAliveTimeout()
        {
            using HttpSite site = HttpSite.Start(IPAddress.Loopback, FreePort(), "<p>hello</p>", null, new ListLog());
            site.KeepAliveTimeout = TimeSpan.FromMilliseconds(500);
            using Socket s = Client(site.Port);
            s.ReceiveTimeout = 5000;
            s.Send(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n"));
            string both = "";
            byte[] buffer = new byte[4096];
            int n;
            while ((n = s.Receive(buffer)) > 0)
            {
                both += Encoding.ASCII.GetString(buffer, 0, n);
            }

            StringAssert.StartsWith(both, "HTTP/1.1 200 OK\r\n");
            StringAssert.Contains(both, "HTTP/1.1 404 Not Found\r\n");
            Assert.AreEqual(2, site.Served);
        }

        [TestMethod]
        [Timeout(30000)]
        public void StalledHead_ClosedAtTheTimeout_WithAFin()
        {
            using HttpSite site = HttpSite.Start(IPAddress.Loopback, FreePort(), null, null, new ListLog());
            site.HeadTimeout = TimeSpan.FromMilliseconds(500);
            using Socket s = Client(site.Port);
            s.Send(Encoding.ASCII.GetBytes("GET / HT"));
            s.ReceiveTimeout = 5000;
            Assert.AreEqual(0, s.Receive(new byte[16]), "closed in order (FIN), no answer to half a request");
        }

        [TestMethod]
        public void PortTaken_NullAndAWarning()
        {
            var squatter = Listen();
            ListLog log = new ListLog();
            Assert.IsNull(HttpSite.Start(IPAddress.Loopback, PortOf(squatter), null, null, log));
            Assert.IsTrue(log.Lines.Exists(l => l.Contains("not listening: in use", StringComparison.Ordinal)), string.Join("\n", log.Lines));
            squatter.Stop();
        }

        [TestMethod]
        public void RetryDelay_DoublesFromTwoMinutes_AtMostTwelveHours()
        {
            Assert.AreEqual(TimeSpan.FromMinutes(2), AcmeService.RetryDelay(1));
            Assert.AreEqual(TimeSpan.FromMinutes(4), AcmeService.RetryDelay(2));
            Assert.AreEqual(TimeSpan.FromMinutes(64), AcmeService.RetryDelay(6));
            Assert.AreEqual(TimeSpan.FromHours(12), AcmeService.RetryDelay(12));
            Assert.AreEqual(TimeSpan.FromHours(12), AcmeService.RetryDelay(1000));
        }

        [TestMethod]
        public void RenewalTime_TwoThirdsIntoTheValidity()
        {
            DateTimeOffset from = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            using X509Certificate2 certificate = TestCertificates.SelfSigned("x", new string[0], from, from.AddDays(90), false);
            Assert.AreEqual(from.AddDays(60).UtcDateTime, AcmeService.RenewalTime(certificate), "day 60 of Let's Encrypt's 90");
        }

        private static string Ask(int port, string request)
        {
            using Socket s = Client(port);
            s.Send(Encoding.Latin1.GetBytes(request));
            s.ReceiveTimeout = 10000;
            byte[] buffer = new byte[4096];
            int got = 0;
            int n;
            while ((n = s.Receive(buffer, got, buffer.Length - got, SocketFlags.None)) > 0)
            {
                got += n;
            }

            return Encoding.ASCII.GetString(buffer, 0, got);
        }
    }
}
