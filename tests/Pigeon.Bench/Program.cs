using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Pigeon.Bench
{
    /// <summary>
    /// Loopback benchmark: Pigeon.Host, HAProxy and socat relay to the same local sinks in the
    /// same run, interleaved round by round so drift on a shared machine hits all of them alike.
    /// The Pigeon rows run the shipped linux-x64 binary (packaging/build.sh's native AOT build,
    /// made at the start unless --pigeon-binary names one); `dotnet Pigeon.Host.dll` is one more
    /// row, pigeon_dll. The last line printed is one JSON object with every figure
    /// (docs/performance.md).
    /// </summary>
    public static class Program
    {
        /// <summary>Pigeon.Host's default buffer (ConfigDefaults.HostBufferBytes).</summary>
        private const int PigeonHostBuffer = 65536;

        /// <summary>Pigeon's device default (ConfigDefaults.DeviceBufferBytes), also HAProxy's and socat's buffer in the device rows.</summary>
        private const int DeviceBuffer = 2048;

        private static readonly int[] SweepSizes = { 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144 };

        public static bool Verbose { get; private set; }

        // --only: a subset of the sections (idle,idle_tls,gbps,8streams,2k,8streams_2k,cps,latency,tls,alloc,sweep), for profiling.
        private static HashSet<string> s_only;

        private static bool Run(string section) => s_only == null || s_only.Contains(section);

        public static int Main(string[] args)
        {
            if (args.Length > 0 && args[0] == "capture")
            {
                return Capture.Run(args);
            }

            if (args.Length > 0 && args[0] == "cps")
            {
                Verbose = args.Length > 3;
                // cps PORT SECONDS: connection cycles against an echo relay (for profiling by hand).
                double rate = Load.ConnectionsPerSecond(int.Parse(args[1]), 4, double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), out long failed);
                Console.Out.WriteLine(Math.Round(rate) + " connections/s, " + failed + " failed");
                return 0;
            }

            if (args.Length > 0 && (args[0] == "echo" || args[0] == "discard"))
            {
                // echo|discard PORT: a sink alone, until killed (for profiling by hand).
                using Sink sink = new Sink(args[0] == "echo", int.Parse(args[1]));
                System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite);
                return 0;
            }

            if (args.Length > 0 && args[0] == "blast")
            {
                // blast PORT SECONDS: one stream of 64 KB writes, for profiling a relay by hand.
                using System.Net.Sockets.Socket socket = Load.Connect(int.Parse(args[1]));
                byte[] chunk = new byte[65536];
                chunk.AsSpan().Fill(0x55);
                Stopwatch watch = Stopwatch.StartNew();
                long sent = 0;
                while (watch.Elapsed.TotalSeconds < double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture))
                {
                    sent += socket.Send(chunk);
                }

                Console.Out.WriteLine(Math.Round(sent * 8 / watch.Elapsed.TotalSeconds / 1e9, 3) + " Gbit/s sent");
                return 0;
            }

            if (args.Length > 0 && args[0] == "hold")
            {
                // hold PORT: accept connections and keep them (the idle-sessions section's upstream).
                return Idle.Hold(int.Parse(args[1]));
            }

            if (args.Length > 0 && args[0] == "socket-cost")
            {
                Console.Out.WriteLine(SocketCost() + " bytes allocated by the runtime per accepted + connected socket pair");
                return 0;
            }

            if (args.Length > 0 && args[0] == "tls-client")
            {
                return Capture.SslStreamClient(args);
            }

            int rounds = 3;
            double seconds = 2;
            int sweepRounds = 2;
            string binary = null;
            List<KeyValuePair<string, string>> builds = new List<KeyValuePair<string, string>>();
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--rounds": rounds = int.Parse(args[++i]); break;
                    case "--seconds": seconds = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                    case "--sweep-rounds": sweepRounds = int.Parse(args[++i]); break;
                    case "--verbose": Verbose = true; break;
                    case "--only": s_only = new HashSet<string>(args[++i].Split(',')); break;
                    case "--pigeon-binary":
                        binary = args[++i];
                        if (!File.Exists(binary))
                        {
                            Console.Error.WriteLine("--pigeon-binary takes the path of an existing executable");
                            return 2;
                        }

                        binary = Path.GetFullPath(binary);
                        break;
                    case "--pigeon-build":
                        string[] pair = args[++i].Split('=', 2);
                        if (pair.Length != 2 || !pair[0].StartsWith("pigeon-", StringComparison.Ordinal) || !File.Exists(pair[1]))
                        {
                            Console.Error.WriteLine("--pigeon-build takes pigeon-NAME=PATH of an existing executable");
                            return 2;
                        }

                        builds.Add(new KeyValuePair<string, string>(pair[0], Path.GetFullPath(pair[1])));
                        break;
                    default:
                        Console.Error.WriteLine("usage: Pigeon.Bench [--rounds N] [--seconds S] [--sweep-rounds N (0 = no sweep)] [--verbose]\n"
                            + "                    [--only SECTIONS] [--pigeon-binary SHIPPED] [--pigeon-build pigeon-NAME=EXECUTABLE]...\n"
                            + "       Pigeon.Bench capture --out FILE [--timeout S] -- client command ({port} is replaced)\n"
                            + "       Pigeon.Bench tls-client PORT SNI");
                        return 2;
                }
            }

            PigeonRelay.Shipped = binary ?? BuildShipped();
            if (PigeonRelay.Shipped == null)
            {
                return 1;
            }

            return Bench(rounds, seconds, sweepRounds, builds);
        }

        /// <summary>
        /// The linux-x64 binary as shipped, built now by packaging/build.sh (binaries only, into
        /// artifacts/bench/) so the Pigeon rows measure this tree; null when the build failed.
        /// </summary>
        private static string BuildShipped()
        {
            string root = Metadata("RepoRoot");
            string artifacts = Path.Combine(root, "artifacts", "bench");
            const string Version = "0.0.0+bench";
            Log("building the shipped linux-x64 binary: packaging/build.sh into " + artifacts + " (--pigeon-binary PATH skips this)");
            Stopwatch watch = Stopwatch.StartNew();
            ProcessStartInfo start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(root, "packaging", "build.sh"));
            start.Environment["ARTIFACTS"] = artifacts;
            start.Environment["PIGEON_TARGETS"] = "linux-x64";
            start.Environment["PIGEON_DEB"] = "no";
            start.Environment["PIGEON_VERSION"] = Version;
            using Process build = Process.Start(start);
            System.Threading.Tasks.Task<string> errors = build.StandardError.ReadToEndAsync();
            string output = build.StandardOutput.ReadToEnd();
            build.WaitForExit();
            if (build.ExitCode != 0)
            {
                Console.Error.WriteLine(output + errors.Result);
                Console.Error.WriteLine("packaging/build.sh failed (exit " + build.ExitCode + ")");
                return null;
            }

            string path = Path.Combine(artifacts, "pigeon-" + Version + "-linux-x64", "pigeon");
            Log("  " + path + ": " + new FileInfo(path).Length + " bytes, built in " + Math.Round(watch.Elapsed.TotalSeconds) + " s");
            return path;
        }

        /// <summary>A value the project file stamps into this assembly (AssemblyMetadata).</summary>
        public static string Metadata(string key)
        {
            foreach (System.Reflection.AssemblyMetadataAttribute a in typeof(Program).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false))
            {
                if (a.Key == key)
                {
                    return Path.GetFullPath(a.Value);
                }
            }

            throw new InvalidOperationException("no assembly metadata " + key);
        }

        /// <summary>
        /// What .NET itself allocates for the sockets one relayed connection needs (one accepted,
        /// one connected, both closed), done the way Pigeon.Sockets does it; the floor of
        /// pigeon_alloc_bytes_per_connection.
        /// </summary>
        public static long SocketCost()
        {
            using System.Net.Sockets.Socket listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            listener.Listen(16);
            System.Net.IPEndPoint target = (System.Net.IPEndPoint)listener.LocalEndPoint;
            long total = 0;
            const int Rounds = 200;
            byte[] one = new byte[1];
            byte[] back = new byte[1];
            for (int i = 0; i < Rounds + 20; i++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                System.Net.Sockets.Socket upstream = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                upstream.Connect(target);
                upstream.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Tcp, System.Net.Sockets.SocketOptionName.NoDelay, true);
                System.Net.Sockets.Socket accepted = listener.Accept();
                accepted.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Tcp, System.Net.Sockets.SocketOptionName.NoDelay, true);

                // One blocking send and receive each way, and the half-closes: on Unix the first
                // blocking call gives each socket its SocketAsyncContext (allocated by .NET).
                upstream.Send(one, 0, 1, System.Net.Sockets.SocketFlags.None);
                accepted.Receive(back, 0, 1, System.Net.Sockets.SocketFlags.None);
                accepted.Send(one, 0, 1, System.Net.Sockets.SocketFlags.None);
                upstream.Receive(back, 0, 1, System.Net.Sockets.SocketFlags.None);
                upstream.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                accepted.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                accepted.Close();
                upstream.Close();
                long cost = GC.GetAllocatedBytesForCurrentThread() - before;
                if (i >= 20)
                {
                    total += cost; // after warm-up (first-use caches)
                }
            }

            return total / Rounds;
        }

        /// <summary>
        /// The whole run. The dll under `dotnet` (pigeon_dll) and each of <paramref name="builds"/>
        /// (pigeon-NAME = a published executable, e.g. packaging/build.sh's single file) join the
        /// 64 KB rows and the allocation measurement beside the shipped binary, under their own
        /// key prefix.
        /// </summary>
        private static int Bench(int rounds, double seconds, int sweepRounds, List<KeyValuePair<string, string>> builds)
        {
            Stopwatch total = Stopwatch.StartNew();
            Dictionary<string, object> result = new Dictionary<string, object>();
            string[] measuredNothing = Array.Empty<string>();
            result["machine"] = Machine();
            result["pigeon_binary"] = PigeonRelay.Shipped;
            result["pigeon_binary_bytes"] = new FileInfo(PigeonRelay.Shipped).Length;
            result["rounds"] = rounds;
            result["seconds_per_measurement"] = seconds;

            using Sink discard = new Sink(false);
            using Sink echo = new Sink(true);
            if (Run("idle"))
            {
                IdleSessions(discard, result);
            }

            if (Run("idle_tls"))
            {
                IdleTlsSessions(discard, result);
            }

            List<Relay> all = new List<Relay>();
            try
            {
                PigeonRelay pigeon = Add(all, new PigeonRelay("pigeon", discard, echo, PigeonHostBuffer));
                Relay haproxy = Add(all, new HaproxyRelay("haproxy", discard, echo, 0));
                Relay socat = Add(all, new SocatRelay("socat", discard, echo, 8192));
                List<PigeonRelay> others = new List<PigeonRelay>();
                others.Add(Add(all, new PigeonRelay("pigeon_dll", discard, echo, PigeonHostBuffer, executable: PigeonRelay.Dll)));
                foreach (KeyValuePair<string, string> build in builds)
                {
                    others.Add(Add(all, new PigeonRelay(build.Key, discard, echo, PigeonHostBuffer, executable: build.Value)));
                }

                Relay pigeon2k = Add(all, new PigeonRelay("pigeon-2k", discard, null, DeviceBuffer));
                Relay haproxy2k = Add(all, new HaproxyRelay("haproxy-2k", discard, null, DeviceBuffer));
                Relay socat2k = Add(all, new SocatRelay("socat-2k", discard, null, DeviceBuffer));
                foreach (Relay relay in all)
                {
                    relay.Start();
                }

                Relay[] main = new Relay[] { pigeon, haproxy, socat }.Concat(others).ToArray();
                Relay[] device = { pigeon2k, haproxy2k, socat2k };
                Dictionary<string, List<double>> samples = new Dictionary<string, List<double>>();
                for (int round = 0; round < rounds; round++)
                {
                    Log("round " + (round + 1) + " of " + rounds);
                    if (Run("gbps"))
                    {
                        Sample(samples, "direct_gbps", Load.Throughput(discard.Port, discard, 1, seconds));
                        foreach (Relay relay in Rotate(main, round))
                        {
                            Sample(samples, relay.Name + "_gbps", Load.Throughput(relay.DiscardPort, discard, 1, seconds, relay, out double cpu));
                            Sample(samples, relay.Name + "_cpu_s_per_gb", cpu);
                        }
                    }

                    if (Run("8streams"))
                    {
                        Sample(samples, "direct_gbps_8streams", Load.Throughput(discard.Port, discard, 8, seconds));
                        foreach (Relay relay in Rotate(main, round))
                        {
                            Sample(samples, relay.Name + "_gbps_8streams", Load.Throughput(relay.DiscardPort, discard, 8, seconds, relay, out double cpu));
                            Sample(samples, relay.Name + "_cpu_s_per_gb_8streams", cpu);
                        }
                    }

                    foreach (Relay relay in Rotate(device, round))
                    {
                        string name = relay.Name.Replace("-2k", string.Empty);
                        if (Run("2k"))
                        {
                            Sample(samples, name + "_gbps_2k", Load.Throughput(relay.DiscardPort, discard, 1, seconds, relay, out double cpu));
                            Sample(samples, name + "_cpu_s_per_gb_2k", cpu);
                        }
                    }

                    foreach (Relay relay in Rotate(device, round))
                    {
                        string name = relay.Name.Replace("-2k", string.Empty);
                        if (Run("8streams_2k"))
                        {
                            Sample(samples, name + "_gbps_8streams_2k", Load.Throughput(relay.DiscardPort, discard, 8, seconds, relay, out double cpu));
                            Sample(samples, name + "_cpu_s_per_gb_8streams_2k", cpu);
                        }
                    }

                    if (Run("cps"))
                    {
                    Sample(samples, "direct_connections_per_second", Load.ConnectionsPerSecond(echo.Port, 4, seconds, out _));
                    foreach (Relay relay in Rotate(main, round))
                    {
                        double cpu0 = relay.CpuSeconds();
                        double cps = Load.ConnectionsPerSecond(relay.EchoPort, 4, seconds, out long failures);
                        double cpu1 = relay.CpuSeconds();
                        Sample(samples, relay.Name + "_connections_per_second", cps);
                        Sample(samples, relay.Name + "_cpu_us_per_connection", (cpu1 - cpu0) * 1e6 / (cps * seconds));
                        if (failures > 0)
                        {
                            Log(relay.Name + ": " + failures + " failed connection cycles");
                        }

                        if (relay is PigeonRelay p && Verbose)
                        {
                            Log("  pigeon status: " + p.NextStats(TimeSpan.FromSeconds(5)).ToString());
                        }

                        System.Threading.Thread.Sleep(1200); // let Pigeon's drained sessions free their slots
                    }
                    }

                    if (!Run("latency"))
                    {
                        continue;
                    }

                    foreach (Relay relay in Rotate(main, round))
                    {
                        Load.PingPongPair(echo.Port, relay.EchoPort, 2000, out double[] direct, out double[] rtt);
                        Sample(samples, "direct_latency_us_p50", Load.Quantile(direct, 0.5));
                        Sample(samples, "direct_latency_us_p99", Load.Quantile(direct, 0.99));
                        Sample(samples, relay.Name + "_latency_us_p50", Load.Quantile(rtt, 0.5));
                        Sample(samples, relay.Name + "_latency_us_p99", Load.Quantile(rtt, 0.99));
                        Sample(samples, relay.Name + "_added_latency_us_p50", Load.Quantile(rtt, 0.5) - Load.Quantile(direct, 0.5));
                        Sample(samples, relay.Name + "_added_latency_us_p99", Load.Quantile(rtt, 0.99) - Load.Quantile(direct, 0.99));
                    }
                }

                foreach (KeyValuePair<string, List<double>> pair in samples)
                {
                    if (!double.IsNaN(pair.Value[0]))
                    {
                        result[pair.Key] = Round(Load.Median(pair.Value));
                    }
                }

                if (Run("tls"))
                {
                    TlsRows(discard, echo, rounds, seconds, result, samples);
                }

                result["samples"] = samples.Where(p => !double.IsNaN(p.Value[0])).ToDictionary(p => p.Key, p => p.Value.Select(Round).ToArray());
                if (Run("alloc"))
                {
                    Allocations(pigeon, echo, seconds, result, string.Empty);
                    foreach (PigeonRelay other in others)
                    {
                        Allocations(other, echo, seconds, result, other.Name + "_");
                    }
                }

                if (sweepRounds > 0 && Run("sweep"))
                {
                    Dictionary<string, double> cpu = new Dictionary<string, double>();
                    result["pigeon_buffer_sweep_gbps"] = Sweep(discard, seconds, sweepRounds, cpu);
                    result["pigeon_buffer_sweep_cpu_s_per_gb"] = cpu;
                }

                Dictionary<string, double> byRound = PairedRatios(samples);
                result["pigeon_over_haproxy_by_round"] = byRound;
                result["pigeon_behind_haproxy"] = Behind(result, byRound);
                measuredNothing = MeasuredNothing(result);
                result["rows_that_measured_nothing"] = measuredNothing;
            }
            finally
            {
                foreach (Relay relay in all)
                {
                    relay.Dispose();
                }
            }

            result["bench_seconds"] = Math.Round(total.Elapsed.TotalSeconds, 1);
            Print(result);
            if (measuredNothing.Length > 0)
            {
                Console.Error.WriteLine("these rows measured nothing (a relay that refused the load, or a load that never reached it): " + string.Join(", ", measuredNothing));
                return 1;
            }

            return 0;
        }

        /// <summary>
        /// TLS terminated by the relay, Pigeon (terminateTls) and HAProxy (bind ... ssl crt), both
        /// serving <see cref="BenchCertificate"/>, in the same rounds: full
        /// handshakes per second (a new connection each, resumption off), one TLS stream's
        /// throughput, the relay's CPU per GB, and Pigeon's allocation per MB through the TLS.
        /// </summary>
        private static void TlsRows(Sink discard, Sink echo, int rounds, double seconds, Dictionary<string, object> result, Dictionary<string, List<double>> samples)
        {
            Log("TLS termination");
            using PigeonRelay pigeon = new PigeonRelay("pigeon-tls", discard, echo, PigeonHostBuffer, "events", tls: true);
            using HaproxyRelay haproxy = new HaproxyRelay("haproxy-tls", discard, echo, 0) { Tls = true };
            pigeon.Start();
            haproxy.Start();
            Relay[] both = { pigeon, haproxy };

            // Untimed first: the clients run in this process, and their first TLS cycles are
            // still being compiled (tiered JIT); the relay measured first in round 1 was charged
            // for that.
            foreach (Relay relay in both)
            {
                TlsLoad.Handshakes(relay.EchoPort, 4, 1, out _);
            }

            for (int round = 0; round < rounds; round++)
            {
                HandshakeRound(Rotate(both, round).ToArray(), seconds, samples);
                foreach (Relay relay in Rotate(both, round))
                {
                    string name = relay.Name.Replace("-tls", string.Empty);
                    Sample(samples, name + "_tls_gbps", TlsLoad.Throughput(relay.DiscardPort, discard, seconds, relay, out double cpuPerGB));
                    Sample(samples, name + "_tls_cpu_s_per_gb", cpuPerGB);
                    System.Threading.Thread.Sleep(1200);
                }
            }

            foreach (string key in new[] { "tls_handshakes_per_second", "tls_cpu_us_per_handshake", "tls_gbps", "tls_cpu_s_per_gb" })
            {
                foreach (string name in new[] { "pigeon", "haproxy" })
                {
                    result[name + "_" + key] = Round(Load.Median(samples[name + "_" + key]));
                }
            }

            // Allocation through the TLS: status lines around one steady stream.
            AllocationPerMB(pigeon, seconds, "pigeon_tls_", result, span => TlsLoad.Throughput(pigeon.DiscardPort, discard, span, pigeon, out _));
        }

        /// <summary>
        /// Resident memory and threads with 1,000 to 9,000 idle sessions (Idle), each relay in its
        /// own fresh process against the same holder: Pigeon's event-driven pump (the shipped
        /// binary, then the dll), HAProxy with its defaults (maxconn from the open-file limit),
        /// and Pigeon's thread pump (the board's) at 1,000.
        /// </summary>
        private static void IdleSessions(Sink discard, Dictionary<string, object> result)
        {
            Log("idle sessions: resident memory and threads");
            using HoldProcess holder = new HoldProcess();
            Relay[] relays =
            {
                new PigeonRelay("pigeon", discard, null, holder.Port, PigeonHostBuffer, 10000, "events"),
                new PigeonRelay("pigeon_dll", discard, null, holder.Port, PigeonHostBuffer, 10000, "events", PigeonRelay.Dll),
                new HaproxyRelay("haproxy", discard, null, holder.Port, 0, true),
            };
            MeasureEach(relays, relay => Idle.Measure(relay, holder, result));

            // The board's pump on the host, for the record: two parked threads per slot.
            using PigeonRelay threads = new PigeonRelay("pigeon-threads", discard, null, holder.Port, PigeonHostBuffer, 1000, "threads");
            threads.Start();
            Idle.MeasureOnce(threads, holder, 1000, result);
        }

        /// <summary>
        /// Resident memory with 1,000 and 5,000 idle TLS sessions (Idle.MeasureTls: a handshake
        /// and the chat opening inside it, then silence), each relay in a fresh process (memory one
        /// run freed would serve the next, in HAProxy's pools as in the GC): the shipped binary
        /// (terminateTls), the dll, and HAProxy with bind ... ssl crt (maxconn from the open-file
        /// limit), all serving <see cref="BenchCertificate"/>.
        /// </summary>
        private static void IdleTlsSessions(Sink discard, Dictionary<string, object> result)
        {
            Log("idle TLS sessions: resident memory and threads");
            using HoldProcess holder = new HoldProcess();
            Relay[] relays =
            {
                new PigeonRelay("pigeon", discard, null, holder.Port, PigeonHostBuffer, 10000, "events", tls: true),
                new PigeonRelay("pigeon_dll", discard, null, holder.Port, PigeonHostBuffer, 10000, "events", PigeonRelay.Dll, tls: true),
                new HaproxyRelay("haproxy", discard, null, holder.Port, 0, true) { Tls = true },
            };
            MeasureEach(relays, relay => Idle.MeasureTls(relay, holder, result));
        }

        /// <summary>Starts each relay, measures it, and ends its process before the next starts.</summary>
        private static void MeasureEach(Relay[] relays, Action<Relay> measure)
        {
            foreach (Relay relay in relays)
            {
                try
                {
                    relay.Start();
                    measure(relay);
                }
                finally
                {
                    relay.Dispose();
                }
            }
        }

        /// <summary>
        /// Allocation in Pigeon's process, read from its status lines: gcAllocatedBytes is
        /// GC.GetTotalAllocatedBytes(precise) of the whole process; statusAllocatedBytes is what
        /// the status lines themselves allocated, subtracted so only the relay is counted.
        /// </summary>
        private static void Allocations(PigeonRelay pigeon, Sink echo, double seconds, Dictionary<string, object> result, string prefix)
        {
            // The shipped binary's keys keep their names (prefix ""); another build's start with its own.
            string own = prefix.Length == 0 ? "pigeon_" : prefix;
            Log(pigeon.Name + " allocations: idle, steady transfer, connection churn");
            TimeSpan wait = TimeSpan.FromSeconds(5);
            JsonElement idle0 = pigeon.NextStats(wait);
            JsonElement idle1 = pigeon.NextStats(wait);
            JsonElement idle2 = pigeon.NextStats(wait);
            result[own + "alloc_bytes_idle_per_s"] = Round((RelayAllocated(idle2) - RelayAllocated(idle0)) / 2.0);

            AllocationPerMB(pigeon, seconds, prefix, result, span => Load.Throughput(pigeon.DiscardPort, pigeon.Discard, 1, span));

            // Connection churn: what one relayed connection costs, the runtime's sockets included.
            System.Threading.Thread.Sleep(1500);
            JsonElement c0 = pigeon.NextStats(wait);
            Load.ConnectionsPerSecond(pigeon.EchoPort, 2, seconds, out _);
            System.Threading.Thread.Sleep(1500);
            JsonElement c1 = pigeon.NextStats(wait);
            long sessions = c1.GetProperty("accepted").GetInt64() - c0.GetProperty("accepted").GetInt64();
            result["runtime_socket_alloc_bytes_per_connection"] = SocketCost();
            result[own + "alloc_bytes_per_connection"] = sessions > 0 ? Round((RelayAllocated(c1) - RelayAllocated(c0)) / (double)sessions) : -1;
        }

        private static Dictionary<string, double> Sweep(Sink discard, double seconds, int rounds, Dictionary<string, double> cpuPerGB)
        {
            Log("buffer sweep: " + string.Join(", ", SweepSizes));
            List<PigeonRelay> relays = new List<PigeonRelay>();
            Dictionary<string, List<double>> samples = new Dictionary<string, List<double>>();
            try
            {
                foreach (int size in SweepSizes)
                {
                    PigeonRelay relay = new PigeonRelay("pigeon-" + size, discard, null, size);
                    relays.Add(relay);
                    relay.Start();
                }

                for (int round = 0; round < rounds; round++)
                {
                    foreach (PigeonRelay relay in Rotate(relays.ToArray(), round))
                    {
                        string size = relay.Name.Substring("pigeon-".Length);
                        Sample(samples, size, Load.Throughput(relay.DiscardPort, discard, 1, seconds, relay, out double cpu));
                        Sample(samples, "cpu " + size, cpu);
                    }
                }
            }
            finally
            {
                foreach (PigeonRelay relay in relays)
                {
                    relay.Dispose();
                }
            }

            Dictionary<string, double> sweep = new Dictionary<string, double>();
            foreach (int size in SweepSizes)
            {
                sweep[size.ToString()] = Round(Load.Median(samples[size.ToString()]));
            }

            foreach (int size in SweepSizes)
            {
                cpuPerGB[size.ToString()] = Round(Load.Median(samples["cpu " + size]));
            }

            return sweep;
        }

        /// <summary>
        /// Bytes Pigeon allocates per MB it relays during one steady transfer: the first status
        /// line is taken after the session is set up (the transfer warms up first), the last
        /// before it ends. Sets PREFIX + "alloc_mb_measured" and PREFIX + "alloc_bytes_per_mb".
        /// </summary>
        private static void AllocationPerMB(PigeonRelay pigeon, double seconds, string prefix, Dictionary<string, object> result, Action<double> transfer)
        {
            TimeSpan wait = TimeSpan.FromSeconds(5);
            int lines = Math.Max(2, (int)(seconds * 2));
            long bytes0 = 0, bytes1 = 0, alloc0 = 0, alloc1 = 0;
            System.Threading.Thread measure = new System.Threading.Thread(() =>
            {
                System.Threading.Thread.Sleep(700);
                JsonElement s0 = pigeon.NextStats(wait);
                JsonElement s1 = s0;
                for (int i = 0; i < lines; i++)
                {
                    s1 = pigeon.NextStats(wait);
                }

                bytes0 = Moved(s0);
                bytes1 = Moved(s1);
                alloc0 = RelayAllocated(s0);
                alloc1 = RelayAllocated(s1);
            });
            measure.Start();
            transfer(lines + 2.5);
            measure.Join();
            double mb = (bytes1 - bytes0) / 1048576.0;
            result[prefix + "alloc_mb_measured"] = Round(mb);
            result[prefix + "alloc_bytes_per_mb"] = mb > 0 ? Round((alloc1 - alloc0) / mb) : -1;
        }

        private static long RelayAllocated(JsonElement stats)
        {
            // The status lines' own allocations and the 24-hour tally's (a minute's sample and
            // save) are not the relay's.
            long status = stats.TryGetProperty("statusAllocatedBytes", out JsonElement s) ? s.GetInt64() : 0;
            long tally = stats.TryGetProperty("tallyAllocatedBytes", out JsonElement t) ? t.GetInt64() : 0;
            return stats.GetProperty("gcAllocatedBytes").GetInt64() - status - tally;
        }

        private static long Moved(JsonElement stats)
        {
            return stats.GetProperty("bytesToUpstream").GetInt64() + stats.GetProperty("bytesToClient").GetInt64();
        }

        /// <summary>
        /// Rates that came out zero and figures that could not be computed (NaN): a relay that
        /// answered the load with refusals measures nothing, and must fail the run rather than
        /// print a 0 beside the others.
        /// </summary>
        private static string[] MeasuredNothing(Dictionary<string, object> result)
        {
            return result.Where(p => p.Value is double v && (double.IsNaN(v)
                    || (v <= 0 && (p.Key.Contains("gbps", StringComparison.Ordinal) || p.Key.Contains("per_second", StringComparison.Ordinal)))
                    || (v < 0 && p.Key.EndsWith("alloc_bytes_per_mb", StringComparison.Ordinal))))
                .Select(p => p.Key).ToArray();
        }

        /// <summary>
        /// For each row both relays ran in every round: the median over the rounds of Pigeon's
        /// figure over HAProxy's in that round. A round measures the two back to back, so the
        /// machine's drift between rounds (a shared VM's speed wanders) cancels in each ratio,
        /// where the two medians taken apart can come from rounds of different speed.
        /// </summary>
        private static Dictionary<string, double> PairedRatios(Dictionary<string, List<double>> samples)
        {
            Dictionary<string, double> ratios = new Dictionary<string, double>();
            foreach (KeyValuePair<string, List<double>> mine in samples)
            {
                if (!mine.Key.StartsWith("pigeon_", StringComparison.Ordinal)
                    || !samples.TryGetValue("haproxy_" + mine.Key.Substring("pigeon_".Length), out List<double> theirs)
                    || theirs.Count != mine.Value.Count)
                {
                    continue;
                }

                List<double> each = new List<double>();
                for (int i = 0; i < theirs.Count; i++)
                {
                    if (theirs[i] > 0 && !double.IsNaN(mine.Value[i]))
                    {
                        each.Add(mine.Value[i] / theirs[i]);
                    }
                }

                if (each.Count == theirs.Count)
                {
                    ratios[mine.Key.Substring("pigeon_".Length)] = Math.Round(Load.Median(each), 3);
                }
            }

            return ratios;
        }

        /// <summary>
        /// Rows where Pigeon is behind HAProxy (lower throughput/rate; higher latency, CPU, memory
        /// or threads): by the round-by-round ratio where both ran every round, else by the figures.
        /// </summary>
        private static string[] Behind(Dictionary<string, object> result, Dictionary<string, double> byRound)
        {
            List<string> behind = new List<string>();
            foreach (string key in result.Keys.ToArray())
            {
                if (!key.StartsWith("pigeon_", StringComparison.Ordinal) || !(result[key] is double mine))
                {
                    continue;
                }

                string other = "haproxy_" + key.Substring("pigeon_".Length);
                if (!result.TryGetValue(other, out object value) || !(value is double theirs))
                {
                    continue;
                }

                bool lowerIsBetter = key.Contains("latency", StringComparison.Ordinal) || key.Contains("cpu_", StringComparison.Ordinal)
                    || key.Contains("_rss_", StringComparison.Ordinal) || key.EndsWith("_threads", StringComparison.Ordinal) || key.EndsWith("kb_per_session", StringComparison.Ordinal);
                if (byRound.TryGetValue(key.Substring("pigeon_".Length), out double ratio))
                {
                    mine = ratio;
                    theirs = 1.0;
                }

                if (lowerIsBetter ? mine > theirs : mine < theirs)
                {
                    behind.Add(key);
                }
            }

            return behind.ToArray();
        }

        private static Dictionary<string, object> Machine()
        {
            Dictionary<string, object> machine = new Dictionary<string, object>();
            machine["nproc"] = Environment.ProcessorCount;
            machine["cpu"] = ReadLine("/proc/cpuinfo", "model name");
            machine["kernel"] = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : RuntimeInformation.OSDescription;
            machine["dotnet"] = RuntimeInformation.FrameworkDescription;
            machine["haproxy"] = FirstLine("haproxy", "-v");
            machine["socat"] = FirstLine("socat", "-V", "socat version");
            machine["loadavg_at_start"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : string.Empty;
            return machine;
        }

        private static string ReadLine(string path, string key)
        {
            if (!File.Exists(path))
            {
                return string.Empty;
            }

            foreach (string line in File.ReadLines(path))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    return line.Substring(line.IndexOf(':') + 1).Trim();
                }
            }

            return string.Empty;
        }

        private static string FirstLine(string file, string arg, string contains = null)
        {
            try
            {
                ProcessStartInfo start = new ProcessStartInfo(file, arg) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                using Process process = Process.Start(start);
                string text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
                process.WaitForExit();
                foreach (string line in text.Split('\n'))
                {
                    if (line.Trim().Length > 0 && (contains == null || line.Contains(contains, StringComparison.Ordinal)))
                    {
                        return line.Trim();
                    }
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return "not installed";
            }

            return string.Empty;
        }

        private static T Add<T>(List<Relay> all, T relay)
            where T : Relay
        {
            all.Add(relay);
            return relay;
        }

        /// <summary>
        /// One round of the handshake rows: each relay twice for half the time, in the order
        /// A B B A, each relay's sample the sum of its halves. The clients take three quarters of
        /// the machine here, so the machine's drift (a shared VM speeds up and slows down by 20 %
        /// within a minute) outweighs any difference between the relays; measured back to back
        /// that way, a steady drift costs both alike.
        /// </summary>
        private static void HandshakeRound(Relay[] pair, double seconds, Dictionary<string, List<double>> samples)
        {
            double half = seconds / 2;
            Dictionary<Relay, double> handshakes = new Dictionary<Relay, double>();
            Dictionary<Relay, double> cpu = new Dictionary<Relay, double>();
            foreach (Relay relay in new[] { pair[0], pair[1], pair[1], pair[0] })
            {
                double cpu0 = relay.CpuSeconds();
                double rate = TlsLoad.Handshakes(relay.EchoPort, 4, half, out long failures);
                double cpu1 = relay.CpuSeconds();
                handshakes[relay] = handshakes.GetValueOrDefault(relay) + (rate * half);
                cpu[relay] = cpu.GetValueOrDefault(relay) + (cpu1 - cpu0);
                if (failures > 0)
                {
                    Log(relay.Name + ": " + failures + " failed TLS cycles");
                }
            }

            foreach (Relay relay in pair)
            {
                string name = relay.Name.Replace("-tls", string.Empty);
                Sample(samples, name + "_tls_handshakes_per_second", handshakes[relay] / seconds);
                Sample(samples, name + "_tls_cpu_us_per_handshake", cpu[relay] * 1e6 / handshakes[relay]);
            }
        }

        private static IEnumerable<T> Rotate<T>(T[] items, int round)
        {
            for (int i = 0; i < items.Length; i++)
            {
                yield return items[(i + round) % items.Length];
            }
        }

        private static void Sample(Dictionary<string, List<double>> samples, string key, double value)
        {
            if (!samples.TryGetValue(key, out List<double> list))
            {
                list = new List<double>();
                samples[key] = list;
            }

            list.Add(value);
            Log("  " + key + " = " + Round(value));
        }

        private static double Round(double value)
        {
            return Math.Round(value, Math.Abs(value) >= 100 ? 0 : 3);
        }

        public static void Log(string line)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }

        private static void Print(Dictionary<string, object> result)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        }
    }
}
