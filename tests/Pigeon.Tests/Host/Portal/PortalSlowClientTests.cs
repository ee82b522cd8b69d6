using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Pigeon.Tests.Host.Portal
{
    /// <summary>
    /// Issue 13, item 6, over real sockets from several loopback addresses (127.0.0.x): slow
    /// strangers cannot keep the owner from the portal, and a stranger's wrong passwords do not
    /// lock the owner out.
    /// </summary>
    [TestClass]
    public class PortalSlowClientTests
    {
        private const string Owner = "127.0.0.2";

        private static TcpClient From(string address, int port)
        {
            TcpClient client = new TcpClient(new IPEndPoint(IPAddress.Parse(address), 0));
            client.Connect(IPAddress.Loopback, port);
            return client;
        }

        private static string Exchange(string from, int port, string request, out long milliseconds)
        {
            Stopwatch watch = Stopwatch.StartNew();
            using TcpClient client = From(from, port);
            NetworkStream stream = client.GetStream();
            stream.ReadTimeout = 10000;
            stream.Write(Encoding.ASCII.GetBytes(request));
            using MemoryStream all = new MemoryStream();
            try
            {
                stream.CopyTo(all);
            }
            catch (IOException)
            {
                // a reset after the answer: what arrived counts
            }

            milliseconds = watch.ElapsedMilliseconds;
            return Encoding.ASCII.GetString(all.ToArray());
        }

        private static string Get(string from, int port, string path, out long milliseconds)
        {
            return Exchange(from, port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n", out milliseconds);
        }

        private static string Post(string from, int port, string path, string body)
        {
            long ignored;
            return Exchange(from, port, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\nContent-Length: "
                + Encoding.UTF8.GetByteCount(body) + "\r\n\r\n" + body, out ignored);
        }

        // Slow clients: each connects from its address, starts a request and sends one more byte every 150 ms.
        private sealed class SlowClients : IDisposable
        {
            private readonly TcpClient[] _clients;
            private readonly Socket[] _sockets; // kept apart: TcpClient.Client is null once disposed, and the timer may still fire
            private readonly Timer _drip;

            public SlowClients(string[] from, int port)
            {
                _clients = new TcpClient[from.Length];
                _sockets = new Socket[from.Length];
                for (int i = 0; i < from.Length; i++)
                {
                    _clients[i] = From(from[i], port);
                    _sockets[i] = _clients[i].Client;
                    Send(_sockets[i], Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nX-Slow: "));
                }

                _drip = new Timer(_ =>
                {
                    foreach (Socket c in _sockets)
                    {
                        Send(c, new byte[] { (byte)'z' });
                    }
                }, null, 150, 150);
            }

            // How many were answered "503" or closed by the portal so far.
            public int Gone()
            {
                int gone = 0;
                foreach (TcpClient c in _clients)
                {
                    try
                    {
                        if (c.Client.Poll(0, SelectMode.SelectRead))
                        {
                            gone++; // data (the 503) or a close is waiting
                        }
                    }
                    catch (SocketException)
                    {
                        gone++;
                    }
                }

                return gone;
            }

            public void Dispose()
            {
                using (ManualResetEvent stopped = new ManualResetEvent(false))
                {
                    _drip.Dispose(stopped);
                    stopped.WaitOne(5000); // no drip still under way when the sockets close
                }

                foreach (TcpClient c in _clients)
                {
                    c.Dispose();
                }
            }

            private static void Send(Socket socket, byte[] bytes)
            {
                try
                {
                    socket.Send(bytes);
                }
                catch (SocketException)
                {
                    // cut off by the portal: that is the point
                }
                catch (ObjectDisposedException)
                {
                }
            }
        }

        private static string[] Addresses(int first, int count)
        {
            string[] addresses = new string[count];
            for (int i = 0; i < count; i++)
            {
                addresses[i] = "127.0.0." + (first + i);
            }

            return addresses;
        }

        private sealed class Hello : global::Pigeon.Portal.IHttpHandler
        {
            public void Handle(global::Pigeon.Portal.HttpRequest request, global::Pigeon.Portal.HttpResponse response)
            {
                response.SetText(200, "hello");
            }
        }

        private sealed class NoLog : global::Pigeon.Net.ILog
        {
            public void Info(string message)
            {
            }

            public void Warn(string message)
            {
            }
        }

        [TestMethod]
        [Timeout(60000)]
        public void EverySlotBusy_NewcomerGets503AtOnce_UntilASlotIsSlow()
        {
            // The server's own clock, moved by hand: whether a waiting client counts as slow does
            // not depend on this machine's load.
            global::Pigeon.Tests.Support.FakeClock clock = new global::Pigeon.Tests.Support.FakeClock();
            global::Pigeon.Portal.PortalServer server = new global::Pigeon.Portal.PortalServer(
                new global::Pigeon.Sockets.SocketTransport(), clock, new NoLog(), new Hello(), 4, 4);
            int port = PortalTestHost.FreeTcpPort();
            Assert.IsTrue(server.Start(global::Pigeon.Net.IPv4.Loopback, port, out string error), error);
            try
            {
                using SlowClients slow = new SlowClients(Addresses(21, 4), port);
                Thread.Sleep(300);
                string busy = Get(Owner, port, "/", out long ms);
                StringAssert.StartsWith(busy, "HTTP/1.1 503 ", "every slot is busy and no one is slow yet");
                Assert.IsTrue(ms < 2000, "refused at once: " + ms + " ms");
                Assert.AreEqual(0, slow.Gone());

                clock.Advance(global::Pigeon.Portal.PortalServer.SlowAfterMs);
                string served = Get(Owner, port, "/", out ms);
                StringAssert.StartsWith(served, "HTTP/1.1 200 ", "a slow client gives its slot up");
                Assert.IsTrue(ms < 2000, "at once: " + ms + " ms");
                Assert.AreEqual(1, server.Evicted);
            }
            finally
            {
                server.Stop();
            }
        }

        [TestMethod]
        [Timeout(60000)]
        public void SlowClientEvicted_AfterEarlierRequests_NewcomerWaitsForThatSlot()
        {
            // Every finished request signals "a slot is free"; a signal left from one of them must
            // not end the newcomer's wait for the slot the slow client is giving up.
            global::Pigeon.Tests.Support.FakeClock clock = new global::Pigeon.Tests.Support.FakeClock();
            global::Pigeon.Portal.PortalServer server = new global::Pigeon.Portal.PortalServer(
                new global::Pigeon.Sockets.SocketTransport(), clock, new NoLog(), new Hello(), 1, 1);
            int port = PortalTestHost.FreeTcpPort();
            Assert.IsTrue(server.Start(global::Pigeon.Net.IPv4.Loopback, port, out string error), error);
            try
            {
                for (int i = 0; i < 3; i++)
                {
                    StringAssert.StartsWith(Get(Owner, port, "/", out long _), "HTTP/1.1 200 ", "request " + i);
                }

                using SlowClients slow = new SlowClients(Addresses(31, 1), port);
                Thread.Sleep(300);
                clock.Advance(global::Pigeon.Portal.PortalServer.SlowAfterMs);
                string served = Get(Owner, port, "/", out long ms);
                StringAssert.StartsWith(served, "HTTP/1.1 200 ", "the slow client's slot, not 503");
                Assert.IsTrue(ms < 2000, "at once: " + ms + " ms");
                Assert.AreEqual(1, server.Evicted);
                Assert.AreEqual(0, server.RefusedBusy);
            }
            finally
            {
                server.Stop();
            }
        }

        [TestMethod]
        [Timeout(60000)]
        public void SlowClientsFromOneAddress_HoldAtMostTheirShare_TheOwnerGetsIn()
        {
            using PortalTestHost host = new PortalTestHost();
            string[] stranger = new string[global::Pigeon.Host.PortalHost.HostSlots];
            for (int i = 0; i < stranger.Length; i++)
            {
                stranger[i] = "127.0.0.3";
            }

            using SlowClients slow = new SlowClients(stranger, host.PortalPort);
            Thread.Sleep(300);
            Assert.IsTrue(slow.Gone() >= stranger.Length / 2, "beyond its share a stranger's connections are refused at once: " + slow.Gone());
            string answer = Get(Owner, host.PortalPort, "/api/status", out long ms);
            StringAssert.StartsWith(answer, "HTTP/1.1 200", "the owner is served while the stranger dribbles");
            Assert.IsTrue(ms < 2000, "at once: " + ms + " ms");
        }

        [TestMethod]
        [Timeout(60000)]
        public void SlowClientsFromManyAddresses_LoseTheirSlotsToARealClient()
        {
            using PortalTestHost host = new PortalTestHost();
            using SlowClients slow = new SlowClients(Addresses(11, global::Pigeon.Host.PortalHost.HostSlots), host.PortalPort);
            Thread.Sleep(global::Pigeon.Portal.PortalServer.SlowAfterMs + 300);
            string answer = Get(Owner, host.PortalPort, "/api/status", out long ms);
            StringAssert.StartsWith(answer, "HTTP/1.1 200", "a slow connection gives its slot to a client that sends its request");
            Assert.IsTrue(ms < 2000, "at once: " + ms + " ms");

            // None of them outlives the request deadline, dribbling or not.
            Thread.Sleep(global::Pigeon.Portal.PortalServer.RequestTimeoutMs);
            Assert.AreEqual(global::Pigeon.Host.PortalHost.HostSlots, slow.Gone());
        }

        [TestMethod]
        [Timeout(60000)]
        public void StrangersWrongPasswords_DoNotLockTheOwnerOut()
        {
            using PortalTestHost host = new PortalTestHost();
            const string Password = "the owner's password";
            StringAssert.StartsWith(Post(Owner, host.PortalPort, "/api/admin-password", "{\"password\":\"" + Password + "\"}"), "HTTP/1.1 200");
            for (int i = 0; i < global::Pigeon.Portal.LoginLimiter.FreeAttempts; i++)
            {
                StringAssert.StartsWith(Post("127.0.0.3", host.PortalPort, "/api/login", "{\"password\":\"guess " + i + "\"}"), "HTTP/1.1 401");
            }

            StringAssert.StartsWith(Post("127.0.0.3", host.PortalPort, "/api/login", "{\"password\":\"" + Password + "\"}"), "HTTP/1.1 429", "the stranger is locked");
            StringAssert.StartsWith(Post(Owner, host.PortalPort, "/api/login", "{\"password\":\"" + Password + "\"}"), "HTTP/1.1 200", "the owner is not");
        }
    }
}
