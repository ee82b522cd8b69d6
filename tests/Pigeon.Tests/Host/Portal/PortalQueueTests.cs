using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Net;
using Pigeon.Portal;
using Pigeon.Sockets;
using Pigeon.Tests.Host.Reach;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Portal
{
    /// <summary>
    /// The portal server holds no socket beyond its listener and its slots (the board's budget,
    /// Relay.SessionBudget, counts exactly those): a client arriving while every slot is busy
    /// waits in the listen queue and is served when a slot frees, instead of being accepted to
    /// hear "503 busy". This is the board's behaviour; on a host the listener is the gate
    /// (<see cref="PortalGateTests"/>).
    /// </summary>
    [TestClass]
    public class PortalQueueTests
    {
        private sealed class Ok : IHttpHandler
        {
            public void Handle(HttpRequest request, HttpResponse response)
            {
                response.SetText(200, "ok");
            }
        }

        [TestMethod]
        public void EverySlotBusy_ClientWaitsForTheSlotAndIsServedNotRefused()
        {
            PortalServer server = new PortalServer(new SocketTransport(), new ListLog(), new Ok(), 1);
            int port = Loopback.FreePort();
            Assert.IsTrue(server.Start(IPv4.Loopback, port, out string error), error);
            try
            {
                using TcpClient holder = new TcpClient();
                holder.Connect(IPAddress.Loopback, port);
                holder.GetStream().Write(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n")); // holds the only slot
                System.Threading.Thread.Sleep(300);

                using TcpClient waiting = new TcpClient();
                waiting.Connect(IPAddress.Loopback, port); // the OS queue takes it; the portal does not accept yet
                NetworkStream s = waiting.GetStream();
                s.Write(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
                s.ReadTimeout = 700;
                Assert.ThrowsExactly<IOException>(() => s.ReadByte(), "no answer while the slot is busy");

                Stopwatch watch = Stopwatch.StartNew();
                holder.Close(); // the slot frees
                s.ReadTimeout = 5000;
                string answer = new StreamReader(s).ReadToEnd();
                StringAssert.StartsWith(answer, "HTTP/1.1 200 ");
                Assert.IsTrue(watch.ElapsedMilliseconds < 3000, "served once the slot was free: " + watch.ElapsedMilliseconds + " ms");
            }
            finally
            {
                server.Stop();
            }
        }
    }
}
