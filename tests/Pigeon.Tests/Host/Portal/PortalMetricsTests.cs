using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Host;
using Pigeon.Tests.Host.Reach;

namespace Pigeon.Tests.Host.Portal
{
    /// <summary>
    /// GET /metrics on the host's portal (in-process HostApp with reach on). Routes and upstreams
    /// are on 127.0.0.1, so the mapper has nothing to map and never searches the network, and no
    /// upstream is probed.
    /// </summary>
    [TestClass]
    public class PortalMetricsTests
    {
        private const string Token = "portal-metrics-token-42";

        [TestMethod]
        public void Metrics_OnPortal_TokenOrNothing()
        {
            string dir = Path.Combine(Path.GetTempPath(), "pigeon-metrics-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            int portal = PortalTestHost.FreeTcpPort();
            int chat = PortalTestHost.FreeTcpPort();
            File.WriteAllText(Path.Combine(dir, "config.json"),
                "{\"relay\":{\"routes\":[{\"name\":\"chat\",\"listenAddress\":\"127.0.0.1\",\"listenPort\":" + chat + ",\"upstreamHost\":\"127.0.0.1\",\"upstreamPort\":9}]},"
                + "\"portal\":{\"listenAddress\":\"127.0.0.1\",\"port\":" + portal + "},"
                + "\"network\":{\"metricsToken\":\"" + Token + "\"}}");
            ListLog log = new ListLog();
            HostApp app = new HostApp(new HostOptions { DataDir = dir, Reach = true }, log);
            List<string> errors = new List<string>();
            Assert.IsTrue(app.Load(errors), string.Join("; ", errors));
            app.Start();
            try
            {
                Assert.IsNotNull(app.Portal, "the portal did not start");
                Assert.IsNotNull(app.Reach);
                string ok = Get(portal, "/metrics", "Authorization: Bearer " + Token + "\r\n");
                StringAssert.StartsWith(ok, "HTTP/1.1 200");
                StringAssert.Contains(ok, "text/plain; version=0.0.4");
                PromText page = PromText.Parse(ok.Substring(ok.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4));
                Assert.AreEqual(1, page.Value("pigeon_route_listening", "route", "chat", "port", chat.ToString()));
                Assert.AreEqual(0, page.Samples.FindAll(s => s.Name == "pigeon_port_mapped").Count, "a loopback route is not mapped");

                StringAssert.StartsWith(Get(portal, "/metrics", string.Empty), "HTTP/1.1 401");
                StringAssert.StartsWith(Get(portal, "/metrics", "Authorization: Bearer not-the-token-at-all\r\n"), "HTTP/1.1 401");
                string basic = "Authorization: Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("prometheus:" + Token)) + "\r\n";
                StringAssert.StartsWith(Get(portal, "/metrics", basic), "HTTP/1.1 200");
                Assert.IsFalse(log.Lines.Exists(l => l.Contains(Token, StringComparison.Ordinal)), "the token was logged");

                string status = Get(portal, "/api/status", string.Empty);
                StringAssert.StartsWith(status, "HTTP/1.1 200");
                using System.Text.Json.JsonDocument doc = System.Text.Json.JsonDocument.Parse(status.Substring(status.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4));
                System.Text.Json.JsonElement reach = doc.RootElement.GetProperty("reach");
                Assert.AreEqual(0, reach.GetProperty("portMapping").GetProperty("ports").GetArrayLength(), "a loopback route is not mapped");
                Assert.AreEqual("none", reach.GetProperty("publicAddress").GetProperty("kind").GetString());
                Assert.IsFalse(status.Contains(Token, StringComparison.Ordinal));
            }
            finally
            {
                app.Stop();
                Directory.Delete(dir, true);
            }
        }

        [TestMethod]
        public void Metrics_WithoutReach_StillTheRelayCountersNeverThePage()
        {
            // Issue 12: with --no-reach, GET /metrics answered 200 with the setup page's HTML
            // because the metrics came from the reach service. The relay's counters need no router.
            string dir = Path.Combine(Path.GetTempPath(), "pigeon-metrics-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            int portal = PortalTestHost.FreeTcpPort();
            int chat = PortalTestHost.FreeTcpPort();
            File.WriteAllText(Path.Combine(dir, "config.json"),
                "{\"relay\":{\"routes\":[{\"name\":\"chat\",\"listenAddress\":\"127.0.0.1\",\"listenPort\":" + chat + ",\"upstreamHost\":\"127.0.0.1\",\"upstreamPort\":9}]},"
                + "\"portal\":{\"listenAddress\":\"127.0.0.1\",\"port\":" + portal + "},"
                + "\"network\":{\"metricsToken\":\"" + Token + "\"}}");
            HostApp app = new HostApp(new HostOptions { DataDir = dir, Reach = false }, new ListLog());
            List<string> errors = new List<string>();
            Assert.IsTrue(app.Load(errors), string.Join("; ", errors));
            app.Start();
            try
            {
                Assert.IsNull(app.Reach, "--no-reach");
                string ok = Get(portal, "/metrics", "Authorization: Bearer " + Token + "\r\n");
                StringAssert.StartsWith(ok, "HTTP/1.1 200");
                StringAssert.Contains(ok, "text/plain; version=0.0.4");
                PromText page = PromText.Parse(ok.Substring(ok.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4));
                Assert.AreEqual(1, page.Value("pigeon_route_listening", "route", "chat", "port", chat.ToString()));
                Assert.AreEqual(0, page.Samples.FindAll(s => s.Name == "pigeon_port_mapped").Count, "no mapper without reach");
                StringAssert.StartsWith(Get(portal, "/metrics", string.Empty), "HTTP/1.1 401");

                foreach (string path in new[] { "/api", "/api/", "/api/nothing", "/api/status/x" })
                {
                    string answer = Get(portal, path, string.Empty);
                    StringAssert.StartsWith(answer, "HTTP/1.1 404", path);
                    StringAssert.Contains(answer, "application/json", path);
                }
            }
            finally
            {
                app.Stop();
                Directory.Delete(dir, true);
            }
        }

        private static string Get(int port, string path, string headers)
        {
            using TcpClient client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            client.ReceiveTimeout = 5000;
            NetworkStream stream = client.GetStream();
            byte[] request = Encoding.ASCII.GetBytes("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n" + headers + "\r\n");
            stream.Write(request, 0, request.Length);
            using MemoryStream all = new MemoryStream();
            try
            {
                stream.CopyTo(all);
            }
            catch (IOException)
            {
                // the portal may reset after its answer; what arrived is what counts
            }

            return Encoding.ASCII.GetString(all.ToArray());
        }
    }
}
