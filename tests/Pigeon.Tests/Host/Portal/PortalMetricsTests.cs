using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Host;
using Pigeon.Tests.Host.Reach;
using Pigeon.Testing;

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
            ListLog log = new ListLog();
            using MetricsHost host = new MetricsHost(true, log);
            Assert.IsNotNull(host.App.Reach);
            PromText page = host.MetricsPage("Authorization: Bearer " + Token + "\r\n");
            Assert.AreEqual(0, page.Samples.FindAll(s => s.Name == "pigeon_port_mapped").Count, "a loopback route is not mapped");

            StringAssert.StartsWith(host.Get("/metrics", string.Empty), "HTTP/1.1 401");
            StringAssert.StartsWith(host.Get("/metrics", "Authorization: Bearer not-the-token-at-all\r\n"), "HTTP/1.1 401");
            string basic = "Authorization: Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("prometheus:" + Token)) + "\r\n";
            StringAssert.StartsWith(host.Get("/metrics", basic), "HTTP/1.1 200");
            Assert.IsFalse(log.Lines.Exists(l => l.Contains(Token, StringComparison.Ordinal)), "the token was logged");

            string status = host.Get("/api/status", string.Empty);
            StringAssert.StartsWith(status, "HTTP/1.1 200");
            using System.Text.Json.JsonDocument doc = System.Text.Json.JsonDocument.Parse(status.Substring(status.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4));
            System.Text.Json.JsonElement reach = doc.RootElement.GetProperty("reach");
            Assert.AreEqual(0, reach.GetProperty("portMapping").GetProperty("ports").GetArrayLength(), "a loopback route is not mapped");
            Assert.AreEqual("none", reach.GetProperty("publicAddress").GetProperty("kind").GetString());
            Assert.IsFalse(status.Contains(Token, StringComparison.Ordinal));
        }

        [TestMethod]
        public void Metrics_WithoutReach_StillTheRelayCountersNeverThePage()
        {
            // Issue 12: with --no-reach, GET /metrics answered 200 with the setup page's HTML
            // because the metrics came from the reach service. The relay's counters need no router.
            using MetricsHost host = new MetricsHost(false, new ListLog());
            Assert.IsNull(host.App.Reach, "--no-reach");
            PromText page = host.MetricsPage("Authorization: Bearer " + Token + "\r\n");
            Assert.AreEqual(0, page.Samples.FindAll(s => s.Name == "pigeon_port_mapped").Count, "no mapper without reach");
            StringAssert.StartsWith(host.Get("/metrics", string.Empty), "HTTP/1.1 401");

            foreach (string path in new[] { "/api", "/api/", "/api/nothing", "/api/status/x" })
            {
                string answer = host.Get(path, string.Empty);
                StringAssert.StartsWith(answer, "HTTP/1.1 404", path);
                StringAssert.Contains(answer, "application/json", path);
            }
        }

        /// <summary>An in-process host on a fresh folder: one chat route ("chat") and the portal on free loopback ports, /metrics behind <see cref="Token"/>.</summary>
        private sealed class MetricsHost : IDisposable
        {
            private readonly string _dir = TestFolder.Create("pigeon-metrics");
            private readonly int _portal = Loopback.FreePort();
            private readonly int _chat = Loopback.FreePort();

            public MetricsHost(bool reach, ListLog log)
            {
                File.WriteAllText(Path.Combine(_dir, "config.json"),
                    "{\"relay\":{\"routes\":[{\"name\":\"chat\",\"listenAddress\":\"127.0.0.1\",\"listenPort\":" + _chat + ",\"upstreamHost\":\"127.0.0.1\",\"upstreamPort\":9}]},"
                    + "\"portal\":{\"listenAddress\":\"127.0.0.1\",\"port\":" + _portal + "},"
                    + "\"network\":{\"metricsToken\":\"" + Token + "\"}}");
                App = new HostApp(new HostOptions { DataDir = _dir, Reach = reach }, log);
                List<string> errors = new List<string>();
                Assert.IsTrue(App.Load(errors), string.Join("; ", errors));
                App.Start();
                Assert.IsNotNull(App.Portal, "the portal did not start");
            }

            public HostApp App { get; }

            /// <summary>GET /metrics with <paramref name="headers"/>: answered 200 as Prometheus text, the chat route listening; its samples.</summary>
            public PromText MetricsPage(string headers)
            {
                string ok = Get("/metrics", headers);
                StringAssert.StartsWith(ok, "HTTP/1.1 200");
                StringAssert.Contains(ok, "text/plain; version=0.0.4");
                PromText page = PromText.Parse(ok.Substring(ok.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4));
                Assert.AreEqual(1, page.Value("pigeon_route_listening", "route", "chat", "port", _chat.ToString()));
                return page;
            }

            /// <summary>The whole answer to GET <paramref name="path"/> with <paramref name="headers"/> (each ending in CRLF).</summary>
            public string Get(string path, string headers)
            {
                byte[] request = Encoding.ASCII.GetBytes("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + _portal + "\r\nConnection: close\r\n" + headers + "\r\n");
                return HttpAnswer.Send(_portal, request).Raw;
            }

            public void Dispose()
            {
                App.Stop();
                TestFolder.Delete(_dir);
            }
        }
    }
}
