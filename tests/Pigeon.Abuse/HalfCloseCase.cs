using System;
using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>
    /// The half-close matrix on a chat route: who finishes first (the client or the upstream),
    /// how the other direction goes on (slow: 1 KB every 50 ms, longer than the relay's 1 s drain;
    /// fast: as fast as it can), and how the first side finishes (FIN or RST).
    /// <list type="bullet">
    /// <item>FIN: every byte of the direction still running arrives, then its FIN, however long
    /// it runs after the other side's FIN (the drain is an inactivity timeout, not a deadline);
    /// the relay's byte counters equal what the far ends received.</item>
    /// <item>RST: the other side's connection ends too, within 2 s, and what it received is an
    /// intact prefix of what was sent.</item>
    /// </list>
    /// </summary>
    public static class HalfCloseCase
    {
        private const int ClientFirstFast = 1;
        private const int ClientFirstSlow = 2;
        private const int UpstreamFirstFast = 3;
        private const int UpstreamFirstSlow = 4;
        private const int ClientResetsFast = 5;
        private const int ClientResetsSlow = 6;
        private const int UpstreamResetsFast = 7;
        private const int UpstreamResetsSlow = 8;
        private const int ClientFirstSlowReader = 9;
        private const int SlowReaderBytes = 12 << 20;
        private const int SlowReaderMs = 10000;
        private const int RequestBytes = 1024;
        private const int SlowChunk = 1024;
        private const int SlowPauseMs = 50;
        private const int ResetAfterMs = 500;
        private const int ResetEndsWithinMs = 2000;
        private const int DrainMs = 1000;

        private static readonly Stopwatch s_clock = Stopwatch.StartNew();

        /// <summary>Runs the matrix over <paramref name="pump"/>.</summary>
        public static void Run(Report report, Scale scale, int seed, string pump)
        {
            using Upstream upstream = new Upstream(true, 0);
            upstream.Scripts[ClientFirstFast] = ServeClientFirst;
            upstream.Scripts[ClientFirstSlow] = ServeClientFirst;
            upstream.Scripts[ClientFirstSlowReader] = ServeClientFirst;
            upstream.Scripts[UpstreamFirstFast] = ServeUpstreamFirst;
            upstream.Scripts[UpstreamFirstSlow] = ServeUpstreamFirst;
            upstream.Scripts[ClientResetsFast] = ServeWhileClientResets;
            upstream.Scripts[ClientResetsSlow] = ServeWhileClientResets;
            upstream.Scripts[UpstreamResetsFast] = ServeThenReset;
            upstream.Scripts[UpstreamResetsSlow] = ServeThenReset;
            int port = Loopback.FreePort();
            using PigeonHost host = new PigeonHost("half-close-" + pump, Configs.Relay(32, 0, 0, 2, 60, Configs.Chat("chat", port, upstream.Port)), pump);
            host.Start();
            report.Note(pump + " pump, drain " + DrainMs + " ms (the default), idle timeout 60 s; slow = " + SlowChunk + " B every " + SlowPauseMs + " ms, " + scale.SlowBytes
                + " B in all; fast = " + scale.FastBytes + " B as fast as it goes");

            // FIN: the four cells at once, then the byte accounting of all four.
            Counters before = host.Counters();
            long upBefore = upstream.Received;
            TransferRecord[] clients = new TransferRecord[4];
            int[] scripts = { ClientFirstSlow, ClientFirstFast, UpstreamFirstSlow, UpstreamFirstFast };
            long[] sizes = { scale.SlowBytes, scale.FastBytes, scale.SlowBytes, scale.FastBytes };
            Thread[] cells = new Thread[4];
            for (int i = 0; i < 4; i++)
            {
                int cell = i;
                cells[i] = Harness.Background("half-close-fin", () => clients[cell] = scripts[cell] <= ClientFirstSlow
                    ? ClientFinishesFirst(port, seed + cell, scripts[cell], sizes[cell])
                    : UpstreamFinishesFirst(port, seed + cell, scripts[cell], sizes[cell]));
                cells[i].Start();
            }

            long clientGot = 0;
            for (int i = 0; i < 4; i++)
            {
                cells[i].Join();
                string name = (scripts[i] <= ClientFirstSlow ? "client FIN first, " : "upstream FIN first, ") + (sizes[i] == scale.SlowBytes ? "slow" : "fast")
                    + (scripts[i] <= ClientFirstSlow ? " answer" : " upload") + " of " + sizes[i] + " B";
                TransferRecord theirs = upstream.WaitRecord(seed + i, 30000);
                if (Transfer.Verify(report, name, clients[i], theirs) && sizes[i] == scale.SlowBytes)
                {
                    report.Check(name + ": ran past the drain time after the first FIN", clients[i].Seconds * 1000 > DrainMs * 2,
                        Math.Round(clients[i].Seconds, 2) + " s");
                }

                clientGot += clients[i].ReceivedBytes;
                if (sizes[i] == scale.FastBytes)
                {
                    report.Figure((scripts[i] <= ClientFirstSlow ? "client" : "upstream") + "_fin_first_fast_mb_per_s", sizes[i] / clients[i].Seconds / 1e6, "MB/s");
                }
            }

            Counters d = host.WaitIdle(10000).Minus(before);
            report.Check("FIN cells: every session closed once both sides finished", d.Active == 0, d.ToString());
            report.Check("FIN cells: bytes the relay counted upstream = bytes the upstream received", d.BytesToUpstream == upstream.Received - upBefore,
                d.BytesToUpstream + " counted, " + (upstream.Received - upBefore) + " received");
            report.Check("FIN cells: bytes the relay counted to clients = bytes the clients received", d.BytesToClient == clientGot,
                d.BytesToClient + " counted, " + clientGot + " received");

            // RST: the four cells at once; the survivor's connection must end soon after.
            int[] resets = { ClientResetsSlow, ClientResetsFast, UpstreamResetsSlow, UpstreamResetsFast };
            TransferRecord[] resetClients = new TransferRecord[4];
            for (int i = 0; i < 4; i++)
            {
                int cell = i;
                cells[i] = Harness.Background("half-close-rst", () => resetClients[cell] = resets[cell] <= ClientResetsSlow
                    ? ClientResets(port, seed + 10 + cell, resets[cell])
                    : ClientWhileUpstreamResets(port, seed + 10 + cell, resets[cell]));
                cells[i].Start();
            }

            for (int i = 0; i < 4; i++)
            {
                cells[i].Join();
                bool clientResets = resets[i] <= ClientResetsSlow;
                bool slow = resets[i] == ClientResetsSlow || resets[i] == UpstreamResetsSlow;
                string name = (clientResets ? "client RST while the upstream sends " : "upstream RST while the client sends ") + (slow ? "slowly" : "fast");
                TransferRecord mine = resetClients[i];
                TransferRecord theirs = upstream.WaitRecord(seed + 10 + i, 10000);
                if (theirs == null)
                {
                    report.Check(name + ": the upstream's side ended", false, "no record");
                    continue;
                }

                TransferRecord resetter = clientResets ? mine : theirs;
                TransferRecord survivor = clientResets ? theirs : mine;
                double after = survivor.EndedAtMs - resetter.EndedAtMs;
                report.Check(name + ": the other side's connection ended within " + ResetEndsWithinMs + " ms", after >= 0 && after < ResetEndsWithinMs,
                    Math.Round(after) + " ms after the reset");
                TransferRecord receiver = clientResets ? mine : theirs;
                long streamSeed = clientResets ? Transfer.DownSeed(seed + 10 + i) : seed + 10 + i;
                report.Check(name + ": what arrived before the reset is an intact prefix", receiver.ReceivedBytes > 0 && Pattern.HashOfPrefix(streamSeed, receiver.ReceivedBytes) == receiver.ReceivedHash,
                    receiver.ReceivedBytes + " B");
            }

            Counters end = host.WaitIdle(10000);
            report.Check("RST cells: every session closed", end.Active == 0, end.ToString());
            if (scale.SlowReader)
            {
                SlowReader(report, port, upstream, seed + 20);
            }

            FloodCase.CheckLog(report, host);
        }

        // After the client's FIN, a fast answer larger than the socket buffers to a client that
        // reads 32 KB/s (a slow phone) for 10 s, then as fast as it can: every byte must arrive.
        // The direction is moving all along, only slower than the relay's 64 KB writes.
        private static void SlowReader(Report report, int port, Upstream upstream, long seed)
        {
            TransferRecord record = new TransferRecord();
            using Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.ReceiveBufferSize = 16384;
            s.Connect(System.Net.IPAddress.Loopback, port);
            Request(s, seed, SlowReaderBytes, ClientFirstSlowReader, record);
            using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] buffer = new byte[65536];
            Stopwatch watch = Stopwatch.StartNew();
            try
            {
                while (true)
                {
                    bool slow = watch.ElapsedMilliseconds < SlowReaderMs;
                    int n = s.Receive(buffer, 0, slow ? 8192 : buffer.Length, SocketFlags.None);
                    if (n == 0)
                    {
                        record.EndedByFin = true;
                        break;
                    }

                    hash.AppendData(buffer, 0, n);
                    record.ReceivedBytes += n;
                    if (slow)
                    {
                        Thread.Sleep(250);
                    }
                }
            }
            catch (SocketException e)
            {
                report.Note("slow reader: " + e.SocketErrorCode + " after " + record.ReceivedBytes + " B and " + Math.Round(watch.Elapsed.TotalSeconds, 1) + " s");
            }

            record.ReceivedHash = Convert.ToHexString(hash.GetHashAndReset());
            Transfer.Verify(report, "client FIN first, a fast answer of " + SlowReaderBytes + " B read at 32 KB/s for " + (SlowReaderMs / 1000) + " s, then fast", record,
                upstream.WaitRecord(seed, 30000));
        }

        // Client: request, FIN; then reads the whole answer.
        private static TransferRecord ClientFinishesFirst(int port, long seed, int script, long size)
        {
            TransferRecord record = new TransferRecord();
            Stopwatch watch = Stopwatch.StartNew();
            using Socket s = Loopback.Connect(port);
            Request(s, seed, size, script, record);
            ReadToEnd(s, record);
            record.Seconds = watch.Elapsed.TotalSeconds;
            return record;
        }

        // Client: the header asking for an answer of <size> bytes, a 1 KB request, and the client's FIN.
        private static void Request(Socket s, long seed, long size, int script, TransferRecord record)
        {
            Loopback.SendAll(s, UpstreamCall.Header(seed, size, script));
            byte[] request = new byte[RequestBytes];
            new Pattern(seed).Fill(request, 0, request.Length);
            record.SentAll = Loopback.SendAll(s, request);
            record.SentBytes = request.Length;
            record.SentHash = Convert.ToHexString(SHA256.HashData(request));
            s.Shutdown(SocketShutdown.Send);
        }

        // Upstream: reads the request to its FIN, then answers (slowly or fast) and sends its FIN.
        private static void ServeClientFirst(UpstreamCall call)
        {
            TransferRecord record = new TransferRecord();
            ReadToEnd(call, record);
            SendPaced(call.Socket, Transfer.DownSeed(call.Seed), call.DownBytes, call.Script == ClientFirstSlow, record);
            call.Socket.Shutdown(SocketShutdown.Send);
            record.Done = true;
            call.Upstream.Records[call.Seed] = record;
        }

        // Client: keeps uploading (slowly or fast) after the upstream's greeting and FIN, then sends its own FIN.
        private static TransferRecord UpstreamFinishesFirst(int port, long seed, int script, long size)
        {
            TransferRecord record = new TransferRecord();
            Stopwatch watch = Stopwatch.StartNew();
            using Socket s = Loopback.Connect(port);
            Loopback.SendAll(s, UpstreamCall.Header(seed, RequestBytes, script));
            Thread sender = Harness.Background("half-close-upload", () =>
            {
                SendPaced(s, seed, size, script == UpstreamFirstSlow, record);
                try
                {
                    s.Shutdown(SocketShutdown.Send);
                }
                catch (SocketException)
                {
                    record.SentAll = false;
                }
            });
            sender.Start();
            ReadToEnd(s, record);
            sender.Join();
            record.Seconds = watch.Elapsed.TotalSeconds;
            return record;
        }

        // Upstream: a greeting and its FIN at once, then reads the client's upload to its FIN.
        private static void ServeUpstreamFirst(UpstreamCall call)
        {
            TransferRecord record = new TransferRecord();
            SendPaced(call.Socket, Transfer.DownSeed(call.Seed), call.DownBytes, false, record);
            call.Socket.Shutdown(SocketShutdown.Send);
            ReadToEnd(call, record);
            record.Done = true;
            call.Upstream.Records[call.Seed] = record;
        }

        // Client: reads the upstream's stream for a while, then resets.
        private static TransferRecord ClientResets(int port, long seed, int script)
        {
            TransferRecord record = new TransferRecord();
            Socket s = Loopback.Connect(port);
            Loopback.SendAll(s, UpstreamCall.Header(seed, 0, script));
            ReadThenReset(s, buffer => s.Receive(buffer), record);
            return record;
        }

        // Upstream: sends (slowly or fast) until its connection ends; notes when it ended.
        private static void ServeWhileClientResets(UpstreamCall call)
        {
            TransferRecord record = new TransferRecord();
            bool ended = false;
            Thread reader = Harness.Background("half-close-reader", () =>
            {
                byte[] buffer = new byte[4096];
                try
                {
                    while (call.Receive(buffer, 0, buffer.Length) > 0)
                    {
                    }

                    record.EndedByFin = true;
                }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
                {
                }

                record.EndedAtMs = s_clock.Elapsed.TotalMilliseconds;
                Volatile.Write(ref ended, true);
            });
            reader.Start();
            SendUntil(call.Socket, Transfer.DownSeed(call.Seed), call.Script == ClientResetsSlow, () => Volatile.Read(ref ended), record);
            reader.Join(10000);
            record.Done = true;
            call.Upstream.Records[call.Seed] = record;
        }

        // Client: uploads (slowly or fast) until its connection ends; notes when it ended.
        private static TransferRecord ClientWhileUpstreamResets(int port, long seed, int script)
        {
            TransferRecord record = new TransferRecord();
            using Socket s = Loopback.Connect(port);
            Loopback.SendAll(s, UpstreamCall.Header(seed, 0, script));
            bool ended = false;
            Thread sender = Harness.Background("half-close-sender", () =>
            {
                SendUntil(s, seed, script == UpstreamResetsSlow, () => Volatile.Read(ref ended), record);

                // A send that fails (reset) ends the connection as much as a read does.
                if (!Volatile.Read(ref ended))
                {
                    record.EndedAtMs = s_clock.Elapsed.TotalMilliseconds;
                    Volatile.Write(ref ended, true);
                }
            });
            sender.Start();
            byte[] buffer = new byte[4096];
            try
            {
                while (!Volatile.Read(ref ended) && s.Receive(buffer) > 0)
                {
                }

                record.EndedByFin = true;
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
            }

            if (!Volatile.Read(ref ended))
            {
                record.EndedAtMs = s_clock.Elapsed.TotalMilliseconds;
                Volatile.Write(ref ended, true);
            }

            sender.Join(10000);
            return record;
        }

        // Upstream: reads for a while, then resets.
        private static void ServeThenReset(UpstreamCall call)
        {
            TransferRecord record = new TransferRecord();
            ReadThenReset(call.Socket, buffer => call.Receive(buffer, 0, buffer.Length), record);
            record.Done = true;
            call.Upstream.Records[call.Seed] = record;
        }

        // Reads (hashing) for ResetAfterMs, notes the time, and resets the connection.
        private static void ReadThenReset(Socket s, Func<byte[], int> receive, TransferRecord record)
        {
            using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] buffer = new byte[65536];
            Stopwatch watch = Stopwatch.StartNew();
            while (watch.ElapsedMilliseconds < ResetAfterMs)
            {
                if (!s.Poll((int)Math.Max(1, ResetAfterMs - watch.ElapsedMilliseconds) * 1000, SelectMode.SelectRead))
                {
                    break;
                }

                int n = receive(buffer);
                if (n <= 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, n);
                record.ReceivedBytes += n;
            }

            record.ReceivedHash = Convert.ToHexString(hash.GetHashAndReset());
            record.EndedAtMs = s_clock.Elapsed.TotalMilliseconds;
            Loopback.Reset(s);
        }

        // Sends a seeded stream (slowly or fast) until told to stop or the connection fails; counts what went.
        private static void SendUntil(Socket s, long seed, bool slow, Func<bool> stop, TransferRecord record)
        {
            Pattern pattern = new Pattern(seed);
            byte[] chunk = new byte[slow ? SlowChunk : 65536];
            while (!stop())
            {
                pattern.Fill(chunk, 0, chunk.Length);
                if (!Loopback.SendAll(s, chunk))
                {
                    break;
                }

                record.SentBytes += chunk.Length;
                if (slow)
                {
                    Thread.Sleep(SlowPauseMs);
                }
            }
        }

        private static void SendPaced(Socket s, long seed, long size, bool slow, TransferRecord record)
        {
            Pattern pattern = new Pattern(seed);
            using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] chunk = new byte[slow ? SlowChunk : 65536];
            long sent = 0;
            bool ok = true;
            while (sent < size)
            {
                int n = (int)Math.Min(chunk.Length, size - sent);
                pattern.Fill(chunk, 0, n);
                if (!Loopback.SendAll(s, chunk, 0, n))
                {
                    ok = false;
                    break;
                }

                hash.AppendData(chunk, 0, n);
                sent += n;
                if (slow && sent < size)
                {
                    Thread.Sleep(SlowPauseMs);
                }
            }

            record.SentBytes = sent;
            record.SentHash = Convert.ToHexString(hash.GetHashAndReset());
            record.SentAll = ok;
        }

        private static void ReadToEnd(Socket s, TransferRecord record)
        {
            ReadToEnd(buffer => s.Receive(buffer), record);
        }

        private static void ReadToEnd(UpstreamCall call, TransferRecord record)
        {
            ReadToEnd(buffer => call.Receive(buffer, 0, buffer.Length), record);
        }

        // Reads until the FIN (EndedByFin) or a reset, hashing what came.
        private static void ReadToEnd(Func<byte[], int> receive, TransferRecord record)
        {
            using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] buffer = new byte[65536];
            try
            {
                int n;
                while ((n = receive(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    record.ReceivedBytes += n;
                }

                record.EndedByFin = true;
            }
            catch (SocketException)
            {
            }

            record.ReceivedHash = Convert.ToHexString(hash.GetHashAndReset());
        }
    }
}
