using System;
using System.IO;
using System.Net.Sockets;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Service
{
    /// <summary>Pigeon.Host as systemd runs it: its own process, a test NOTIFY_SOCKET, SIGTERM.</summary>
    [TestClass]
    [DoNotParallelize]
    public class ServiceProcessTests
    {
        [TestMethod]
        [Timeout(90000)]
        public void Ready_ArrivesWhenTheListenersAccept_StoppingOnSigterm()
        {
            if (!OperatingSystem.IsLinux())
            {
                Assert.Inconclusive("systemd's protocol is Linux-only");
            }

            string dir = TestFolder.Create("pigeon-svc");
            int route = Loopback.FreePort();
            int portal = Loopback.FreePort();
            File.WriteAllText(Path.Combine(dir, "config.json"), "{ \"relay\": { \"maxSessions\": 2, \"routes\": [ { \"name\": \"chat\", \"listenAddress\": \"127.0.0.1\", \"listenPort\": " + route
                + ", \"upstreamHost\": \"127.0.0.1\", \"upstreamPort\": 9 } ] }, \"portal\": { \"listenAddress\": \"127.0.0.1\", \"port\": " + portal + " } }");
            string socketPath = Path.Combine(dir, "notify.sock");
            using Socket notify = SystemdNotifierTests.Bind(socketPath);
            notify.ReceiveTimeout = 60000;
            using PigeonHost p = AsService(dir, socketPath);
            p.Spawn();
            try
            {
                string ready = SystemdNotifierTests.Receive(notify);
                // At the moment READY=1 arrives, both the route and the portal accept connections.
                using (Socket c = Loopback.Client(route))
                using (Socket w = Loopback.Client(portal))
                {
                    Assert.IsTrue(c.Connected && w.Connected);
                }

                StringAssert.StartsWith(ready, "READY=1\n");
                StringAssert.Contains(ready, "STATUS=relaying on 1 of 1 routes; portal http://127.0.0.1:" + portal + "/");

                int exit = p.Terminate(20000);
                Assert.AreEqual("STOPPING=1", SystemdNotifierTests.Receive(notify));
                Assert.AreNotEqual(-1, exit, "stops on SIGTERM");
                Assert.AreEqual(0, exit, "an orderly stop");
                StringAssert.Contains(p.Output, "stopped");
                Assert.IsTrue(File.Exists(Path.Combine(dir, "activity.json")), "the tally was saved on the way out");
            }
            finally
            {
                p.Kill();
                Directory.Delete(dir, true);
            }
        }

        [TestMethod]
        [Timeout(60000)]
        public void PortalOnAllAddressesWithoutPassword_RefusedBeforeAnythingListens()
        {
            string dir = TestFolder.Create("pigeon-svc");
            int route = Loopback.FreePort();
            File.WriteAllText(Path.Combine(dir, "config.json"), "{ \"relay\": { \"routes\": [ { \"name\": \"chat\", \"listenAddress\": \"127.0.0.1\", \"listenPort\": " + route
                + ", \"upstreamHost\": \"127.0.0.1\", \"upstreamPort\": 9 } ] }, \"portal\": { \"listenAddress\": \"0.0.0.0\", \"port\": " + Loopback.FreePort() + " } }");
            string socketPath = Path.Combine(dir, "notify.sock");
            using Socket notify = SystemdNotifierTests.Bind(socketPath);
            notify.ReceiveTimeout = 500;
            using PigeonHost p = AsService(dir, socketPath);
            int exit = p.RunToExit(30000);
            Assert.AreNotEqual(-1, exit, "exits");
            Assert.AreEqual(2, exit);
            StringAssert.Contains(p.ErrorOutput, "error: portal.listenAddress is 0.0.0.0, but no admin password is set");
            Assert.ThrowsExactly<SocketException>(() => Loopback.Client(route), "the relay did not open its port");
            Assert.ThrowsExactly<SocketException>(() => SystemdNotifierTests.Receive(notify), "no READY=1");
            Directory.Delete(dir, true);
        }

        /// <summary>Pigeon.Host on the data folder <paramref name="dir"/>, as systemd starts it (NOTIFY_SOCKET).</summary>
        private static PigeonHost AsService(string dir, string notifySocket)
        {
            PigeonHost host = PigeonHost.WithArguments("service", dir, "--data-dir", dir);
            host.Variables["NOTIFY_SOCKET"] = notifySocket;
            return host;
        }
    }
}
