using System.IO;
using System.Net.Sockets;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.App
{
    /// <summary>
    /// Pigeon.Host as a volunteer runs it: a separate process (Pigeon.Testing's PigeonHost, with
    /// --no-reach: these tests must not search the LAN for a router or probe upstreams), its exit
    /// code and its words.
    /// </summary>
    [TestClass]
    [DoNotParallelize]
    public class HostProcessTests
    {
        [TestMethod]
        [Timeout(60000)]
        public void VersionAndHelp_SayPigeon()
        {
            using PigeonHost version = PigeonHost.WithArguments("version", null, "--version");
            Assert.AreEqual(0, version.RunToExit(30000));
            StringAssert.StartsWith(version.Output, "pigeon ");
            using PigeonHost help = PigeonHost.WithArguments("help", null, "--help");
            Assert.AreNotEqual(-1, help.RunToExit(30000));
            string text = help.Output;
            StringAssert.StartsWith(text, "pigeon: a WhatsApp proxy relay");
            StringAssert.Contains(text, "usage: pigeon [--config FILE]");
            StringAssert.Contains(text, "pigeon setup [--public-host HOST]");
            Assert.IsFalse(text.Contains("usage: Pigeon.Host") || text.Contains("Pigeon.Host:"), "the program is called pigeon: " + text);
        }

        [TestMethod]
        [DataRow("/usr/bin/pigeon", true, "the pigeon.service unit gives the relay CAP_NET_BIND_SERVICE")]
        [DataRow("/usr/share/dotnet/dotnet", false, "give dotnet the capability: sudo setcap cap_net_bind_service=+ep")]
        [DataRow("/opt/pigeon/pigeon", false, "give this program the capability: sudo setcap cap_net_bind_service=+ep /opt/pigeon/pigeon")]
        public void LowPortHint_SaysWhatFitsHowItRuns(string processPath, bool underSystemd, string expected)
        {
            string hint = Pigeon.Host.HostApp.LowPortHint(443, processPath, underSystemd);
            StringAssert.Contains(hint, expected);
            StringAssert.Contains(hint, "sudo sysctl -w net.ipv4.ip_unprivileged_port_start=443");
            Assert.AreEqual(underSystemd || processPath.EndsWith("/pigeon") ? -1 : 0, hint.IndexOf("dotnet") < 0 ? -1 : 0, hint);
        }

        [TestMethod]
        [Timeout(60000)]
        public void BadConfig_NamesFieldAndReason_ExitsNonZeroWithoutListening()
        {
            string dir = TestFolder.Create("pigeon-test");
            int port = Loopback.FreePort();
            string config = Path.Combine(dir, "bad.json");
            File.WriteAllText(config, "{ \"schemaVersion\": 1, \"relay\": { \"routes\": [ { \"name\": \"chat\", \"listenAddress\": \"127.0.0.1\", \"listenPort\": " + port
                + ", \"upstreamHost\": \"g.whatsapp.net\", \"upstreamPort\": \"5222\" } ] } }");
            using PigeonHost p = PigeonHost.WithArguments("bad-config", dir, "--config", config);
            int exit = p.RunToExit(30000);
            Assert.AreNotEqual(-1, exit, "exits");
            Assert.AreNotEqual(0, exit);
            StringAssert.Contains(p.ErrorOutput, "relay.routes[0].upstreamPort");
            using Socket probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            Assert.ThrowsExactly<SocketException>(() => probe.Connect("127.0.0.1", port), "nothing listens");
            TestFolder.Delete(dir);
        }

        [TestMethod]
        [Timeout(60000)]
        public void ConfigFile_RelaysOnItsRoutes_AndStopsCleanlyOnSigint()
        {
            string dir = TestFolder.Create("pigeon-test");
            int port = Loopback.FreePort();
            using TcpListener upstream = Loopback.Listen();
            string config = Path.Combine(dir, "pigeon.json");
            // Only what differs from the defaults: every other field takes its default.
            File.WriteAllText(config, "{ \"relay\": { \"maxSessions\": 3, \"routes\": [ { \"name\": \"chat\", \"listenAddress\": \"127.0.0.1\", \"listenPort\": " + port
                + ", \"upstreamHost\": \"127.0.0.1\", \"upstreamPort\": " + Loopback.PortOf(upstream) + " } ] } }");
            using PigeonHost p = PigeonHost.WithArguments("config-file", dir, "--config", config, "--data-dir", Path.Combine(dir, "data"));
            p.Start(50000);
            string up = p.Line("relay up");
            Assert.IsNotNull(up, "the host says it is up");
            StringAssert.Contains(up, "3 session slots");
            using Socket c = Loopback.Client(port);
            c.Send(new byte[] { 0x57, 0x41 });
            using Socket u = upstream.AcceptSocket();
            CollectionAssert.AreEqual(new byte[] { 0x57, 0x41 }, Loopback.ReadExactly(u, 2));

            // Ctrl+C: SIGINT to the process.
            int exit = p.Stop(10000);
            Assert.AreNotEqual(-1, exit, "stops on Ctrl+C");
            Assert.AreEqual(0, exit);
            TestFolder.Delete(dir);
        }

        [TestMethod]
        [Timeout(30000)]
        public void UnknownOption_ExitsTwoWithPlainMessage()
        {
            using PigeonHost p = PigeonHost.WithArguments("unknown-option", null, "--frobnicate");
            Assert.AreEqual(2, p.RunToExit(20000));
            StringAssert.Contains(p.ErrorOutput, "unknown option \"--frobnicate\"");
        }
    }
}
