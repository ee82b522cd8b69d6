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
    /// Issue 13, item 6, and issue 18, item 7, over real sockets from several loopback addresses
    /// (127.0.0.x): slow strangers cannot keep the owner from the portal (the host's
    /// <see cref="global::Pigeon.Host.PortalGate"/>), and a stranger's wrong passwords do not lock
    /// the owner out.
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

        [TestMethod]
        [Timeout(60000)]
        public void SlowClientsFromOneAddress_BeyondItsCapClosedAtOnce_TheOwnerGetsIn()
        {
            using PortalTestHost host = new PortalTestHost();
            global::Pigeon.Host.PortalGate gate = host.Portal.Gate;
            string[] stranger = new string[global::Pigeon.Host.PortalGate.PerAddress + 4];
            for (int i = 0; i < stranger.Length; i++)
            {
                stranger[i] = "127.0.0.3";
            }

            int handed = gate.Handed;
            using SlowClients slow = new SlowClients(stranger, host.PortalPort);
            Assert.IsTrue(SpinWait.SpinUntil(() => slow.Gone() >= 4, 5000), "beyond its cap a stranger's connections are closed at once: " + slow.Gone());
            Assert.AreEqual(4, gate.Refused);
            string answer = Get(Owner, host.PortalPort, "/api/status", out long ms);
            StringAssert.StartsWith(answer, "HTTP/1.1 200", "the owner is served while the stranger dribbles");
            Assert.IsTrue(ms < 2000, "at once: " + ms + " ms");
            Assert.AreEqual(handed + 1, gate.Handed, "only the owner's request reached a slot");
        }

        [TestMethod]
        [Timeout(60000)]
        public void SlowClientsFromManyAddresses_HoldNoSlot_TheOwnerGetsInAndTheyAreCutOff()
        {
            using PortalTestHost host = new PortalTestHost();
            global::Pigeon.Host.PortalGate gate = host.Portal.Gate;
            int handed = gate.Handed;
            int strangers = 2 * global::Pigeon.Host.PortalHost.HostSlots;
            using SlowClients slow = new SlowClients(Addresses(11, strangers), host.PortalPort);
            Thread.Sleep(300);
            string answer = Get(Owner, host.PortalPort, "/api/status", out long ms);
            StringAssert.StartsWith(answer, "HTTP/1.1 200", "a client that sends its whole request is served among the slow ones");
            Assert.IsTrue(ms < 2000, "at once: " + ms + " ms");
            Assert.AreEqual(handed + 1, gate.Handed, "no slow stranger held a slot");

            // None of them outlives the request deadline, dribbling or not.
            Assert.IsTrue(SpinWait.SpinUntil(() => slow.Gone() == strangers, global::Pigeon.Portal.PortalServer.RequestTimeoutMs + 3000), slow.Gone() + " of " + strangers + " cut off");
            Assert.AreEqual(strangers, gate.TimedOut);
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
