using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Tests.Support;
using Pigeon.Testing;
using static Pigeon.Testing.Loopback;
using static Pigeon.Tests.Host.Relay.LoopbackRig;
using Pigeon.Counters;

namespace Pigeon.Tests.Host.Relay
{
    /// <summary>The relay end to end on 127.0.0.1 with real sockets, real TLS and real timeouts.</summary>
    [TestClass]
    [DoNotParallelize]
    public class RelayIntegrationTests
    {
        private const int FiftyMegabytes = 50 * 1024 * 1024;

        /// <summary>A TLS server that swaps <paramref name="count"/> bytes each way with one client.</summary>
        private static Task<(byte[] received, byte[] sent)> TlsExchangeServer(System.Net.Sockets.TcpListener upstream, int count)
        {
            return Task.Run(() =>
            {
                using Socket s = upstream.AcceptSocket();
                using SslStream ssl = TlsServer(s);
                Task<byte[]> send = Task.Run(() => SendPattern(ssl, count, 2));
                byte[] received = ReceiveHash(ssl, count);
                return (received, send.Result);
            });
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [DataRow("events-portable")]
        [Timeout(120000)]
        public void TlsClient_ThroughSniRoute_FiftyMegabytesEachWayIntact(string pump)
        {
            using RelayRun run = new RelayRun((listen, upstream) => Sni(listen, upstream)).Start(pump);
            var server = TlsExchangeServer(run.Upstream, FiftyMegabytes);
            using SslStream client = TlsClient(run.Connect(), "mmg.whatsapp.net");
            Task<byte[]> clientSent = Task.Run(() => SendPattern(client, FiftyMegabytes, 1));
            byte[] clientReceived = ReceiveHash(client, FiftyMegabytes);
            Assert.IsTrue(server.Wait(60000), "server finished");
            CollectionAssert.AreEqual(clientSent.Result, server.Result.received, "client -> upstream bytes intact");
            CollectionAssert.AreEqual(server.Result.sent, clientReceived, "upstream -> client bytes intact");

            RouteCounters total = run.Relay.SnapshotTotal();
            Assert.AreEqual(1, total.Accepted);
            Assert.IsTrue(total.BytesToUpstream >= FiftyMegabytes && total.BytesToClient >= FiftyMegabytes, "byte counters count the payload");
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [DataRow("events-portable")]
        [Timeout(60000)]
        public void Refusals_EachCountedUnderItsReason_WhileRunningSessionFlows(string pump)
        {
            using RelayRun run = new RelayRun((listen, upstream) => Sni(listen, upstream), maxSessions: 8);
            using TcpListener chatUpstream = Listen();
            int media = run.Port;
            int chat = FreePort();
            run.Config.HelloTimeoutSeconds = 1;
            run.Config.Routes = new[] { run.Route, Plain(chat, PortOf(chatUpstream)) };
            RelayServer relay = run.Start(pump).Relay;
            // A session that keeps flowing the whole time.
            var serverTask = Task.Run(() =>
            {
                using Socket s = run.Accept();
                using SslStream ssl = TlsServer(s);
                byte[] b = new byte[1];
                while (ssl.Read(b, 0, 1) == 1)
                {
                    ssl.Write(b, 0, 1); // echo
                }
            });
            using SslStream running = TlsClient(run.Connect(), "media.whatsapp.net");
            void Ping(byte v)
            {
                running.Write(new[] { v }, 0, 1);
                byte[] r = new byte[1];
                Assert.AreEqual(1, running.Read(r, 0, 1));
                Assert.AreEqual(v, r[0]);
            }

            Ping(1);

            // Disallowed SNI: the relay closes without connecting upstream.
            using (Socket evil = Client(media))
            {
                Assert.ThrowsExactly<AggregateException>(() => Task.Run(() => TlsClient(evil, "evil.example")).Wait(), "handshake must fail");
            }

            Ping(2);

            // Garbage: not TLS.
            using (Socket garbage = Client(media))
            {
                garbage.Send(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: whatsapp.net\r\n\r\n"));
                Assert.IsTrue(ClosedWithin(garbage, 3000));
            }

            // Malformed TLS: a record header followed by nonsense.
            using (Socket malformed = Client(media))
            {
                malformed.Send(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x08, 0x01, 0x00, 0x00, 0x02, 0xFF, 0xFF, 0x00, 0x00 });
                Assert.IsTrue(ClosedWithin(malformed, 3000));
            }

            Ping(3);

            // A silent client: closed after the hello timeout (1 s here).
            using (Socket silent = Client(media))
            {
                DateTime start = DateTime.UtcNow;
                Assert.IsTrue(ClosedWithin(silent, 5000));
                double seconds = (DateTime.UtcNow - start).TotalSeconds;
                Assert.IsTrue(seconds >= 0.8 && seconds < 3, "closed after " + seconds + " s");
            }

            // TLS on the chat port: refused and counted under its own reason.
            using (Socket tlsOnChat = Client(chat))
            {
                tlsOnChat.Send(new HelloBuilder().Build());
                Assert.IsTrue(ClosedWithin(tlsOnChat, 3000));
            }

            Ping(4);

            Assert.IsTrue(WaitUntil(() => relay.SnapshotTotal().RefusedTotal >= 5, 3000));
            var m = relay.SnapshotRoute(0);
            Assert.AreEqual(1, m.Refused(RefusalReason.SniNotAllowed), "SNI not allowed");
            Assert.AreEqual(1, m.Refused(RefusalReason.NotTls), "not TLS");
            Assert.AreEqual(1, m.Refused(RefusalReason.Malformed), "malformed");
            Assert.AreEqual(1, m.Refused(RefusalReason.HelloTimeout), "hello timeout");
            Assert.AreEqual(1, relay.SnapshotRoute(1).Refused(RefusalReason.TlsOnChatPort), "TLS on chat port");
            Assert.AreEqual(0, relay.SnapshotRoute(1).Accepted - 1, "the chat client was accepted, then refused");
            Assert.AreEqual(1, m.Active, "the running session is still active");
            running.Close();
            serverTask.Wait(5000);
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("events-portable")]
        [DataRow("threads")]
        [Timeout(120000)]
        public void FullRelay_OneAddressFilledIt_EveryNewcomerTakesAnEvictedPlace(string pump)
        {
            // Carrier NAT on a full relay, round after round: one address fills every place with
            // chat sessions that fall silent (the upstream never answers), then a newcomer from
            // another address evicts one of them and must get that place. An evicted session that
            // never ends would keep its place for good: the relay would shrink by one each time.
            const int places = 40;
            const int rounds = 2;
            using RelayRun run = RelayRun.Plain(maxSessions: places, backlog: 64, proxy: true);
            run.Config.MaxSessionsPerClient = 0;
            run.Config.EvictIdleSeconds = 0;
            run.Start(pump);
            int dialled = 0;
            TestUpstream.Silent(run.Upstream, () => Interlocked.Increment(ref dialled));
            List<Socket> clients = new List<Socket>();
            try
            {
                for (int round = 0; round < rounds; round++)
                {
                    while (run.Relay.ActiveSessions < places)
                    {
                        int before = Volatile.Read(ref dialled);
                        Socket more = Loopback.Client(run.Port, Loopback.Address(2));
                        clients.Add(more);
                        more.Send(new byte[] { (byte)'W', (byte)'A', 6, 3 });
                        Assert.IsTrue(WaitUntil(() => Volatile.Read(ref dialled) > before, 3000), "round " + round + ": the carrier's session: " + State(run));
                    }

                    Thread.Sleep(300); // the carrier's sessions fall silent
                    for (int n = 0; n < places / 4; n++)
                    {
                        int dialledBefore = Volatile.Read(ref dialled);
                        Socket newcomer = Loopback.Client(run.Port, Loopback.Address(10 + n));
                        clients.Add(newcomer);
                        newcomer.Send(new byte[] { (byte)'W', (byte)'A', 6, 3 });
                        Assert.IsTrue(WaitUntil(() => Volatile.Read(ref dialled) > dialledBefore, 3000), "round " + round + ", newcomer " + n + " did not get the evicted session's place: " + State(run));
                    }

                    Assert.IsTrue(WaitUntil(() => run.Relay.ActiveSessions == places, 3000), "round " + round + ": " + State(run));
                    clients.ForEach(c => c.Dispose());
                    clients.Clear();
                    Assert.IsTrue(WaitUntil(() => run.Relay.ActiveSessions == 0, 3000), "round " + round + ": the sessions did not end: " + State(run));
                }

                Assert.AreEqual(rounds * places / 4, run.Relay.SnapshotTotal().Refused(RefusalReason.Evicted), State(run));
                Assert.AreEqual(0, run.Relay.SnapshotTotal().Refused(RefusalReason.Full), State(run));
            }
            finally
            {
                clients.ForEach(c => c.Dispose());
            }
        }

        private static string State(RelayRun run)
        {
            Counters.RouteCounters total = run.Relay.SnapshotTotal();
            return "active " + run.Relay.ActiveSessions + ", evicted " + total.Refused(RefusalReason.Evicted) + ", full " + total.Refused(RefusalReason.Full);
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [Timeout(60000)]
        public void FullRelay_NewClientClosedAtOnce_ExistingSessionsFlow(string pump)
        {
            using RelayRun run = RelayRun.Plain(maxSessions: 2).Start(pump);
            RelayServer relay = run.Relay;
            Socket a = null, b = null, ua = null, ub = null;
            try
            {
                a = run.Connect();
                a.Send(new byte[] { 1 });
                ua = run.Accept();
                b = run.Connect();
                b.Send(new byte[] { 2 });
                ub = run.Accept();
                Assert.AreEqual(1, ReadExactly(ua, 1)[0]);
                Assert.AreEqual(2, ReadExactly(ub, 1)[0]);

                using (Socket third = run.Connect())
                {
                    DateTime start = DateTime.UtcNow;
                    Assert.IsTrue(ClosedWithin(third, 2000), "third client closed");
                    Assert.IsTrue((DateTime.UtcNow - start).TotalMilliseconds < 1000, "closed at once");
                }

                Assert.IsTrue(WaitUntil(() => relay.SnapshotTotal().Refused(RefusalReason.Full) == 1, 2000), "counted as full");
                ua.Send(new byte[] { 9 });
                Assert.AreEqual(9, ReadExactly(a, 1)[0], "existing session still flows");
                b.Send(new byte[] { 8 });
                Assert.AreEqual(8, ReadExactly(ub, 1)[0]);

                // Once a slot frees up, new clients are served again.
                a.Close();
                ua.Close();
                Assert.IsTrue(WaitUntil(() => relay.ActiveSessions == 1, 5000), "slot returned");
                using Socket fourth = run.Connect();
                fourth.Send(new byte[] { 4 });
                using Socket u4 = run.Accept();
                Assert.AreEqual(4, ReadExactly(u4, 1)[0]);
            }
            finally
            {
                foreach (Socket s in new[] { a, b, ua, ub })
                {
                    s?.Dispose();
                }
            }
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [Timeout(30000)]
        public void ProxyProtocol_LineIsExact_ThenClientBytes(string pump)
        {
            using RelayRun run = RelayRun.Plain(proxy: true).Start(pump);
            using Socket client = run.Connect();
            int clientPort = ((System.Net.IPEndPoint)client.LocalEndPoint).Port;
            byte[] hello = new byte[] { 0x57, 0x41, 0x06, 0x02, 0x00, 0x00, 0x10 }; // "WA" chat prologue
            client.Send(hello);
            using Socket up = run.Accept(5000);
            string expected = "PROXY TCP4 127.0.0.1 127.0.0.1 " + clientPort + " " + run.Port + "\r\n";
            byte[] got = ReadExactly(up, expected.Length + hello.Length);
            Assert.AreEqual(expected, Encoding.ASCII.GetString(got, 0, expected.Length));
            CollectionAssert.AreEqual(hello, got[expected.Length..]);

            up.Send(new byte[] { 42 });
            Assert.AreEqual(42, ReadExactly(client, 1)[0]);
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [Timeout(30000)]
        public void UnreachableUpstream_CountedAndClosed_FallbackUsedWhenPrimaryFails(string pump)
        {
            int dead = FreePort(); // nothing listens here
            int port = FreePort();
            using RelayRun run = new RelayRun((listen, fallbackPort) => Plain(listen, fallbackPort, upstream: "primary.invalid", fallback: "127.0.0.1"));
            run.Config.Routes = new[] { Plain(port, dead), run.Route };
            RelayServer relay = run.Start(pump, new TableResolver()).Relay;
            using (Socket client = Client(port))
            {
                client.Send(new byte[] { 1 });
                Assert.IsTrue(ClosedWithin(client, 5000));
            }

            Assert.IsTrue(WaitUntil(() => relay.SnapshotRoute(0).UpstreamFailures == 1, 3000));

            using (Socket client = run.Connect())
            {
                client.Send(new byte[] { 7 });
                using Socket up = run.Accept(5000);
                Assert.AreEqual(7, ReadExactly(up, 1)[0], "reached the fallback host");
            }

            Assert.AreEqual(0, relay.SnapshotRoute(1).UpstreamFailures);
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [DataRow("events-portable")]
        [Timeout(30000)]
        public void ConnectTimeout_UpstreamNotAnswering_ClosedAfterTimeout(string pump)
        {
            // A listener that never accepts, with its backlog filled: further SYNs go unanswered,
            // so a connect hangs until the relay's connect timeout.
            Socket blackhole = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            blackhole.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            blackhole.Listen(0);
            int blackholePort = ((System.Net.IPEndPoint)blackhole.LocalEndPoint).Port;
            var fillers = new System.Collections.Generic.List<Socket>();
            for (int i = 0; i < 4; i++)
            {
                Socket f = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                try { f.Connect(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, blackholePort)); } catch (SocketException) { }
                fillers.Add(f);
            }

            Thread.Sleep(200);
            using RelayRun run = new RelayRun((listen, upstream) => Plain(listen, blackholePort));
            run.Config.ConnectTimeoutSeconds = 1;
            RelayServer relay = run.Start(pump).Relay;
            try
            {
                using Socket client = run.Connect();
                client.Send(new byte[] { 1 });
                DateTime start = DateTime.UtcNow;
                Assert.IsTrue(ClosedWithin(client, 6000), "closed after the connect timeout");
                double s = (DateTime.UtcNow - start).TotalSeconds;
                Assert.IsTrue(s >= 0.8 && s < 4, "after " + s + " s");
                Assert.IsTrue(WaitUntil(() => relay.SnapshotRoute(0).UpstreamFailures == 1, 2000));
            }
            finally
            {
                fillers.ForEach(f => f.Dispose());
                blackhole.Dispose();
            }
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [Timeout(30000)]
        public void IdleSession_ClosedAfterIdleTimeout_ActiveOneKept(string pump)
        {
            using RelayRun run = RelayRun.Plain();
            run.Config.IdleTimeoutSeconds = 10; // the validator's floor, run five times faster: 2 s
            run.Start(pump, resolver: null, clock: new FastClock(5));
            using Socket busy = run.Connect();
            busy.Send(new byte[] { 1 });
            using Socket busyUp = run.Accept();
            using Socket idle = run.Connect();
            idle.Send(new byte[] { 2 });
            using Socket idleUp = run.Accept();
            ReadExactly(busyUp, 1);
            ReadExactly(idleUp, 1);
            busy.ReceiveTimeout = 5000;
            DateTime start = DateTime.UtcNow;
            // Keep one session busy in one direction only: the idle clock covers both.
            while ((DateTime.UtcNow - start).TotalMilliseconds < 3500)
            {
                busyUp.Send(new byte[] { 3 });
                ReadExactly(busy, 1);
                Thread.Sleep(200);
            }

            Assert.IsTrue(ClosedWithin(idle, 100), "idle session closed");
            busy.Send(new byte[] { 4 });
            Assert.AreEqual(4, ReadExactly(busyUp, 1)[0], "busy session kept");
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [DataRow("events-portable")]
        [Timeout(30000)]
        public void HalfClose_ClientFinishes_UpstreamReplyStillArrives(string pump)
        {
            using RelayRun run = RelayRun.Plain().Start(pump);
            using Socket client = run.Connect();
            using Socket up = Request(run, client, "request");
            Assert.AreEqual(0, up.Receive(new byte[1]), "the FIN was passed on (host)");
            up.Send(Encoding.ASCII.GetBytes("reply"));
            up.Shutdown(SocketShutdown.Send);
            Assert.AreEqual("reply", Encoding.ASCII.GetString(ReadExactly(client, 5)));
            Assert.IsTrue(ClosedWithin(client, 3000));
            Assert.IsTrue(WaitUntil(() => run.Relay.ActiveSessions == 0, 3000), "slot returned");
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [Timeout(30000)]
        public void HalfClose_SlowAnswerAfterClientFin_EveryByteArrives(string pump)
        {
            // Issue 13.1: the answer trickles for 2.5 s, far past the 1 s drain; it must all arrive.
            using RelayRun run = RelayRun.Plain().Start(pump);
            using Socket client = run.Connect();
            using Socket up = Request(run, client, "request");
            byte[] chunk = new byte[1024];
            Task answer = Task.Run(() =>
            {
                for (int i = 0; i < 50; i++)
                {
                    chunk[0] = (byte)i;
                    up.Send(chunk);
                    Thread.Sleep(50);
                }

                up.Shutdown(SocketShutdown.Send);
            });
            byte[] got = ReadExactly(client, 50 * 1024);
            for (int i = 0; i < 50; i++)
            {
                Assert.AreEqual((byte)i, got[i * 1024], "chunk " + i);
            }

            Assert.IsTrue(ClosedWithin(client, 3000), "the upstream's FIN ends it");
            answer.Wait(5000);
            Assert.IsTrue(WaitUntil(() => run.Relay.ActiveSessions == 0, 3000), "slot returned");
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [Timeout(30000)]
        public void HalfClose_UpstreamFinishesFirst_SlowUploadStillArrives(string pump)
        {
            using RelayRun run = RelayRun.Plain().Start(pump);
            using Socket client = run.Connect();
            client.Send(new byte[] { 1 });
            using Socket up = run.Accept(5000);
            ReadExactly(up, 1);
            up.Send(Encoding.ASCII.GetBytes("bye"));
            up.Shutdown(SocketShutdown.Send);
            Assert.AreEqual("bye", Encoding.ASCII.GetString(ReadExactly(client, 3)));
            byte[] chunk = new byte[1024];
            for (int i = 0; i < 40; i++)
            {
                chunk[0] = (byte)i;
                client.Send(chunk);
                Thread.Sleep(50);
            }

            byte[] got = ReadExactly(up, 40 * 1024);
            Assert.AreEqual((byte)39, got[39 * 1024], "the last chunk of a 2 s upload after the upstream's FIN");
            client.Shutdown(SocketShutdown.Send);
            Assert.AreEqual(0, up.Receive(new byte[1]), "the client's FIN passed on");
            Assert.IsTrue(WaitUntil(() => run.Relay.ActiveSessions == 0, 3000), "slot returned");
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [Timeout(60000)]
        public void SteadyTransfer_AllocatesNothingPerRead(string pump)
        {
            // 2 KB buffers: 64 MB is ~32,000 reads and writes per direction; even 8 bytes a read
            // would show as 256 KB. The budget below covers the test process's own background.
            using RelayRun run = RelayRun.Plain(bufferBytes: 2048).Start(pump);
            using Socket client = run.Connect();
            client.Send(new byte[] { 0 });
            using Socket up = run.Accept();
            ReadExactly(up, 1);
            byte[] chunk = new byte[64 * 1024];
            byte[] sink = new byte[64 * 1024];
            void Transfer(int megabytes)
            {
                long total = megabytes * 1024L * 1024L;
                Thread reader = new Thread(() =>
                {
                    long got = 0;
                    while (got < total)
                    {
                        int n = up.Receive(sink, 0, sink.Length, SocketFlags.None);
                        if (n <= 0) break;
                        got += n;
                    }
                });
                reader.Start();
                for (long sent = 0; sent < total; sent += chunk.Length)
                {
                    client.Send(chunk, 0, chunk.Length, SocketFlags.None);
                }

                reader.Join();
            }

            Transfer(8); // warm up: JIT, socket buffers
            long before = GC.GetTotalAllocatedBytes(true);
            Transfer(64);
            long allocated = GC.GetTotalAllocatedBytes(true) - before;
            Console.WriteLine("allocated during 64 MB through 2 KB buffers: " + allocated + " bytes (" + allocated / 64.0 + " per MB)");
            Assert.IsTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over 64 MB");
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [Timeout(60000)]
        public void ManySessions_SlotsReused_AllocationPerSessionReported(string pump)
        {
            // Slots are returned a moment after the client closes (the session's thread folds
            // its counters first); on a loaded 2-core machine that lag can span a few sessions,
            // so give headroom: the point is that 350 sessions run through a fixed set of slots.
            using RelayRun run = RelayRun.Plain(maxSessions: 16, backlog: 64).Start(pump);
            RelayServer relay = run.Relay;
            TestUpstream.Echo(run.Upstream);
            void Sessions(int count)
            {
                for (int i = 0; i < count; i++)
                {
                    using Socket c = run.Connect();
                    c.Send(new byte[] { 5 });
                    Assert.AreEqual(5, ReadExactly(c, 1)[0]);
                }
            }

            Sessions(50);
            long before = GC.GetTotalAllocatedBytes(true);
            Sessions(300);
            long perSession = (GC.GetTotalAllocatedBytes(true) - before) / 300;
            Console.WriteLine("allocated per session (test client, upstream echo and relay, runtime sockets included): " + perSession + " bytes");
            Assert.IsTrue(WaitUntil(() => relay.ActiveSessions == 0, 5000));
            Assert.AreEqual(350, relay.SnapshotTotal().Accepted);
            Assert.AreEqual(0, relay.SnapshotTotal().RefusedTotal);
        }
    
        /// <summary>Sends <paramref name="text"/> and the client's FIN; the upstream's side, with the text checked there.</summary>
        private static Socket Request(RelayRun run, Socket client, string text)
        {
            client.Send(Encoding.ASCII.GetBytes(text));
            client.Shutdown(SocketShutdown.Send);
            Socket up = run.Accept(5000);
            Assert.AreEqual(text, Encoding.ASCII.GetString(ReadExactly(up, text.Length)));
            return up;
        }
    }
}
