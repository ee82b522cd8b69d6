using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Host;
using Pigeon.Net;
using Pigeon.Portal;
using Pigeon.Tests.Host.Reach;
using Pigeon.Tests.Support;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Portal
{
    /// <summary>
    /// The host portal's gate (issue 18, item 7) in front of a real <see cref="PortalServer"/> on
    /// real loopback sockets from several 127.0.0.x addresses, with the gate's clock moved by
    /// hand: whether a deadline has passed never depends on this machine's load.
    /// </summary>
    [TestClass]
    public class PortalGateTests
    {
        private const string Stranger = "127.0.0.21";

        // A handler that holds "/hold" requests until released, and answers the path otherwise.
        private sealed class Holding : IHttpHandler, IDisposable
        {
            private readonly ManualResetEventSlim _release = new ManualResetEventSlim(false);
            private int _holding;

            public int HoldingNow => Volatile.Read(ref _holding);

            public void Handle(HttpRequest request, HttpResponse response)
            {
                if (request.Path == "/hold")
                {
                    Interlocked.Increment(ref _holding);
                    _release.Wait(20000);
                    Interlocked.Decrement(ref _holding);
                }

                response.SetText(200, request.Path);
            }

            public void Release()
            {
                _release.Set();
            }

            public void Dispose()
            {
                _release.Set();
                _release.Dispose();
            }
        }

        // The gate and the server over it, started on a free loopback port.
        private sealed class Rig : IDisposable
        {
            public Rig(int slots)
            {
                Gate = new PortalGate(Clock, Log, slots);
                Gate.Sessions = Sessions;
                Server = new PortalServer(Gate, new ListLog(), Handler, slots);
                Port = Loopback.FreePort();
                Assert.IsTrue(Server.Start(IPv4.Loopback, Port, out string error), error);
            }

            public FakeClock Clock { get; } = new FakeClock();

            public ListLog Log { get; } = new ListLog();

            public PortalSessions Sessions { get; } = new PortalSessions(new CountingRandom());

            public Holding Handler { get; } = new Holding();

            public PortalGate Gate { get; }

            public PortalServer Server { get; }

            public int Port { get; }

            /// <summary>Connections the test keeps open (closed when the rig is disposed).</summary>
            public List<Socket> Held { get; } = new List<Socket>();

            /// <summary>Opens a connection from <paramref name="from"/> that says nothing, kept in <see cref="Held"/>.</summary>
            public Socket Hold(string from)
            {
                Socket s = Loopback.Client(Port, from);
                Held.Add(s);
                return s;
            }

            /// <summary>Fills the waiting room: 8 addresses (127.0.0.30 to 37), 8 silent connections each.</summary>
            public void FillWaitingRoom()
            {
                for (int a = 0; a < PortalGate.Waiting / PortalGate.PerAddress; a++)
                {
                    for (int i = 0; i < PortalGate.PerAddress; i++)
                    {
                        Hold("127.0.0." + (30 + a));
                    }
                }

                Until(() => Gate.WaitingNow == PortalGate.Waiting, "room full: " + Gate.WaitingNow);
            }

            public void Dispose()
            {
                Held.ForEach(s => s.Dispose());
                Handler.Release();
                Server.Stop();
                Handler.Dispose();
            }
        }

        private static Socket Send(string from, int port, string path, string cookie = null)
        {
            Socket s = Loopback.Client(port, from);
            s.Send(Encoding.ASCII.GetBytes("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (cookie == null ? string.Empty : "Cookie: " + cookie + "\r\n") + "\r\n"));
            return s;
        }

        // Everything until the server closes (at most `ms`); null when nothing came and it is still open.
        private static string Answer(Socket s, int ms = 5000)
        {
            s.ReceiveTimeout = ms;
            MemoryStream all = new MemoryStream();
            byte[] buffer = new byte[4096];
            try
            {
                int n;
                while ((n = s.Receive(buffer)) > 0)
                {
                    all.Write(buffer, 0, n);
                }
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
            {
                return all.Length == 0 ? null : Encoding.ASCII.GetString(all.ToArray());
            }
            catch (SocketException)
            {
                // a reset: what arrived counts
            }

            return Encoding.ASCII.GetString(all.ToArray());
        }

        private static bool Closed(Socket s, int ms)
        {
            return Answer(s, ms) == string.Empty;
        }

        private static void Until(Func<bool> condition, string what)
        {
            Assert.IsTrue(SpinWait.SpinUntil(condition, 5000), what);
        }

        [TestMethod]
        [Timeout(60000)]
        public void OneAddressBeyondItsCap_ClosedAtOnce_OthersStillAdmitted()
        {
            using Rig rig = new Rig(2);
            for (int i = 0; i < PortalGate.PerAddress + 3; i++)
            {
                rig.Hold(Stranger);
            }

            Until(() => rig.Gate.Refused == 3, "3 over the cap refused: " + rig.Gate.Refused);
            Assert.AreEqual(PortalGate.PerAddress, rig.Gate.WaitingNow);
            StringAssert.StartsWith(Answer(Send("127.0.0.22", rig.Port, "/other")), "HTTP/1.1 200 ");
            Assert.AreEqual(1, rig.Gate.Handed, "the silent ones never reached a slot");

            // One line a minute says how many were turned away, and names no address.
            rig.Clock.Advance(PortalGate.ReportMs);
            rig.Gate.Sweep();
            List<string> lines = rig.Log.Lines.FindAll(l => l.Contains("turned away", StringComparison.Ordinal));
            Assert.AreEqual(1, lines.Count, string.Join("\n", rig.Log.Lines));
            StringAssert.StartsWith(lines[0], "warn: portal: " + (3 + PortalGate.PerAddress) + " connections turned away in the last minute (3 over 8 from one address");
            Assert.IsFalse(lines[0].Contains("127.0.0", StringComparison.Ordinal));
            rig.Clock.Advance(PortalGate.ReportMs);
            rig.Gate.Sweep();
            Assert.AreEqual(1, rig.Log.Lines.FindAll(l => l.Contains("turned away", StringComparison.Ordinal)).Count, "nothing new: no line");
        }

        [TestMethod]
        [Timeout(60000)]
        public void WaitingRoomFull_AQuietAddressTakesTheMostActiveAddressesOldestPlace()
        {
            using Rig rig = new Rig(2);
            // The room filled by 8 addresses of 8 each; one more connection of theirs is refused.
            rig.FillWaitingRoom();
            rig.Hold("127.0.0.30");
            Until(() => rig.Gate.Refused == 1, "an address at its cap is refused");

            // A quiet address gets in: the first connection of 127.0.0.30 makes room.
            Socket owner = Send("127.0.0.22", rig.Port, "/quiet");
            StringAssert.StartsWith(Answer(owner), "HTTP/1.1 200 ");
            Assert.AreEqual(1, rig.Gate.Evicted);
            Assert.IsTrue(Closed(rig.Held[0], 2000), "the longest-waiting connection of the busiest address was closed");
            Assert.IsFalse(Closed(rig.Held[PortalGate.PerAddress], 200), "another address's connection still waits");
        }

        [TestMethod]
        [Timeout(60000)]
        public void WaitingRoomFull_ANewcomerAboutAsActiveAsTheOthers_TakesNoMorePlaces()
        {
            using Rig rig = new Rig(2);
            // 8 addresses, each 8 connections waiting and 8 connects: activity 16 each.
            rig.FillWaitingRoom();

            // A ninth address opens 8: its n-th connect has activity 2n - 1 (n - 1 waiting, n
            // connects) and takes a place while the busiest has more than twice that: 4 times.
            for (int i = 0; i < PortalGate.PerAddress; i++)
            {
                rig.Hold("127.0.0.40");
            }

            Until(() => rig.Gate.Evicted + rig.Gate.Refused == PortalGate.PerAddress, "all 8 decided");
            Assert.AreEqual(4, rig.Gate.Evicted);
            Assert.AreEqual(4, rig.Gate.Refused);
            Assert.AreEqual(PortalGate.Waiting, rig.Gate.WaitingNow);
        }

        [TestMethod]
        [Timeout(60000)]
        public void WaitingRoomFull_AnUnfinishedRequestMakesRoomBeforeASilentConnection()
        {
            using Rig rig = new Rig(2);
            rig.FillWaitingRoom();
            Socket slowloris = rig.Held[PortalGate.PerAddress + 3]; // 127.0.0.31's fourth
            slowloris.Send(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a"));
            Until(() => rig.Gate.Unfinished == 1, "the gate has read the unfinished request");

            StringAssert.StartsWith(Answer(Send("127.0.0.22", rig.Port, "/quiet")), "HTTP/1.1 200 ");
            Assert.AreEqual(1, rig.Gate.Evicted);
            Assert.IsTrue(Closed(slowloris, 2000), "the unfinished request made room");
            Assert.IsFalse(Closed(rig.Held[0], 200), "the longest-waiting silent connection still waits: it may be a browser whose request is on its way");
        }

        [TestMethod]
        [Timeout(60000)]
        public void OwnersRequest_TakesTheReservedSlot_StrangersWaitForTheOthers()
        {
            using Rig rig = new Rig(2);
            string cookie = PortalSessions.CookieName + "=" + rig.Sessions.GetToken(rig.Sessions.Create(rig.Clock.Now));
            using Socket first = Send(Stranger, rig.Port, "/hold");
            Until(() => rig.Handler.HoldingNow == 1, "a stranger holds the one slot strangers may have");
            using Socket second = Send("127.0.0.22", rig.Port, "/second");
            using Socket forged = Send("127.0.0.23", rig.Port, "/forged", PortalSessions.CookieName + "=" + new string('0', 32));
            Until(() => rig.Gate.WaitingNow == 2, "both whole requests wait");
            Assert.IsNull(Answer(second, 300), "no slot for a second stranger: the last one is the owner's");

            // The owner's cookie is read from the request head, before a slot is given.
            using Socket owner = Send("127.0.0.24", rig.Port, "/owner", cookie);
            StringAssert.Contains(Answer(owner), "/owner");
            using Socket local = Send("127.0.0.1", rig.Port, "/local");
            StringAssert.Contains(Answer(local), "/local", "the machine itself is the owner too");
            Assert.IsNull(Answer(second, 200), "strangers still wait");

            rig.Handler.Release();
            StringAssert.Contains(Answer(first), "/hold");
            StringAssert.Contains(Answer(second), "/second");
            StringAssert.Contains(Answer(forged), "/forged", "a cookie that is no session is a stranger's");
        }

        [TestMethod]
        [Timeout(60000)]
        public void WholeRequestWithoutASlot_Answered503AfterItsWait()
        {
            using Rig rig = new Rig(2);
            using Socket first = Send(Stranger, rig.Port, "/hold");
            Until(() => rig.Handler.HoldingNow == 1, "a stranger holds the strangers' slot");
            using Socket waiting = Send("127.0.0.22", rig.Port, "/waiting");
            Until(() => rig.Gate.ReadyNow == 1, "the whole request waits for a slot"); // its wait starts when it is whole, not at the connect
            rig.Clock.Advance(PortalServer.RequestTimeoutMs - 1);
            rig.Gate.Sweep();
            Assert.IsNull(Answer(waiting, 200));
            rig.Clock.Advance(1);
            rig.Gate.Sweep();
            StringAssert.StartsWith(Answer(waiting), "HTTP/1.1 503 ");
            Assert.AreEqual(1, rig.Gate.Busy);
        }

        [TestMethod]
        [Timeout(60000)]
        public void IdleAndSlowConnections_CutAtTheirDeadline_StrangersSoonerInACrowd()
        {
            using Rig rig = new Rig(2);
            using Socket idle = Loopback.Client(rig.Port, Stranger);
            using Socket slow = Loopback.Client(rig.Port, "127.0.0.22");
            slow.Send(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a"));
            Until(() => rig.Gate.WaitingNow == 2, "both wait");
            rig.Clock.Advance(PortalGate.StrangerPressedMs);
            rig.Gate.Sweep();
            Assert.IsFalse(Closed(idle, 200), "the room is not crowded: a stranger has the whole request time");
            rig.Clock.Advance(PortalServer.RequestTimeoutMs - PortalGate.StrangerPressedMs);
            rig.Gate.Sweep();
            Assert.IsTrue(Closed(idle, 2000));
            Assert.IsTrue(Closed(slow, 2000));
            Assert.AreEqual(2, rig.Gate.TimedOut);
            Assert.AreEqual(0, rig.Gate.Handed);

            // Half the room full of strangers: they get StrangerPressedMs; the machine itself keeps the whole time.
            for (int i = 0; i < PortalGate.Waiting / 2; i++)
            {
                rig.Hold("127.0.0." + (30 + (i / PortalGate.PerAddress)));
            }

            using Socket local = Loopback.Client(rig.Port, "127.0.0.1");
            Until(() => rig.Gate.WaitingNow == (PortalGate.Waiting / 2) + 1, "the crowd and the local connection wait");
            rig.Clock.Advance(PortalGate.StrangerPressedMs);
            rig.Gate.Sweep();
            Assert.AreEqual(1, rig.Gate.WaitingNow, "only the machine's own connection still waits");
            Assert.IsTrue(Closed(rig.Held[0], 2000));
            Assert.IsFalse(Closed(local, 200));
        }

        [TestMethod]
        [Timeout(60000)]
        public void RequestInPieces_ServedOnceWhole_WithItsBody()
        {
            using Rig rig = new Rig(2);
            using Socket s = Loopback.Client(rig.Port, Stranger);
            s.Send(Encoding.ASCII.GetBytes("POST /body HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n01234"));
            Until(() => rig.Gate.WaitingNow == 1, "waits");
            Thread.Sleep(100);
            Assert.AreEqual(0, rig.Gate.Handed, "no slot before the body is whole");
            s.Send(Encoding.ASCII.GetBytes("56789"));
            StringAssert.StartsWith(Answer(s), "HTTP/1.1 200 ");
            Assert.AreEqual(1, rig.Gate.Handed);
        }

        [TestMethod]
        [Timeout(60000)]
        public void CutShortOrOversized_HandedAtOnceForTheServersRefusal()
        {
            using Rig rig = new Rig(2);
            using Socket cut = Loopback.Client(rig.Port, Stranger);
            cut.Send(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
            cut.Shutdown(SocketShutdown.Send);
            StringAssert.StartsWith(Answer(cut), "HTTP/1.1 400 ");

            using Socket large = Loopback.Client(rig.Port, "127.0.0.22");
            large.Send(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Fill: " + new string('a', HttpRequest.MaxHead) + "\r\n\r\n"));
            StringAssert.StartsWith(Answer(large), "HTTP/1.1 431 ");

            using Socket silent = Loopback.Client(rig.Port, "127.0.0.23");
            silent.Shutdown(SocketShutdown.Send);
            Assert.IsTrue(Closed(silent, 2000), "closed without a word: closed, no answer");
            Until(() => rig.Gate.WaitingNow == 0, "nothing left waiting");
        }
    }
}
