using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>
    /// End to end through the relay: one stream, then eight at once (four chat, four media
    /// behind a ClientHello), each sending its seeded stream both ways at the same time. Every
    /// byte must arrive, in order (SHA-256 of each direction at both ends), and the relay's byte
    /// counters must equal what the far ends received.
    /// </summary>
    public static class StreamsCase
    {
        /// <summary>Runs the case over <paramref name="pump"/>.</summary>
        public static void Run(Report report, Scale scale, int seed, string pump)
        {
            using ChatAndMedia routes = new ChatAndMedia();
            using PigeonHost host = new PigeonHost("streams-" + pump, routes.Config(32, 16, 0, 2), pump);
            host.Start();
            report.Note(pump + " pump; 1 stream of " + scale.OneStreamBytes + " B each way, then 8 streams of " + scale.EightStreamBytes + " B each way");

            Counters before = host.Counters();
            long upBefore = routes.Received;
            Stopwatch watch = Stopwatch.StartNew();
            RunningTransfer one = RunningTransfer.Start(routes.ChatPort, Loopback.Legit, null, seed, scale.OneStreamBytes);

            // Meanwhile, other clients' small exchanges: how much one bulk stream delays everyone else.
            List<double> others = new List<double>();
            int tries = 0;
            long sideGot = 0;
            for (int i = 0; i < 20 && !one.Wait(0); i++)
            {
                Stopwatch exchange = Stopwatch.StartNew();
                RunningTransfer small = RunningTransfer.Start(routes.ChatPort, Loopback.Address(2), null, seed + 100 + i, 64);
                tries++;
                if (small.Wait(30000) && Transfer.IsWhole(small.Result, routes.Chat.WaitRecord(small.Seed, 10000)))
                {
                    others.Add(exchange.Elapsed.TotalMilliseconds);
                }

                sideGot += small.Result == null ? 0 : small.Result.ReceivedBytes;

                Thread.Sleep(50);
            }

            report.Check("every small exchange beside the bulk stream was whole", others.Count == tries, others.Count + " of " + tries);
            others.Sort();
            report.Figure("others_ms_median", others.Count == 0 ? double.NaN : others[others.Count / 2], "ms for another client's connect and 64-byte exchange while the bulk stream runs (" + others.Count + " of them)");
            report.Figure("others_ms_max", others.Count == 0 ? double.NaN : others[others.Count - 1], "ms, the slowest of them");
            if (one.Verify(report, "1 stream (chat)", routes.Chat, 600000))
            {
                report.Figure("one_stream_mb_per_s", 2.0 * scale.OneStreamBytes / one.Result.Seconds / 1e6, "MB/s (up + down)");
            }

            watch.Restart();
            RunningTransfer[] eight = new RunningTransfer[8];
            for (int i = 0; i < 8; i++)
            {
                bool toMedia = i % 2 == 1;
                eight[i] = RunningTransfer.Start(toMedia ? routes.MediaPort : routes.ChatPort, Loopback.Legit, toMedia ? routes.Hello : null, seed + 1 + i, scale.EightStreamBytes);
            }

            int whole = 0;
            long clientGot = sideGot + (one.Result == null ? 0 : one.Result.ReceivedBytes);
            for (int i = 0; i < 8; i++)
            {
                bool toMedia = i % 2 == 1;
                if (eight[i].Verify(report, "stream " + (i + 1) + " of 8 (" + (toMedia ? "media" : "chat") + ")", toMedia ? routes.Media : routes.Chat, 600000))
                {
                    whole++;
                }

                clientGot += eight[i].Result == null ? 0 : eight[i].Result.ReceivedBytes;
            }

            double seconds = watch.Elapsed.TotalSeconds;
            report.Figure("eight_streams_mb_per_s", 16.0 * scale.EightStreamBytes / seconds / 1e6, "MB/s (all 8, up + down)");
            report.Check("all 8 streams whole", whole == 8, whole + " of 8");

            Counters d = host.WaitIdle(10000).Minus(before);
            long upstreamGot = routes.Received - upBefore;
            report.Check("every session closed", d.Active == 0, d.ToString());
            report.Check("bytes the relay counted upstream = bytes the upstreams received", d.BytesToUpstream == upstreamGot,
                d.BytesToUpstream + " counted, " + upstreamGot + " received");
            report.Check("bytes the relay counted to clients = bytes the clients received", d.BytesToClient == clientGot,
                d.BytesToClient + " counted, " + clientGot + " received");
            FloodCase.CheckLog(report, host);
        }
    }
}
