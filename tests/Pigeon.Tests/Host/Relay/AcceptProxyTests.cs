using System;
using System.Net.Sockets;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Tests.Support;
using static Pigeon.Testing.Loopback;
using static Pigeon.Tests.Host.Relay.LoopbackRig;
using Pigeon.Upstream;

namespace Pigeon.Tests.Host.Relay
{
    /// <summary>A listener behind a load balancer (acceptProxy): the incoming PROXY header, v1 and v2, and bad ones.</summary>
    [TestClass]
    [DoNotParallelize]
    public class AcceptProxyTests
    {
        [TestMethod]
        [DataRow("events", "v1")]
        [DataRow("events", "v2")]
        [DataRow("threads", "v1")]
        [DataRow("threads", "v2")]
        [Timeout(30000)]
        public void IncomingHeader_OriginalClientCarriedUpstream(string pump, string incoming)
        {
            using RelayRun run = new RelayRun(BehindBalancer).Start(pump);
            using Socket lb = run.Connect();
            byte[] header = new byte[ProxyHeader.MaxLength];
            int n = ProxyHeader.Write(incoming == "v2" ? 2 : 1, NetAddress.FromIPv4(0xC6336407), 40001, NetAddress.FromIPv4(0xCB00710A), 8222, header, 0);
            lb.Send(header, n, SocketFlags.None);
            lb.Send(new byte[] { (byte)'W', (byte)'A', 6, 5 });
            using Socket up = run.Accept(5000);
            byte[] got = ReadExactly(up, ProxyHeader.V2Length + 4);
            ProxyHeaderReader reader = new ProxyHeaderReader();
            Assert.AreEqual(ProxyHeaderReader.Done, reader.Read(got, 0, got.Length));
            Assert.AreEqual(0xC6336407u, reader.SourceAddress.IPv4, "the original client, not the load balancer");
            Assert.AreEqual(40001, reader.SourcePort);
            Assert.AreEqual(0xCB00710Au, reader.DestinationAddress.IPv4);
            Assert.AreEqual(8222, reader.DestinationPort);
            Assert.AreEqual("WA", Encoding.ASCII.GetString(got, ProxyHeader.V2Length, 2), "the client's bytes after it, the incoming header gone");
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [Timeout(30000)]
        public void MissingOrMalformedHeader_RefusedAndCounted(string pump)
        {
            using RelayRun run = new RelayRun(BehindBalancer).Start(pump);
            RelayServer relay = run.Relay;
            string[] bad = { "WA\u0006\u0005", "PROXY TCP4 1.2.3.4 5.6.7.8 99999 1\r\n", "PROXY TCP4 1.2.3.4\r\n", "\r\n\r\n\u0000\r\nQUIT\n\u0031\u0011\u0000\u000c" };
            foreach (string text in bad)
            {
                using Socket lb = run.Connect();
                lb.Send(Encoding.Latin1.GetBytes(text));
                Assert.IsTrue(ClosedWithin(lb, 3000), text);
            }

            Assert.IsTrue(WaitUntil(() => relay.SnapshotTotal().Refused(RefusalReason.BadProxyHeader) == bad.Length, 3000),
                "counted: " + relay.SnapshotTotal().Refused(RefusalReason.BadProxyHeader));
            Assert.IsFalse(run.Upstream.Pending(), "nothing dialled");
        }

        private static RouteConfig BehindBalancer(int port, int upstreamPort)
        {
            RouteConfig route = Plain(port, upstreamPort, proxy: true);
            route.ProxyProtocolVersion = 2;
            route.AcceptProxy = true;
            route.AcceptProxyFrom = new[] { "127.0.0.1" };
            return route;
        }
    }
}
