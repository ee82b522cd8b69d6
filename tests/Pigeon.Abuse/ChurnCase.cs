using System;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>
    /// Connect/close and garbage churn on the chat and media routes from 8 client addresses at
    /// once: connect and close, connect and reset, garbage of every length, a hello cut short,
    /// a foreign SNI, a valid opening then a reset, and now and then a small legitimate transfer.
    /// In two rounds, so the second shows whether anything grows: afterwards no session is
    /// active, the process holds no more descriptors or threads than after the first round,
    /// every connection is accounted for (connections = accepted + refused at the door;
    /// accepted = refused in session + upstream failures + served) and every byte the relay
    /// counted upstream reached the upstream.
    /// </summary>
    public static class ChurnCase
    {
        private const int Workers = 8;
        private const int Kinds = 10;

        /// <summary>Runs the case over <paramref name="pump"/>.</summary>
        public static void Run(Report report, Scale scale, int seed, string pump)
        {
            using ChatAndMedia routes = new ChatAndMedia();
            using PigeonHost host = new PigeonHost("churn-" + pump, routes.Config(64, 0, 0, 2), pump);
            host.Start();
            int files0 = host.OpenNonFiles();
            int threads0 = host.Threads();
            System.Collections.Generic.SortedDictionary<string, int> kinds0 = host.FileKinds();
            report.Note(pump + " pump, 64 slots, no per-client cap (8 client addresses); at start " + files0 + " descriptors besides files, " + threads0 + " threads");

            int[] files = new int[2];
            int[] threads = new int[2];
            int perRound = scale.ChurnConnections / 2;
            for (int round = 0; round < 2; round++)
            {
                Counters before = host.Counters();
                int servedBefore = routes.Accepted;
                long upBefore = routes.Received;
                Stopwatch watch = Stopwatch.StartNew();
                long legitDown = 0;
                int legitOk = 0;
                int legitRuns = 0;
                Thread[] workers = new Thread[Workers];
                for (int w = 0; w < Workers; w++)
                {
                    int worker = w;
                    workers[w] = Harness.Background("churn-" + w, () =>
                    {
                        Random random = new Random(seed + (round * 1000) + worker);
                        string from = Loopback.Address(1 + worker);
                        for (int i = 0; i < perRound / Workers; i++)
                        {
                            int kind = random.Next(Kinds);
                            long down = One(kind, random, from, routes, seed + (round * 10000000L) + (worker * 1000000L) + i, out bool legitPassed);
                            if (down >= 0)
                            {
                                Interlocked.Add(ref legitDown, down);
                                Interlocked.Increment(ref legitRuns);
                                if (legitPassed)
                                {
                                    Interlocked.Increment(ref legitOk);
                                }
                            }
                        }
                    });
                    workers[w].Start();
                }

                foreach (Thread t in workers)
                {
                    t.Join();
                }

                double seconds = watch.Elapsed.TotalSeconds;
                int made = (perRound / Workers) * Workers;
                Counters end = host.WaitIdle(20000);
                // The relay counts a session (and its bytes) when it ends; the upstream's accept
                // thread may take a connection the relay dialled and already closed out of its
                // backlog a moment later. Wait for the two sides to agree, then report what is.
                Counters d = host.Counters().Minus(before);
                Loopback.WaitUntil(() =>
                {
                    d = host.Counters().Minus(before);
                    return routes.Open == 0
                        && routes.Accepted - servedBefore == d.Accepted - d.RefusedInSession - d.UpstreamFailures
                        && routes.Received - upBefore == d.BytesToUpstream;
                }, 10000);
                int served = routes.Accepted - servedBefore;
                long upstreamGot = routes.Received - upBefore;
                Thread.Sleep(500); // let the runtime close what it closes lazily
                files[round] = host.OpenNonFiles();
                threads[round] = host.Threads();
                string r = "round " + (round + 1) + ": ";
                report.Note(r + "descriptors other than files changed since the start: " + PigeonHost.FileKindsChange(kinds0, host.FileKinds()));
                report.Note(r + made + " connections in " + Math.Round(seconds, 1) + " s; " + d);
                report.Figure("round" + (round + 1) + "_connections_per_s", made / seconds, "connections/s (8 clients)");
                report.Check(r + "every session ended (active 0) and every upstream connection closed", end.Active == 0 && routes.Open == 0,
                    "active " + end.Active + ", upstream connections open " + routes.Open);
                report.Check(r + "connections = accepted + full + client_limit", made == d.Accepted + d.RefusedAtDoor,
                    made + " = " + d.Accepted + " + " + d["full"] + " + " + d["clientLimit"]);
                report.Check(r + "accepted = refused in session + upstream failures + served", d.Accepted == d.RefusedInSession + d.UpstreamFailures + served,
                    d.Accepted + " = " + d.RefusedInSession + " + " + d.UpstreamFailures + " + " + served);
                report.Check(r + "bytes the relay counted upstream = bytes the upstreams received", d.BytesToUpstream == upstreamGot,
                    d.BytesToUpstream + " counted, " + upstreamGot + " received");
                report.Check(r + "bytes the relay counted to clients = what the legitimate clients received", d.BytesToClient == legitDown,
                    d.BytesToClient + " counted, " + legitDown + " received");
                report.Check(r + "every legitimate transfer among the churn was whole", legitRuns > 0 && legitOk == legitRuns, legitOk + " of " + legitRuns);
            }

            report.Figure("descriptors", files[1], "sockets, pipes and the like open after both rounds (" + files0 + " at start, " + files[0] + " after round 1)");
            report.Figure("threads", threads[1], "after both rounds (" + threads0 + " at start, " + threads[0] + " after round 1)");
            report.Check("no descriptor left behind: as many sockets, pipes and the like after each round as at start", files[0] == files0 && files[1] == files0,
                files0 + ", " + files[0] + ", " + files[1]);
            report.Check("no thread growth: round 2 left no more threads than round 1 (+4 for the runtime's pool, which grows and shrinks with load)", threads[1] <= threads[0] + 4,
                threads[0] + " then " + threads[1]);
            FloodCase.CheckLog(report, host);
        }

        // One connection of the given kind; returns the bytes a legitimate transfer received (-1
        // for every other kind) and whether it was whole.
        private static long One(int kind, Random random, string from, ChatAndMedia routes, long seed, out bool legitPassed)
        {
            legitPassed = false;
            byte[] hello = routes.Hello;
            bool toMedia = kind == 3 || kind == 5 || kind == 6 || kind == 7 || kind == 9;
            Socket s;
            try
            {
                s = Loopback.Connect(toMedia ? routes.MediaPort : routes.ChatPort, from);
            }
            catch (Exception e) when (e is SocketException || e is TimeoutException)
            {
                return -1; // counted nowhere: the accounting check will say so
            }

            try
            {
                switch (kind)
                {
                    case 0: // connect, FIN
                        s.Dispose();
                        break;
                    case 1: // connect, RST
                        Loopback.Reset(s);
                        break;
                    case 2: // garbage on chat (a third of them open like TLS: refused as TLS on a chat port)
                    {
                        byte[] junk = Junk(random, 1 + random.Next(3000));
                        if (random.Next(3) == 0)
                        {
                            junk[0] = 0x16;
                            if (junk.Length > 1)
                            {
                                junk[1] = 0x03;
                            }

                            if (junk.Length > 2)
                            {
                                junk[2] = (byte)random.Next(5);
                            }
                        }

                        Loopback.SendAll(s, junk);
                        s.Dispose();
                        break;
                    }

                    case 3: // garbage on media
                        Loopback.SendAll(s, Junk(random, 1 + random.Next(3000)));
                        s.Dispose();
                        break;
                    case 4: // one byte then a reset
                        Loopback.SendAll(s, new[] { (byte)'P' });
                        Loopback.Reset(s);
                        break;
                    case 5: // a valid hello, garbage after it, FIN
                        Loopback.SendAll(s, hello);
                        Loopback.SendAll(s, Junk(random, random.Next(5000)));
                        s.Dispose();
                        break;
                    case 6: // a hello cut short, FIN
                        Loopback.SendAll(s, hello, 0, 1 + random.Next(hello.Length - 1));
                        s.Dispose();
                        break;
                    case 7: // a hello naming a host outside the allow-list
                        Loopback.SendAll(s, new Pigeon.Tests.Support.HelloBuilder { Names = new[] { "example.com" } }.Build());
                        Loopback.ClosedWithin(s, 5000);
                        s.Dispose();
                        break;
                    case 8: // a small legitimate transfer
                    {
                        long bytes = 1 + random.Next(65536);
                        TransferRecord mine;
                        using (NetworkStream stream = new NetworkStream(s, false))
                        {
                            mine = Transfer.Run(stream, () => s.Shutdown(SocketShutdown.Send), seed, bytes, bytes);
                        }

                        s.Dispose();
                        TransferRecord theirs = routes.Chat.WaitRecord(seed, 10000);
                        legitPassed = Transfer.IsWhole(mine, theirs) && mine.SentBytes == bytes && mine.ReceivedBytes == bytes;
                        return mine.ReceivedBytes;
                    }

                    default: // a valid hello, garbage, then a reset
                        Loopback.SendAll(s, hello);
                        Loopback.SendAll(s, Junk(random, random.Next(5000)));
                        Loopback.Reset(s);
                        break;
                }
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is System.IO.IOException)
            {
                s.Dispose();
            }

            return -1;
        }

        private static byte[] Junk(Random random, int length)
        {
            byte[] junk = Mutator.Junk(random, length);
            if (length > 0 && junk[0] == 0x16)
            {
                junk[0] = 0x17; // plain garbage: the TLS-looking kind is made on purpose above
            }

            return junk;
        }
    }
}
