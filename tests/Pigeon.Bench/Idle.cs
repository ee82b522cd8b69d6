using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Pigeon.Testing;

namespace Pigeon.Bench
{
    /// <summary>
    /// Many idle sessions, as WhatsApp users hold them (a chat connection open all day): opens N
    /// client connections through a relay, each sending 4 opening bytes ("WA" 6 5) then nothing,
    /// to a holder process that accepts and keeps them; then reads the relay's resident memory
    /// and threads from /proc. N grows 0, 1,000, 5,000, 9,000 within one relay process. The TLS
    /// variant (<see cref="MeasureTls"/>, the default 443 pattern) completes a TLS handshake on
    /// each connection and sends the opening inside it: 0, 1,000, 5,000.
    /// </summary>
    /// <remarks>
    /// 9,000, not 10,000: each session holds two descriptors in the relay, and this machine's
    /// hard open-file limit is 20,000 (prlimit cannot raise it), so 10,000 sessions cannot exist
    /// in one relay process here, Pigeon's or HAProxy's. The holder runs as its own process
    /// (Pigeon.Bench hold PORT) so the bench's client sockets and the upstream sockets do not
    /// share one limit either.
    /// </remarks>
    public static class Idle
    {
        public static readonly int[] Steps = { 1000, 5000, 9000 };

        public static readonly int[] TlsSteps = { 1000, 5000 };

        private static readonly byte[] s_opening = { (byte)'W', (byte)'A', 6, 5 };

        /// <summary>Runs "hold PORT": accepts connections and keeps them open, reading whatever comes.</summary>
        public static int Hold(int port)
        {
            using Socket listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            listener.Listen();
            long held = 0;
            Task.Run(async () =>
            {
                while (true)
                {
                    Socket s = await listener.AcceptAsync().ConfigureAwait(false);
                    Interlocked.Increment(ref held);
                    _ = Drain(s, () => Interlocked.Decrement(ref held));
                }
            });
            while (true)
            {
                Console.Out.WriteLine("held " + Interlocked.Read(ref held));
                Console.Out.Flush();
                Thread.Sleep(250);
            }
        }

        /// <summary>Resident memory (MB) and threads of <paramref name="relay"/> with each step of idle sessions open.</summary>
        public static void Measure(Relay relay, HoldProcess holder, Dictionary<string, object> result)
        {
            Measure(relay, holder, result, Steps, "_idle_", Open);
        }

        /// <summary>
        /// The same with TLS: each client completes a TLS 1.3 handshake with the relay (Pigeon's
        /// terminateTls, HAProxy's bind ... ssl crt), sends the chat opening inside it, then stays
        /// silent. Keys RELAY_idle_tls_N_rss_mb and RELAY_idle_tls_kb_per_session (0 → 5,000).
        /// </summary>
        public static void MeasureTls(Relay relay, HoldProcess holder, Dictionary<string, object> result)
        {
            Measure(relay, holder, result, TlsSteps, "_idle_tls_", OpenTls);
        }

        private static void Measure(Relay relay, HoldProcess holder, Dictionary<string, object> result, int[] steps, string infix, Action<int, int, List<IDisposable>> open)
        {
            List<IDisposable> clients = new List<IDisposable>();
            try
            {
                long rss0 = Record(relay, infix, 0, result);
                long rss = rss0;
                foreach (int step in steps)
                {
                    Stopwatch opening = Stopwatch.StartNew();
                    open(relay.DiscardPort, step - clients.Count, clients);
                    if (!holder.WaitHeld(step, TimeSpan.FromSeconds(60)))
                    {
                        Program.Log(relay.Name + ": only " + holder.Held + " of " + step + " sessions reached the holder");
                        result[relay.Name + infix + step + "_reached"] = holder.Held;
                    }

                    Program.Log("  " + relay.Name + ": " + step + " sessions open after " + Math.Round(opening.Elapsed.TotalSeconds, 1) + " s");
                    Thread.Sleep(2000); // settle: the relay's post-accept work done, pages touched
                    rss = Record(relay, infix, step, result);
                }

                // What one more idle session costs, from the empty relay to the last step.
                result[relay.Name + infix + "kb_per_session"] = Math.Round((rss - rss0) / (double)steps[steps.Length - 1], 2);
            }
            finally
            {
                foreach (IDisposable client in clients)
                {
                    client.Dispose();
                }

                holder.WaitHeld(0, TimeSpan.FromSeconds(30));
            }
        }

