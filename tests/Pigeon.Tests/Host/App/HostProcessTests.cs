using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Tests.Host.Relay;

namespace Pigeon.Tests.Host.App
{
    /// <summary>Pigeon.Host as a volunteer runs it: a separate process, its exit code and its words.</summary>
    [TestClass]
    [DoNotParallelize]
    public class HostProcessTests
    {
        /// <summary>Starts Pigeon.Host; with <paramref name="notifySocket"/>, as systemd would (NOTIFY_SOCKET).</summary>
        internal static Process Start(string args, string workingDirectory, string notifySocket = null)
        {
            string dll = Path.Combine(AppContext.BaseDirectory, "Pigeon.Host.dll");
            // --no-reach: these tests must not search the LAN for a router or probe upstreams.
            ProcessStartInfo psi = new ProcessStartInfo("dotnet", "\"" + dll + "\" --no-reach " + args)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                WorkingDirectory = workingDirectory,
                UseShellExecute = false,
            };
            if (notifySocket != null)
            {
                psi.Environment["NOTIFY_SOCKET"] = notifySocket;
            }

            return Process.Start(psi);
        }

        private static string TempDir()
        {
            string dir = Path.Combine(Path.GetTempPath(), "pigeon-test-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }

        [TestMethod]
        [Timeout(60000)]
        public void VersionAndHelp_SayPigeon()
        {
            string dir = TempDir();
            using Process version = Start("--version", dir);
            Assert.IsTrue(version.WaitForExit(30000));
            Assert.AreEqual(0, version.ExitCode);
            StringAssert.StartsWith(version.StandardOutput.ReadToEnd(), "pigeon ");
            using Process help = Start("--help", dir);
            Assert.IsTrue(help.WaitForExit(30000));
            string text = help.StandardOutput.ReadToEnd();
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
            string dir = TempDir();
            int port = LoopbackRig.FreePort();
            string config = Path.Combine(dir, "bad.json");
            File.WriteAllText(config, "{ \"schemaVersion\": 1, \"relay\": { \"routes\": [ { \"name\": \"chat\", \"listenAddress\": \"127.0.0.1\", \"listenPort\": " + port
                + ", \"upstreamHost\": \"g.whatsapp.net\", \"upstreamPort\": \"5222\" } ] } }");
            using Process p = Start("--config \"" + config + "\"", dir);
            Assert.IsTrue(p.WaitForExit(30000), "exits");
            string err = p.StandardError.ReadToEnd();
            Assert.AreNotEqual(0, p.ExitCode);
            StringAssert.Contains(err, "relay.routes[0].upstreamPort");
            using Socket probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            Assert.ThrowsExactly<SocketException>(() => probe.Connect("127.0.0.1", port), "nothing listens");
        }

        [TestMethod]
        [Timeout(60000)]
        public void ConfigFile_RelaysOnItsRoutes_AndStopsCleanlyOnSigint()
        {
            string dir = TempDir();
            int port = LoopbackRig.FreePort();
            var upstream = LoopbackRig.Listen();
            string config = Path.Combine(dir, "pigeon.json");
            // Only what differs from the defaults: every other field takes its default.
            File.WriteAllText(config, "{ \"relay\": { \"maxSessions\": 3, \"routes\": [ { \"name\": \"chat\", \"listenAddress\": \"127.0.0.1\", \"listenPort\": " + port
                + ", \"upstreamHost\": \"127.0.0.1\", \"upstreamPort\": " + LoopbackRig.PortOf(upstream) + " } ] } }");
            using Process p = Start("--config \"" + config + "\" --data-dir \"" + Path.Combine(dir, "data") + "\"", dir);
            try
            {
                string line;
                bool up = false;
                while ((line = p.StandardOutput.ReadLine()) != null)
                {
                    if (line.Contains("relay up"))
                    {
                        StringAssert.Contains(line, "3 session slots");
                        up = true;
                        break;
                    }
                }

                Assert.IsTrue(up, "the host says it is up");
                using Socket c = LoopbackRig.Connect(port);
                c.Send(new byte[] { 0x57, 0x41 });
                using Socket u = upstream.AcceptSocket();
                CollectionAssert.AreEqual(new byte[] { 0x57, 0x41 }, LoopbackRig.ReadExactly(u, 2));

                // Ctrl+C: SIGINT to the process.
                Process.Start("kill", "-INT " + p.Id).WaitForExit();
                Assert.IsTrue(p.WaitForExit(10000), "stops on Ctrl+C");
                Assert.AreEqual(0, p.ExitCode);
            }
            finally
            {
                if (!p.HasExited)
                {
                    p.Kill();
                }

                upstream.Stop();
            }
        }

        [TestMethod]
        [Timeout(30000)]
        public void UnknownOption_ExitsTwoWithPlainMessage()
        {
            using Process p = Start("--frobnicate", TempDir());
            Assert.IsTrue(p.WaitForExit(20000));
            Assert.AreEqual(2, p.ExitCode);
            StringAssert.Contains(p.StandardError.ReadToEnd(), "unknown option \"--frobnicate\"");
        }
    }
}
