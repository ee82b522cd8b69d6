using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>
    /// A chat route with TLS on (terminateTls), where the relay itself does every handshake:
    /// four strangers stall handshakes (a few bytes of a hello, or a whole handshake and then
    /// silence), send garbage records, abort after their hello, finish a handshake and leave,
    /// or send an HTTP request inside the TLS (a prober: it gets the decoy page). Meanwhile a
    /// legitimate TLS session keeps transferring and new legitimate clients keep connecting:
    /// every handshake of theirs must finish quickly and every byte arrive; each stranger's
    /// session must end under its own reason, and none may reach the upstream.
    /// </summary>
    public static class TlsCase
    {
        private const int Strangers = 4;
        private const int PerClient = 16;
        private const int HelloTimeoutSeconds = 5;
        private const int HeldPerStranger = 10;

        // The strangers' kinds of connection, in the order Attack numbers them.
        private static readonly string[] Kinds = { "stalled_hello", "garbage_record", "hello_then_gone", "handshake_then_gone", "handshake_then_silence", "http_inside_tls" };

        /// <summary>Runs the case.</summary>
        public static void Run(Report report, Scale scale, int seed, string pump)
        {
            using Upstream upstream = new Upstream(true, 0);
            int port = Loopback.FreePort();
            using PigeonHost host = new PigeonHost("tls-" + pump, Configs.Relay(96, PerClient, 0, HelloTimeoutSeconds, Configs.Tls("chat-tls", port, upstream.Port)), pump);
            host.Start();
            report.Note(pump + " pump, 96 slots, maxSessionsPerClient " + PerClient + ", helloTimeoutSeconds " + HelloTimeoutSeconds + "; " + Strangers + " strangers for " + scale.TlsFloodMs + " ms");
            int filesBefore = host.OpenNonFiles();
            Counters before = host.Counters();
            int upstreamBefore = upstream.Accepted;

            // The long session is established first; the flood then must not stop it.
            RunningTransfer legit = RunningTransfer.Start(port, Loopback.Legit, null, seed, -1, true);
            Loopback.WaitUntil(() => legit.HandshakeMs > 0 || legit.Error != null, 10000);
            bool stop = false;
            Tally tally = new Tally();
            Thread[] strangers = new Thread[Strangers];
            for (int a = 0; a < Strangers; a++)
            {
                int index = a;
                strangers[a] = Harness.Background("stranger-" + a, () => Attack(port, Loopback.Address(2 + index), new Random(seed + index), () => Volatile.Read(ref stop), tally));
                strangers[a].Start();
            }

            // New legitimate clients all through the flood.
            List<RunningTransfer> newcomers = new List<RunningTransfer>();
            Stopwatch watch = Stopwatch.StartNew();
            while (watch.ElapsedMilliseconds < scale.TlsFloodMs)
            {
                Thread.Sleep(300);
                newcomers.Add(RunningTransfer.Start(port, Loopback.Legit, null, seed + 1 + newcomers.Count, 65536, true));
            }

            Volatile.Write(ref stop, true);
            foreach (Thread t in strangers)
            {
                t.Join();
            }

            legit.Stop();
            legit.Verify(report, "the legitimate TLS session that ran through the flood", upstream);
            report.Figure("legit_handshake_ms", legit.HandshakeMs, "ms (the long session's handshake, before the strangers came)");
            if (legit.Result != null)
            {
                report.Figure("legit_mb_per_s", (legit.Result.SentBytes + legit.Result.ReceivedBytes) / legit.Result.Seconds / 1e6, "MB/s (up + down, inside TLS, during the flood)");
                report.Check("it never stalled for 3 s or more", legit.Result.MaxStallMs < 3000, Math.Round(legit.Result.MaxStallMs) + " ms");
            }

            int whole = 0;
            double slowest = 0;
            List<double> handshakes = new List<double>();
            for (int i = 0; i < newcomers.Count; i++)
            {
                RunningTransfer n = newcomers[i];
                if (n.Wait(30000) && n.Result != null)
                {
                    TransferRecord theirs = upstream.WaitRecord(n.Seed, 10000);
                    if (Transfer.IsWhole(n.Result, theirs) && n.Result.ReceivedBytes == 65536)
                    {
                        whole++;
                    }
                    else
                    {
                        report.Note("newcomer " + i + ": sent " + n.Result.SentBytes + ", received " + n.Result.ReceivedBytes + (n.Result.EndedByFin ? " and a FIN" : " and no FIN")
                            + (n.Result.Error == null ? string.Empty : " (" + n.Result.Error + ")") + "; upstream " + (theirs == null ? "has no record"
                            : "received " + theirs.ReceivedBytes + (theirs.EndedByFin ? " and a FIN" : " and no FIN") + ", sent " + theirs.SentBytes + (theirs.SentAll ? string.Empty : " (cut)")));
                    }

                    handshakes.Add(n.HandshakeMs);
                    slowest = Math.Max(slowest, n.HandshakeMs);
                }
                else if (n.Error != null)
                {
                    report.Note("newcomer " + i + ": " + n.Error);
                }
            }

            handshakes.Sort();
            report.Figure("newcomer_handshake_ms_median", handshakes.Count == 0 ? double.NaN : handshakes[handshakes.Count / 2], "ms (" + handshakes.Count + " new legitimate TLS clients during the flood)");
            report.Figure("newcomer_handshake_ms_max", slowest, "ms");
            report.Check("every new legitimate TLS client during the flood got through, every byte intact", newcomers.Count > 0 && whole == newcomers.Count, whole + " of " + newcomers.Count);
            report.Check("no legitimate handshake took 3 s or more", slowest < 3000, Math.Round(slowest) + " ms at most");

            Counters d = host.WaitIdle((HelloTimeoutSeconds * 1000) + 10000).Minus(before);
            int attacks = tally.Made;
            int decoyCount = tally.Decoys;
            int decoyOk = tally.DecoysRight;
            for (int kind = 0; kind < Kinds.Length; kind++)
            {
                report.Figure("stranger_ms_" + Kinds[kind], tally.Count[kind] == 0 ? double.NaN : tally.Ms[kind] / tally.Count[kind],
                    "ms on average for a stranger's " + Kinds[kind].Replace('_', ' ') + " (" + tally.Count[kind] + " of them)");
            }

            int legitimate = 1 + newcomers.Count;
            int served = upstream.Accepted - upstreamBefore;
            report.Note(attacks + " stranger connections, " + legitimate + " legitimate; " + d);
            report.Figure("stranger_connections", attacks, "connections");
            report.Check("every session ended", d.Active == 0, d.ToString());
            report.Check("connections = accepted + full + client_limit", attacks + legitimate == d.Accepted + d.RefusedAtDoor,
                (attacks + legitimate) + " = " + d.Accepted + " + " + d["full"] + " + " + d["clientLimit"]);
            report.Check("accepted = refused in session + upstream failures + served", d.Accepted == d.RefusedInSession + d.UpstreamFailures + served,
                d.Accepted + " = " + d.RefusedInSession + " + " + d.UpstreamFailures + " + " + served);
            report.Check("only the legitimate clients reached the upstream", served == legitimate, served + " upstream connections for " + legitimate + " legitimate clients");
            report.Check("stalled handshakes ended as hello_timeout", d["helloTimeout"] > 0, d["helloTimeout"] + " hello_timeout");
            report.Check("garbage handshakes ended as tls_failed", d["tlsFailed"] > 0, d["tlsFailed"] + " tls_failed");
            report.Check("handshakes left at once ended as closed_early", d["closedEarly"] > 0, d["closedEarly"] + " closed_early");
            report.Check("HTTP inside the TLS got the decoy page (probe) and nothing else", decoyCount > 0 && decoyOk == decoyCount && d["probe"] == decoyCount,
                decoyOk + " of " + decoyCount + " answered as a web page, " + d["probe"] + " counted as probe" + (tally.DecoyWrong == null ? string.Empty : "; one saw " + tally.DecoyWrong));
            int filesAfter = host.OpenNonFiles();
            report.Check("no descriptor left behind (sockets, pipes and the like)", filesAfter <= filesBefore, filesBefore + " before, " + filesAfter + " after");
            FloodCase.CheckLog(report, host);
        }

        private static void Attack(int port, string from, Random random, Func<bool> stop, Tally tally)
        {
            byte[] hello = Configs.MediaHello();
            Queue<Socket> held = new Queue<Socket>();
            while (!stop())
            {
                // Sessions the stranger holds open end at the relay's hello timeout; forget those.
                int count = held.Count;
                for (int i = 0; i < count; i++)
                {
                    Socket h = held.Dequeue();
                    if (Loopback.IsClosed(h))
                    {
                        h.Dispose();
                    }
                    else
                    {
                        held.Enqueue(h);
                    }
                }

                int kind = random.Next(6);
                if ((kind == 0 || kind == 4) && held.Count >= HeldPerStranger)
                {
                    Thread.Sleep(20);
                    continue;
                }

                Stopwatch watch = Stopwatch.StartNew();
                Socket s;
                try
                {
                    s = Loopback.Connect(port, from);
                }
                catch (Exception e) when (e is SocketException || e is TimeoutException)
                {
                    continue;
                }

                Interlocked.Increment(ref tally.Made);
                try
                {
                    switch (kind)
                    {
                        case 0: // a few bytes of a hello, then nothing
                            Loopback.SendAll(s, hello, 0, 20);
                            held.Enqueue(s);
                            break;
                        case 1: // a handshake record of garbage
                        {
                            byte[] junk = new byte[69];
                            random.NextBytes(junk);
                            junk[0] = 0x16;
                            junk[1] = 0x03;
                            junk[2] = 0x01;
                            junk[3] = 0x00;
                            junk[4] = 0x40;
                            Loopback.SendAll(s, junk);
                            Loopback.ClosedWithin(s, 5000);
                            s.Dispose();
                            break;
                        }

                        case 2: // a hello, then gone
                            Loopback.SendAll(s, hello);
                            s.Dispose();
                            break;
                        case 3: // a whole handshake, then gone
                            using (SslStream ssl = Handshake(s))
                            {
                            }

                            s.Dispose();
                            break;
                        case 4: // a whole handshake, then nothing
                            Handshake(s);
                            held.Enqueue(s);
                            break;
                        default: // a prober: HTTP inside the TLS
                        {
                            using SslStream ssl = Handshake(s);
                            byte[] request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: chat.example\r\n\r\n");
                            ssl.Write(request, 0, request.Length);
                            byte[] answer = new byte[16];
                            Interlocked.Increment(ref tally.Decoys);
                            string seen;
                            try
                            {
                                int got = 0;
                                int n = 1;
                                while (got < 8 && (n = ssl.Read(answer, got, 8 - got)) > 0)
                                {
                                    got += n;
                                }

                                seen = Encoding.ASCII.GetString(answer, 0, got) + (n == 0 ? " then the end" : string.Empty);
                            }
                            catch (Exception e) when (e is System.IO.IOException || e is SocketException)
                            {
                                seen = e.GetType().Name + ": " + e.Message + (e.InnerException == null ? string.Empty : " (" + e.InnerException.Message + ")");
                            }

                            if (seen == "HTTP/1.1")
                            {
                                Interlocked.Increment(ref tally.DecoysRight);
                            }
                            else
                            {
                                Interlocked.CompareExchange(ref tally.DecoyWrong, seen, null);
                            }

                            s.Dispose();
                            break;
                        }
                    }
                }
                catch (Exception e) when (e is SocketException || e is System.IO.IOException || e is AuthenticationException || e is ObjectDisposedException)
                {
                    s.Dispose(); // refused at the door (the cap), or closed by the relay mid-way
                }

                tally.Add(kind, watch.Elapsed.TotalMilliseconds);
            }

            foreach (Socket h in held)
            {
                Loopback.ClosedWithin(h, (HelloTimeoutSeconds * 1000) + 2000);
                h.Dispose();
            }
        }

        // What the strangers did, by kind (see Attack), and what it cost them.
        private sealed class Tally
        {
            public readonly double[] Ms = new double[Kinds.Length];
            public readonly int[] Count = new int[Kinds.Length];
            public int Made;
            public int Decoys;
            public int DecoysRight;
            public string DecoyWrong;

            public void Add(int kind, double ms)
            {
                lock (this)
                {
                    Ms[kind] += ms;
                    Count[kind]++;
                }
            }
        }

        private static SslStream Handshake(Socket s)
        {
            SslStream ssl = new SslStream(new NetworkStream(s, false), false);
            ssl.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = "chat.example", RemoteCertificateValidationCallback = (a, b, c, d) => true });
            return ssl;
        }
    }
}
