using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Tests.Host.App;
using Pigeon.Tests.Host.Relay;

namespace Pigeon.Tests.Host.Service
{
    /// <summary>Pigeon.Host as systemd runs it: its own process, a test NOTIFY_SOCKET, SIGTERM.</summary>
    [TestClass]
    [DoNotParallelize]
    public class ServiceProcessTests
    {
        private static string TempDir()
        {
            string dir = Path.Combine(Path.GetTempPath(), "pigeon-svc-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }

        [TestMethod]
        [Timeout(90000)]
        public void Ready_ArrivesWhenTheListenersAccept_StoppingOnSigterm()
        {
            if (!OperatingSystem.IsLinux())
            {
                Assert.Inconclusive("systemd's protocol is Linux-only");
            }

            string dir = TempDir();
            int route = LoopbackRig.FreePort();
            int portal = LoopbackRig.FreePort();
            File.WriteAllText(Path.Combine(dir, "config.json"), "{ \"relay\": { \"maxSessions\": 2, \"routes\": [ { \"name\": \"chat\", \"listenAddress\": \"127.0.0.1\", \"listenPort\": " + route
                + ", \"upstreamHost\": \"127.0.0.1\", \"upstreamPort\": 9 } ] }, \"portal\": { \"listenAddress\": \"127.0.0.1\", \"port\": " + portal + " } }");
            string socketPath = Path.Combine(dir, "notify.sock");
            using Socket notify = SystemdNotifierTests.Bind(socketPath);
            notify.ReceiveTimeout = 60000;
            using Process p = HostProcessTests.Start("--data-dir \"" + dir + "\"", dir, socketPath);
            try
            {
                string ready = SystemdNotifierTests.Receive(notify);
                // At the moment READY=1 arrives, both the route and the portal accept connections.
                using (Socket c = LoopbackRig.Connect(route))
                using (Socket w = LoopbackRig.Connect(portal))
                {
                    Assert.IsTrue(c.Connected && w.Connected);
                }

                StringAssert.StartsWith(ready, "READY=1\n");
                StringAssert.Contains(ready, "STATUS=relaying on 1 of 1 routes; portal http://127.0.0.1:" + portal + "/");

                Process.Start("kill", "-TERM " + p.Id).WaitForExit();
                Assert.AreEqual("STOPPING=1", SystemdNotifierTests.Receive(notify));
                Assert.IsTrue(p.WaitForExit(20000), "stops on SIGTERM");
                Assert.AreEqual(0, p.ExitCode, "an orderly stop");
                StringAssert.Contains(p.StandardOutput.ReadToEnd(), "stopped");
                Assert.IsTrue(File.Exists(Path.Combine(dir, "activity.json")), "the tally was saved on the way out");
            }
            finally
            {
                if (!p.HasExited)
                {
                    p.Kill();
                }

                Directory.Delete(dir, true);
            }
        }

        [TestMethod]
        [Timeout(60000)]
        public void PortalOnAllAddressesWithoutPassword_RefusedBeforeAnythingListens()
        {
            string dir = TempDir();
            int route = LoopbackRig.FreePort();
            File.WriteAllText(Path.Combine(dir, "config.json"), "{ \"relay\": { \"routes\": [ { \"name\": \"chat\", \"listenAddress\": \"127.0.0.1\", \"listenPort\": " + route
                + ", \"upstreamHost\": \"127.0.0.1\", \"upstreamPort\": 9 } ] }, \"portal\": { \"listenAddress\": \"0.0.0.0\", \"port\": " + LoopbackRig.FreePort() + " } }");
            string socketPath = Path.Combine(dir, "notify.sock");
            using Socket notify = SystemdNotifierTests.Bind(socketPath);
            notify.ReceiveTimeout = 500;
            using Process p = HostProcessTests.Start("--data-dir \"" + dir + "\"", dir, socketPath);
            Assert.IsTrue(p.WaitForExit(30000), "exits");
            Assert.AreEqual(2, p.ExitCode);
            StringAssert.Contains(p.StandardError.ReadToEnd(), "error: portal.listenAddress is 0.0.0.0, but no admin password is set");
            Assert.ThrowsExactly<SocketException>(() => LoopbackRig.Connect(route), "the relay did not open its port");
            Assert.ThrowsExactly<SocketException>(() => SystemdNotifierTests.Receive(notify), "no READY=1");
            Directory.Delete(dir, true);
        }
    }
}