        /// <summary>One step only: <paramref name="sessions"/> idle sessions, measured, then closed.</summary>
        public static void MeasureOnce(Relay relay, HoldProcess holder, int sessions, Dictionary<string, object> result)
        {
            List<IDisposable> clients = new List<IDisposable>();
            try
            {
                Open(relay.DiscardPort, sessions, clients);
                holder.WaitHeld(sessions, TimeSpan.FromSeconds(60));
                Thread.Sleep(2000);
                Record(relay, "_idle_", sessions, result);
            }
            finally
            {
                foreach (IDisposable client in clients)
                {
                    client.Dispose();
                }

                holder.WaitHeld(0, TimeSpan.FromSeconds(30));
            }
        }

        /// <summary>Records the relay's resident memory and threads; returns the resident kB.</summary>
        private static long Record(Relay relay, string infix, int sessions, Dictionary<string, object> result)
        {
            relay.ProcessStatus(out long rssKb, out int threads);
            result[relay.Name + infix + sessions + "_rss_mb"] = Math.Round(rssKb / 1024.0, 1);
            result[relay.Name + infix + sessions + "_threads"] = threads;
            Program.Log("  " + relay.Name + " with " + sessions + (infix.Contains("tls", StringComparison.Ordinal) ? " idle TLS sessions: " : " idle sessions: ")
                + Math.Round(rssKb / 1024.0, 1) + " MB resident, " + threads + " threads");
            return rssKb;
        }

        private static void OpenTls(int port, int count, List<IDisposable> into)
        {
            Parallel(count, async () =>
            {
                SslStream tls = await TlsLoad.OpenAsync(port).ConfigureAwait(false);
                await tls.WriteAsync(s_opening).ConfigureAwait(false);
                await tls.FlushAsync().ConfigureAwait(false);
                return tls;
            }, into);
        }

        private static void Open(int port, int count, List<IDisposable> into)
        {
            IPEndPoint target = new IPEndPoint(IPAddress.Loopback, port);
            Parallel(count, async () =>
            {
                Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await s.ConnectAsync(target).ConfigureAwait(false);
                await s.SendAsync(s_opening, SocketFlags.None).ConfigureAwait(false);
                return s;
            }, into);
        }

        /// <summary>Opens <paramref name="count"/> clients with <paramref name="open"/>, 64 at a time.</summary>
        private static void Parallel(int count, Func<Task<IDisposable>> open, List<IDisposable> into)
        {
            const int InFlight = 64; // connects in flight at once: a burst, within every backlog
            int next = 0;
            object gate = new object();
            Task[] workers = new Task[InFlight];
            for (int w = 0; w < InFlight; w++)
            {
                workers[w] = Task.Run(async () =>
                {
                    while (Interlocked.Increment(ref next) <= count)
                    {
                        IDisposable client = await open().ConfigureAwait(false);
                        lock (gate)
                        {
                            into.Add(client);
                        }
                    }
                });
            }

            Task.WaitAll(workers);
        }

        private static async Task Drain(Socket s, Action closed)
        {
            byte[] buffer = new byte[64];
            try
            {
                while (await s.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false) > 0)
                {
                }
            }
            catch (SocketException)
            {
            }
            finally
            {
                s.Dispose();
                closed();
            }
        }
    }

    /// <summary>The holder process (Pigeon.Bench hold PORT) and the count it reports.</summary>
    public sealed class HoldProcess : IDisposable
    {
        private readonly Process _process;
        private long _held;

        public HoldProcess()
        {
            Port = Loopback.FreePort();
            string self = typeof(HoldProcess).Assembly.Location;
            ProcessStartInfo start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
            start.ArgumentList.Add(self);
            start.ArgumentList.Add("hold");
            start.ArgumentList.Add(Port.ToString());
            _process = Process.Start(start);
            _process.OutputDataReceived += (s, e) =>
            {
                if (e.Data != null && e.Data.StartsWith("held ", StringComparison.Ordinal))
                {
                    Interlocked.Exchange(ref _held, long.Parse(e.Data.Substring(5)));
                }
            };
            _process.BeginOutputReadLine();
            if (!Loopback.WaitListening(Port, 15000))
            {
                throw new InvalidOperationException("the holder did not start");
            }
        }

        public int Port { get; }

        public long Held => Interlocked.Read(ref _held);

        public bool WaitHeld(long count, TimeSpan timeout)
        {
            Stopwatch watch = Stopwatch.StartNew();
            while (watch.Elapsed < timeout)
            {
                if (count == 0 ? Held <= 0 : Held >= count)
                {
                    return true;
                }

                Thread.Sleep(100);
            }

            return false;
        }

        public void Dispose()
        {
            try
            {
                _process.Kill(true);
                _process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
        }
    }
}
