using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Tests.Support;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Portal
{
    /// <summary>The portal over real loopback sockets: compression, sizes, probes, timeouts, captive DNS.</summary>
    [TestClass]
    public class PortalHostTests
    {
        private static readonly string[] s_assets = { "/", "/app.css", "/app.js", "/qrcode.js" };

        private static HttpClient Client(bool gzipHeader)
        {
            HttpClient client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None, AllowAutoRedirect = false });
            if (gzipHeader)
            {
                client.DefaultRequestHeaders.Add("Accept-Encoding", "gzip, deflate, br");
            }

            return client;
        }

        [TestMethod]
        public void Page_GzipAccepted_ServedCompressedUnder30KB()
        {
            using PortalTestHost host = new PortalTestHost();
            using HttpClient client = Client(true);
            long total = 0;
            foreach (string path in s_assets)
            {
                HttpResponseMessage r = client.GetAsync(host.BaseUrl.TrimEnd('/') + path).Result;
                Assert.AreEqual(HttpStatusCode.OK, r.StatusCode, path);
                Assert.IsTrue(r.Content.Headers.ContentEncoding.Contains("gzip"), path);
                byte[] body = r.Content.ReadAsByteArrayAsync().Result;
                total += body.Length;
                using GZipStream gz = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
                using StreamReader reader = new StreamReader(gz);
                Assert.IsTrue(reader.ReadToEnd().Length > body.Length, path + " inflates");
            }

            Console.WriteLine("portal page, gzip-compressed total: " + total + " bytes");
            Assert.IsTrue(total < 30 * 1024, "compressed total " + total + " bytes");
        }

        [TestMethod]
        public void Page_NoGzip_ServedPlainWithCsp()
        {
            using PortalTestHost host = new PortalTestHost();
            using HttpClient client = Client(false);
            HttpResponseMessage r = client.GetAsync(host.BaseUrl).Result;
            Assert.AreEqual(0, r.Content.Headers.ContentEncoding.Count);
            string html = r.Content.ReadAsStringAsync().Result;
            StringAssert.StartsWith(html, "<!doctype html>");
            StringAssert.Contains(string.Join(";", r.Headers.GetValues("Content-Security-Policy")), "script-src 'self'");
        }

        [TestMethod]
        public void Probe_SetupModeForeignHost_RedirectsToPortal()
        {
            using PortalTestHost host = new PortalTestHost();
            using HttpClient client = Client(false);
            HttpRequestMessage m = new HttpRequestMessage(HttpMethod.Get, host.BaseUrl + "generate_204");
            m.Headers.Host = "connectivitycheck.gstatic.com";
            HttpResponseMessage r = client.Send(m);
            Assert.AreEqual(HttpStatusCode.Found, r.StatusCode);
            Assert.AreEqual(host.BaseUrl, r.Headers.Location.ToString());
        }

        [TestMethod]
        public void SlowClient_IsCutOffByRequestTimeout()
        {
            using PortalTestHost host = new PortalTestHost();
            using TcpClient tcp = new TcpClient();
            tcp.Connect(IPAddress.Loopback, host.PortalPort);
            NetworkStream s = tcp.GetStream();
            s.Write(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
            s.ReadTimeout = 20000;
            Stopwatch watch = Stopwatch.StartNew();
            int n;
            try
            {
                n = s.Read(new byte[64], 0, 64);
            }
            catch (IOException)
            {
                n = 0; // reset also counts as cut off
            }

            Assert.AreEqual(0, n, "nothing is answered to an unfinished request");
            long limit = global::Pigeon.Portal.PortalServer.RequestTimeoutMs;
            Assert.IsTrue(watch.ElapsedMilliseconds >= limit - 500 && watch.ElapsedMilliseconds < limit + 3000, "cut off after " + watch.ElapsedMilliseconds + " ms");
        }

        [TestMethod]
        public void Garbage_GetsBadRequestAndClose()
        {
            using PortalTestHost host = new PortalTestHost();
            HttpAnswer answer = HttpAnswer.Send(host.PortalPort, Encoding.ASCII.GetBytes("\x16\x03\x01 hello\r\n\r\n"));
            StringAssert.StartsWith(answer.Raw, "HTTP/1.1 400 Bad Request\r\n");
            StringAssert.Contains(answer.Raw, "Connection: close");
            Assert.IsTrue(answer.Closed, "and closed");
        }

        [TestMethod]
        public void HugeHeaders_Get431OverRealSocket()
        {
            using PortalTestHost host = new PortalTestHost();
            HttpAnswer answer = HttpAnswer.Send(host.PortalPort, Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Fill: " + new string('a', 3000) + "\r\n\r\n"));
            StringAssert.StartsWith(answer.Raw, "HTTP/1.1 431 ");
            Assert.IsTrue(answer.Closed, "and closed");
        }

        [TestMethod]
        public void Dns_CapturedDigQuery_AnsweredOverUdp()
        {
            using PortalTestHost host = new PortalTestHost(withDns: true);
            Assert.AreNotEqual(0, host.Portal.DnsPort);
            using UdpClient udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            udp.Client.ReceiveTimeout = 5000;
            byte[] query = Bytes.Hex("b3420120000100000000000111436f6e6e6563746976697479636865636b074753746174696303636f6d000001000100002904d000000000000c000a0008968b9fbd6365a7fd");
            udp.Send(query, query.Length, new IPEndPoint(IPAddress.Loopback, host.Portal.DnsPort));
            IPEndPoint from = null;
            byte[] answer = udp.Receive(ref from);
            Assert.AreEqual(12 + 31 + 4 + 16, answer.Length);
            CollectionAssert.AreEqual(new byte[] { 127, 0, 0, 1 }, answer[^4..]);
        }

        [TestMethod]
        public void Dns_RealDig_GetsPortalAddress()
        {
            if (!File.Exists("/usr/bin/dig"))
            {
                Assert.Inconclusive("dig (Debian dnsutils) is not installed");
            }

            using PortalTestHost host = new PortalTestHost(withDns: true);
            ProcessStartInfo start = new ProcessStartInfo("/usr/bin/dig", "+short +tries=1 +time=3 -p " + host.Portal.DnsPort + " @127.0.0.1 WhatsApp.Net A")
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            using Process dig = Process.Start(start);
            string output = dig.StandardOutput.ReadToEnd().Trim();
            dig.WaitForExit(10000);
            Assert.AreEqual("127.0.0.1", output);
        }
    }
}
