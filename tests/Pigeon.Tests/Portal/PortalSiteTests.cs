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
    /// <summary>The router: probes first, then /api/, then the page's files; any other GET is the page.</summary>
    [TestClass]
    public class PortalSiteTests
    {
        private sealed class TwoFiles : IPortalAssets
        {
            public bool TryGet(string path, bool gzip, out byte[] body, out string contentType, out bool isGzip)
            {
                contentType = "text/html; charset=utf-8";
                isGzip = false;
                body = null;
                if (path == "/" || path == "/index.html")
                {
                    isGzip = gzip;
                    body = Bytes.Ascii(gzip ? "GZ-PAGE" : "<!doctype html>page");
                    return true;
                }

                if (path == "/app.js")
                {
                    contentType = "text/javascript; charset=utf-8";
                    body = Bytes.Ascii("js");
                    return true;
                }

                return false;
            }
        }

        private static HttpResponse Serve(bool setupMode, string raw)
        {
            FakePortalBackend backend = new FakePortalBackend();
            backend.SetupMode = setupMode;
            PortalSite site = new PortalSite(backend, new TwoFiles(), new PortalApi(backend, backend, backend), new string[] { "192.168.4.1" }, "http://192.168.4.1/");
            HttpRequest request = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.Ok, (int)HttpRequestReader.Read(new ScriptedConnection(0).Then(raw), request));
            HttpResponse response = new HttpResponse();
            site.Handle(request, response);
            return response;
        }

        [TestMethod]
        public void Handle_SetupModeProbe_RedirectsToPortalRoot()
        {
            HttpResponse r = Serve(true, "GET /generate_204 HTTP/1.1\r\nHost: connectivitycheck.gstatic.com\r\n\r\n");
            Assert.AreEqual(302, r.Status);
            Assert.AreEqual("http://192.168.4.1/", r.Location);
        }

        [TestMethod]
        public void Handle_Health_NoRelay_503NotUp_NoLoginAndNoProbeRedirect()
        {
            HttpResponse r = Serve(true, "GET /health HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n");
            Assert.AreEqual(503, r.Status);
            Assert.AreEqual("{\"up\":false,\"listening\":0,\"routes\":0}", Bytes.Text(r.Body, 0, r.BodyLength));
            Assert.AreEqual(405, Serve(false, "POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n").Status);
        }

        [TestMethod]
        public void Handle_RunModeProbe_IsNotFound()
        {
            Assert.AreEqual(404, Serve(false, "GET /hotspot-detect.html HTTP/1.1\r\nHost: captive.apple.com\r\n\r\n").Status);
        }

        [TestMethod]
        public void Handle_PageWithGzip_ServesCompressedCopy()
        {
            HttpResponse r = Serve(true, "GET / HTTP/1.1\r\nHost: 192.168.4.1\r\nAccept-Encoding: gzip\r\n\r\n");
            Assert.AreEqual(200, r.Status);
            Assert.IsTrue(r.Gzip);
            Assert.IsTrue(r.VaryEncoding);
            Assert.AreEqual("GZ-PAGE", Bytes.Text(r.Body, 0, r.BodyLength));
        }

        [TestMethod]
        public void Handle_UnknownPathOnPortal_AnswersThePage()
        {
            HttpResponse r = Serve(false, "GET /some/where HTTP/1.1\r\nHost: 192.168.1.20\r\n\r\n");
            Assert.AreEqual(200, r.Status);
            Assert.AreEqual("<!doctype html>page", Bytes.Text(r.Body, 0, r.BodyLength));
        }

        [TestMethod]
        public void Handle_Asset_HasItsContentType()
        {
            HttpResponse r = Serve(true, "GET /app.js HTTP/1.1\r\nHost: 192.168.4.1\r\n\r\n");
            Assert.AreEqual("text/javascript; charset=utf-8", r.ContentType);
            Assert.IsFalse(r.Gzip);
        }

        [TestMethod]
        public void Handle_ApiPath_GoesToTheApi()
        {
            HttpResponse r = Serve(true, "GET /api/status HTTP/1.1\r\nHost: 192.168.4.1\r\n\r\n");
            Assert.AreEqual(200, r.Status);
            Assert.AreEqual("application/json; charset=utf-8", r.ContentType);
        }

        [TestMethod]
        [DataRow("/api")]
        [DataRow("/api/")]
        [DataRow("/api/nothing")]
        public void Handle_UnknownApiPath_IsNotFoundNeverThePage(string path)
        {
            HttpResponse r = Serve(false, "GET " + path + " HTTP/1.1\r\nHost: 192.168.1.20\r\n\r\n");
            Assert.AreEqual(404, r.Status);
            Assert.AreEqual("application/json; charset=utf-8", r.ContentType);
        }

        [TestMethod]
        public void Handle_Metrics_IsAlwaysTheMetricsRouteNeverThePage()
        {
            // Without a token or a session: refused, whether or not reachability runs (issue 12).
            HttpResponse r = Serve(false, "GET /metrics HTTP/1.1\r\nHost: 192.168.1.20\r\n\r\n");
            Assert.AreEqual(401, r.Status);
            Assert.AreEqual("text/plain; charset=utf-8", r.ContentType);
        }

        [TestMethod]
        public void Handle_PostOutsideApi_IsMethodNotAllowed()
        {
            Assert.AreEqual(405, Serve(true, "POST / HTTP/1.1\r\nHost: 192.168.4.1\r\nContent-Length: 0\r\n\r\n").Status);
        }
    }
}
