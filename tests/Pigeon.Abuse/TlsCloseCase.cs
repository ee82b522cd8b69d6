using System;
using System.Collections.Generic;
using System.Threading;
using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>
    /// TLS half-close, many times over, on a chat route with TLS on: batches of transfers that
    /// both run flat out, where either the client finishes first (close_notify, then its FIN,
    /// while the upstream still sends) or the upstream does (the relay sends close_notify while
    /// it is still reading what the client sends). Every byte must arrive each way, each side
    /// ending with a FIN, and the relay must stay up. The client's close_notify meets its own
    /// reads in every transfer it finishes, and the relay's meets its reads in every one the
    /// upstream finishes: two threads on one OpenSSL session, unless TlsCloseGate keeps them
    /// apart (docs/reliability.md, "What it found").
    /// </summary>
    public static class TlsCloseCase
    {
        private const int Batches = 16;
        private const int PerBatch = 8;
        private const long UpstreamFirstBytes = 4 << 20; // what the upstream sends before it finishes first

        /// <summary>Runs the case.</summary>
        public static void Run(Report report, int seed, string pump)
        {
            using Upstream upstream = new Upstream(true, 0);
            int port = Loopback.FreePort();
            using PigeonHost host = new PigeonHost("tls-close-" + pump, Configs.Relay(64, 64, 0, 5, Configs.Tls("chat-tls", port, upstream.Port)), pump);
            host.Start();
            report.Note(pump + " pump; " + Batches + " batches of " + PerBatch + " TLS transfers at once, each finished first by the client or by the upstream");
            int filesBefore = host.OpenNonFiles();
            Counters before = host.Counters();
            Random random = new Random(seed);
            int whole = 0;
            int total = 0;
            int upstreamFirst = 0;
            string firstFailure = null;
            for (int batch = 0; batch < Batches; batch++)
            {
                List<RunningTransfer> transfers = new List<RunningTransfer>();
                for (int i = 0; i < PerBatch; i++)
                {
                    long transferSeed = ((long)seed << 20) + (batch * PerBatch) + i;
                    bool upstreamFinishes = random.Next(2) == 0;
                    upstreamFirst += upstreamFinishes ? 1 : 0;
                    transfers.Add(RunningTransfer.StartTimed(port, Loopback.Legit, transferSeed, upstreamFinishes ? UpstreamFirstBytes : -1, true));
                }

                // Each runs for a while both ways (however slowly a loaded machine starts its threads) before it is told to stop.
                Thread.Sleep(random.Next(100, 400));
                foreach (RunningTransfer t in transfers)
                {
                    Loopback.WaitUntil(() => t.SentSoFar > 0 || t.Wait(0), 10000);
                    t.Stop();
                }

                foreach (RunningTransfer t in transfers)
                {
                    total++;
                    string failure = t.Failure(upstream, 30000);
                    if (failure == null)
                    {
                        whole++;
                    }
                    else
                    {
                        firstFailure ??= "transfer " + t.Seed + ": " + failure;
                    }
                }
            }

            report.Figure("upstream_first", upstreamFirst, "transfers the upstream finished first, of " + total);
            report.Check("every transfer whole each way, each stream ending cleanly (a FIN at the upstream, the TLS end at the client)", whole == total, whole + " of " + total + (firstFailure == null ? string.Empty : "; " + firstFailure));
            Counters d = host.WaitIdle(15000).Minus(before);
            report.Check("every session ended, all of them served", d.Active == 0 && d.Accepted == total && d.RefusedInSession == 0 && d.UpstreamFailures == 0, d.ToString());
            int filesAfter = host.OpenNonFiles();
            report.Check("no descriptor left behind (sockets, pipes and the like)", filesAfter <= filesBefore, filesBefore + " before, " + filesAfter + " after");
            FloodCase.CheckLog(report, host);
        }
    }
}
