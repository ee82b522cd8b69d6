using System;
using System.Diagnostics;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using Pigeon.Net;
using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>
    /// A legitimate client's transfer through the relay, both ways at once: the client sends
    /// the header, then its seeded stream and a FIN; the upstream (<see cref="Serve"/>) answers
    /// its own seeded stream and a FIN. Each side hashes what it sent and received; the two
    /// accounts must agree byte for byte.
    /// </summary>
    public static class Transfer
    {
        private const int Chunk = 65536;

        /// <summary>The seed of the stream the upstream sends back for a call seeded <paramref name="seed"/>.</summary>
        public static long DownSeed(long seed)
        {
            return seed ^ 0x5A5A5A5A5A5AL;
        }

        /// <summary>
        /// Runs the client side over <paramref name="stream"/>: <paramref name="upBytes"/> up (or,
        /// with -1, as long as <paramref name="keepSending"/> says), <paramref name="downBytes"/>
        /// down (-1: until the upstream has seen the client's FIN). <paramref name="finish"/>
        /// passes the client's FIN on (Shutdown(Send), after close_notify on TLS). Over TLS,
        /// <paramref name="gate"/> keeps <paramref name="finish"/>'s close_notify out of the reads
        /// (as the relay's does). The counts of <paramref name="record"/> (when given) move as the
        /// bytes do, so a caller can say where a transfer that never ends stands.
        /// </summary>
        public static TransferRecord Run(Stream stream, Action finish, long seed, long upBytes, long downBytes, Func<bool> keepSending = null, TransferRecord record = null, TlsCloseGate gate = null)
        {
            record ??= new TransferRecord();
            Stopwatch watch = Stopwatch.StartNew();
            byte[] header = UpstreamCall.Header(seed, downBytes, 0);
            stream.Write(header, 0, header.Length);
            Thread sender = Harness.Background("client-send", () => Send(stream, finish, seed, upBytes, keepSending, record));
            sender.Start();
            Receive(stream, gate, record, watch);
            sender.Join();
            record.Seconds = watch.Elapsed.TotalSeconds;
            record.Done = true;
            return record;
        }

        /// <summary>The upstream's side of script 0 (see <see cref="Run"/>).</summary>
        public static void Serve(UpstreamCall call)
        {
            TransferRecord record = new TransferRecord();
            Stopwatch watch = Stopwatch.StartNew();
            bool clientDone = false;
            Thread sender = Harness.Background("upstream-send", () =>
            {
                Pattern pattern = new Pattern(DownSeed(call.Seed));
                using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                byte[] chunk = new byte[Chunk];
                long sent = 0;
                bool ok = true;
                while (call.DownBytes < 0 ? !Volatile.Read(ref clientDone) : sent < call.DownBytes)
                {
                    int n = call.DownBytes < 0 ? chunk.Length : (int)Math.Min(chunk.Length, call.DownBytes - sent);
                    pattern.Fill(chunk, 0, n);
                    if (!Loopback.SendAll(call.Socket, chunk, 0, n))
                    {
                        ok = false;
                        break;
                    }

                    hash.AppendData(chunk, 0, n);
                    sent += n;
                }

                record.SentBytes = sent;
                record.SentHash = Convert.ToHexString(hash.GetHashAndReset());
                record.SentAll = ok;
                try
                {
                    call.Socket.Shutdown(SocketShutdown.Send);
                }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
                {
                }
            });
            sender.Start();

            using (IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                byte[] buffer = new byte[Chunk];
                long received = 0;
                bool fin = false;
                try
                {
                    while (true)
                    {
                        int n = call.Receive(buffer, 0, buffer.Length);
                        if (n == 0)
                        {
                            fin = true;
                            break;
                        }

                        hash.AppendData(buffer, 0, n);
                        received += n;
                    }
                }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
                {
                }

                Volatile.Write(ref clientDone, true);
                record.ReceivedBytes = received;
                record.ReceivedHash = Convert.ToHexString(hash.GetHashAndReset());
                record.EndedByFin = fin;
            }

            sender.Join();
            record.Seconds = watch.Elapsed.TotalSeconds;
            record.Done = true;
            call.Upstream.Records[call.Seed] = record;
        }

        /// <summary>
        /// Checks the client's and the upstream's accounts of one transfer against each other:
        /// both streams whole (count and SHA-256) and both ended by a FIN. Returns true when all hold.
        /// </summary>
        public static bool Verify(Report report, string what, TransferRecord client, TransferRecord upstream)
        {
            if (upstream == null)
            {
                return report.Check(what + ": the upstream finished its side", false, "no record within the wait");
            }

            return report.Check(what + ": both streams whole (bytes and SHA-256 each way, FIN each way)", IsWhole(client, upstream), Describe(client, upstream));
        }

        /// <summary>The two accounts side by side: counts, whether the hashes agree, the FINs, the client's error.</summary>
        public static string Describe(TransferRecord client, TransferRecord upstream)
        {
            return "up " + client.SentBytes + " sent / " + upstream.ReceivedBytes + " received" + (client.SentHash == upstream.ReceivedHash ? ", hashes equal" : ", HASHES DIFFER")
                + (upstream.EndedByFin ? string.Empty : ", no FIN upstream")
                + "; down " + upstream.SentBytes + " sent / " + client.ReceivedBytes + " received" + (upstream.SentHash == client.ReceivedHash ? ", hashes equal" : ", HASHES DIFFER")
                + (client.EndedByFin ? string.Empty : ", no FIN at the client") + (client.Error == null ? string.Empty : "; client: " + client.Error);
        }

        /// <summary>True when the two accounts agree: both streams whole (count and SHA-256) and both ended by a FIN.</summary>
        public static bool IsWhole(TransferRecord client, TransferRecord upstream)
        {
            if (client == null || upstream == null)
            {
                return false;
            }

            bool up = client.SentAll && client.SentBytes == upstream.ReceivedBytes && client.SentHash == upstream.ReceivedHash && upstream.EndedByFin;
            bool down = upstream.SentAll && upstream.SentBytes == client.ReceivedBytes && upstream.SentHash == client.ReceivedHash && client.EndedByFin;
            return up && down && client.SentBytes > 0 && client.ReceivedBytes > 0;
        }

        private static void Send(Stream stream, Action finish, long seed, long upBytes, Func<bool> keepSending, TransferRecord record)
        {
            Pattern pattern = new Pattern(seed);
            using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] chunk = new byte[Chunk];
            long sent = 0;
            bool ok = true;
            try
            {
                while (upBytes < 0 ? keepSending() : sent < upBytes)
                {
                    int n = upBytes < 0 ? chunk.Length : (int)Math.Min(chunk.Length, upBytes - sent);
                    pattern.Fill(chunk, 0, n);
                    stream.Write(chunk, 0, n);
                    hash.AppendData(chunk, 0, n);
                    sent += n;
                    record.SentBytes = sent;
                }

                record.Stage = "sending its FIN";
                finish();
                record.Stage = "FIN sent";
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException || e is System.Security.Cryptography.CryptographicException)
            {
                ok = false;
                record.Error = e.GetType().Name + ": " + e.Message;
                record.Stage = "sending failed (" + record.Error + ")";
            }

            record.SentBytes = sent;
            record.SentHash = Convert.ToHexString(hash.GetHashAndReset());
            record.SentAll = ok;
        }

        private static void Receive(Stream stream, TlsCloseGate gate, TransferRecord record, Stopwatch watch)
        {
            using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] buffer = new byte[Chunk];
            long received = 0;
            double last = -1;
            double stall = 0;
            try
            {
                while (true)
                {
                    int n = gate == null ? stream.Read(buffer, 0, buffer.Length) : gate.Read((SslStream)stream, buffer, 0, buffer.Length);
                    double now = watch.Elapsed.TotalMilliseconds;
                    if (n == 0)
                    {
                        record.EndedByFin = true;
                        break;
                    }

                    if (last >= 0)
                    {
                        stall = Math.Max(stall, now - last);
                    }

                    last = now;
                    hash.AppendData(buffer, 0, n);
                    received += n;
                    record.ReceivedBytes = received;
                    record.LastReceivedAt = Stopwatch.GetTimestamp();
                }
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException || e is System.Security.Cryptography.CryptographicException)
            {
                record.Error ??= e.GetType().Name + ": " + e.Message;
            }

            record.EndedAtMs = watch.Elapsed.TotalMilliseconds;
            record.ReceivedBytes = received;
            record.ReceivedHash = Convert.ToHexString(hash.GetHashAndReset());
            record.MaxStallMs = stall;
        }
    }
}
