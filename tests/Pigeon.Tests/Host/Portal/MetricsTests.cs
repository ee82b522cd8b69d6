using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Host;
using Pigeon.Net;
using Pigeon.Portal;
using Pigeon.Reach;
using Pigeon.Relay;
using Pigeon.Routing;
using Pigeon.Sockets;
using Pigeon.Text;
using Pigeon.Tests.Host.Reach;
using Pigeon.Tests.Support;
using Pigeon.Counters;
using Pigeon.Pumps.Threaded;
using Pigeon.Upstream;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Portal
{
    /// <summary>The metrics page: parsed by a strict Prometheus text-format parser, served only with the token.</summary>
    [TestClass]
    public class MetricsTests
    {
        private const string Token = "test-token-0123456789";

        private sealed class NoResolver : IResolver
        {
            public bool TryResolve(string host, out uint ipv4)
            {
                ipv4 = 0;
                return false;
            }
        }

        private static RelayServer Relay(out int mediaPort)
        {
            RelayConfig config = ConfigDefaults.Relay(false);
            config.MaxSessions = 4;
            config.BufferBytes = 4096;
            config.MaxHelloBytes = 4096;
            RouteConfig chat = ConfigDefaults.ChatRoute(Loopback.FreePort());
            chat.ListenAddress = "127.0.0.1";
            chat.Name = "chat \"odd\" \\ name";
            RouteConfig media = ConfigDefaults.MediaRoute(Loopback.FreePort());
            media.ListenAddress = "127.0.0.1";
            mediaPort = media.ListenPort;
            config.Routes = new RouteConfig[] { chat, media };
            return new ThreadedRelay(config, new SocketTransport(), new NoResolver(), new HostClock(), new ListLog());
        }

        private static string Text(TextBuffer buffer)
        {
            Assert.IsFalse(buffer.Overflowed);
            return Encoding.ASCII.GetString(buffer.Bytes, 0, buffer.Length);
        }

        [TestMethod]
        public void Write_LiveRelayWithRefusal_ParsesAndCounts()
        {
            int mediaPort;
            RelayServer relay = Relay(out mediaPort);
            relay.Start();
            try
            {
                // A plain-text client on the media (SNI) route: refused as not TLS.
                using (TcpClient client = new TcpClient())
                {
                    client.Connect(IPAddress.Loopback, mediaPort);
                    byte[] request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                    client.GetStream().Write(request, 0, request.Length);
                    client.ReceiveTimeout = 5000;
                    try
                    {
                        _ = client.GetStream().Read(new byte[16], 0, 16);
                    }
                    catch (System.IO.IOException)
                    {
                        // reset by the relay: fine
                    }
                }

                for (int i = 0; i < 50 && relay.SnapshotTotal().Refused(RefusalReason.NotTls) == 0; i++)
                {
                    Thread.Sleep(50);
                }

                TextBuffer text = new TextBuffer(4096, 1 << 20);
                MetricsWriter.Write(text, relay, null, null, new HostMemory(), new HostClock());
                PromText page = PromText.Parse(Text(text));

                Assert.AreEqual(4, page.Value("pigeon_sessions_max"));
                Assert.AreEqual(1, page.Value("pigeon_refused_total", "reason", "not_tls"));
                Assert.AreEqual(0, page.Value("pigeon_refused_total", "reason", "full"));
                Assert.AreEqual(1, page.Value("pigeon_route_refused_total", "route", "media-" + mediaPort, "reason", "not_tls"));
                Assert.AreEqual(0, page.Value("pigeon_route_refused_total", "route", "chat \"odd\" \\ name", "reason", "not_tls"));
                Assert.AreEqual(1, page.Value("pigeon_route_listening", "route", "media-" + mediaPort, "port", mediaPort.ToString()));
                Assert.AreEqual(0, page.Value("pigeon_bytes_total", "direction", "to_client"));
                Assert.IsTrue(page.Value("pigeon_memory_free_bytes") > 0);
                Assert.AreEqual("counter", page.Types["pigeon_route_refused_total"]);
                Assert.AreEqual("gauge", page.Types["pigeon_sessions_active"]);
                Assert.AreEqual(RefusalReasons.Count * 2, page.Samples.FindAll(s => s.Name == "pigeon_route_refused_total").Count);
            }
            finally
            {
                relay.Stop();
            }
        }

        [TestMethod]
        public void Write_WithMapperAndHealth_ParsesWithMappingAndUpstreamFamilies()
        {
            int mediaPort;
            RelayServer relay = Relay(out mediaPort);
            using FakeRouter router = new FakeRouter();
            Recording net = new Recording();
            FakeClock clock = new FakeClock(0);
            PortMapper mapper = new PortMapper(new UpnpClient(net, net, IPv4.Loopback, router.SsdpPort, 600, 2000, 16384), null, IPv4.Loopback, clock, new ListLog(), "Pigeon relay");
            mapper.SetPorts(new int[] { 5222, mediaPort });
            mapper.Refresh();
            clock.Advance(600000);

            Route[] routes = new Route[] { relay.GetRoute(0), relay.GetRoute(1) };
            UpstreamHealth health = new UpstreamHealth(routes, new SocketTransport(), relay.Dns, clock, 500);
            health.CheckAll(); // names do not resolve (NoResolver): both down, nothing contacted

            TextBuffer text = new TextBuffer(4096, 1 << 20);
            MetricsWriter.Write(text, relay, health, mapper, null, clock);
            PromText page = PromText.Parse(Text(text));

            Assert.AreEqual(1, page.Value("pigeon_port_mapped", "port", "5222", "external_port", "5222", "method", "upnp"));
            Assert.AreEqual(3000, page.Value("pigeon_port_mapping_lease_remaining_seconds", "port", "5222"));
            Assert.AreEqual(1, page.Value("pigeon_public_address_reachable"));
            Assert.AreEqual(1, page.Value("pigeon_public_address_kind", "kind", "public"));
            Assert.AreEqual(0, page.Value("pigeon_upstream_up", "route", "chat \"odd\" \\ name", "role", "primary", "host", "g.whatsapp.net"));
            Assert.AreEqual(0, page.Value("pigeon_upstream_up", "route", "chat \"odd\" \\ name", "role", "fallback", "host", "g-fallback.whatsapp.net"));
            Assert.IsFalse(page.Samples.Exists(s => s.Name == "pigeon_memory_free_bytes"));
        }

        [TestMethod]
        public void PromText_BrokenPages_Rejected()
        {
            Assert.ThrowsExactly<FormatException>(() => PromText.Parse("a 1"));
            Assert.ThrowsExactly<FormatException>(() => PromText.Parse("a{b=\"x} 1\n"));
            Assert.ThrowsExactly<FormatException>(() => PromText.Parse("a{b=\"\\x\"} 1\n"));
            Assert.ThrowsExactly<FormatException>(() => PromText.Parse("a 1\nb 1\na 2\n"));
            Assert.ThrowsExactly<FormatException>(() => PromText.Parse("a 1\na 1\n"));
            Assert.ThrowsExactly<FormatException>(() => PromText.Parse("# TYPE a counter\na -1\n"));
            Assert.ThrowsExactly<FormatException>(() => PromText.Parse("1a 1\n"));
            Assert.ThrowsExactly<FormatException>(() => PromText.Parse("a{b-c=\"x\"} 1\n"));
            Assert.ThrowsExactly<FormatException>(() => PromText.Parse("a x\n"));
            Assert.AreEqual(2, PromText.Parse("# HELP a x\\ny\n# TYPE a gauge\na{b=\"q\\\"\"} 1\na{b=\"r\"} 2.5e3 1700000000000\n").Samples.Count);
        }
    }
}
