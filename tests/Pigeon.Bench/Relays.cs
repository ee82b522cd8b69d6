using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using Pigeon.Testing;

namespace Pigeon.Bench
{
    /// <summary>A relay under test: a child process listening on two 127.0.0.1 ports.</summary>
    public abstract class Relay : IDisposable
    {
        private readonly List<Process> _processes = new List<Process>();

        protected Relay(string name, Sink discard, Sink echo)
            : this(name, discard, echo, discard.Port)
        {
        }

        /// <summary>A relay whose "discard" route leads to <paramref name="targetPort"/> (a holder, say).</summary>
        protected Relay(string name, Sink discard, Sink echo, int targetPort)
        {
            Name = name;
            DiscardPort = Loopback.FreePort();
            EchoPort = echo == null ? 0 : Loopback.FreePort();
            Discard = discard;
            Echo = echo;
            TargetPort = targetPort;
        }

        /// <summary>Where the discard route leads.</summary>
        public int TargetPort { get; }

        public string Name { get; }

        /// <summary>Relays to the discard sink.</summary>
        public int DiscardPort { get; }

        /// <summary>Relays to the echo sink (0 when this instance has none).</summary>
        public int EchoPort { get; }

        public Sink Discard { get; }

        public Sink Echo { get; }

        public abstract void Start();

        /// <summary>
        /// CPU seconds (user + system, all threads) the relay's processes have used so far, from
        /// /proc/PID/stat; forked children (socat) are counted only once they have been reaped,
        /// so socat's figure is NaN.
        /// </summary>
        public virtual double CpuSeconds()
        {
            double total = 0;
            foreach (int pid in ProcessIds())
            {
                total += PigeonHost.CpuSecondsOf(pid);
            }

            return total;
        }

        /// <summary>Resident memory (kB, VmRSS) and threads of the relay's processes, from /proc/PID/status.</summary>
        public void ProcessStatus(out long rssKb, out int threads)
        {
            rssKb = 0;
            threads = 0;
            foreach (int pid in ProcessIds())
            {
                rssKb += PigeonHost.ResidentKbOf(pid);
                threads += PigeonHost.ThreadsOf(pid);
            }
        }

        public virtual void Dispose()
        {
            foreach (Process process in _processes)
            {
                try
                {
                    if (!process.HasExited)
                    {
                        process.Kill(true);
                        process.WaitForExit(5000);
                    }
                }
                catch (InvalidOperationException)
                {
                }

                process.Dispose();
            }

            _processes.Clear();
        }

        /// <summary>The processes whose CPU time, memory and threads are the relay's.</summary>
        protected virtual IEnumerable<int> ProcessIds()
        {
            return _processes.Select(p => p.Id);
        }

        /// <summary>Starts <paramref name="file"/> (HAProxy, socat); what it prints on stderr is shown with --verbose.</summary>
        protected void Launch(string file, IEnumerable<string> args)
        {
            ProcessStartInfo start = new ProcessStartInfo(file);
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            start.UseShellExecute = false;
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            Process process = Process.Start(start);
            process.ErrorDataReceived += (s, e) =>
            {
                if (e.Data != null && Program.Verbose)
                {
                    Console.Error.WriteLine("[" + Name + "] " + e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _processes.Add(process);
        }

        protected void WaitReady()
        {
            if (!Loopback.WaitListening(DiscardPort, 15000) || (EchoPort != 0 && !Loopback.WaitListening(EchoPort, 15000)))
            {
                throw new InvalidOperationException(Name + " did not start listening");
            }
        }
    }

    /// <summary>
    /// Pigeon.Host as shipped (the linux-x64 binary packaging/build.sh makes: native AOT), or
    /// another published executable, or its built dll under `dotnet` (<see cref="Dll"/>), with a
    /// generated config of plain routes (TLS-terminating when asked), started as the host tests
    /// start it (<see cref="PigeonHost"/>), printing its counters every second.
    /// </summary>
    public sealed class PigeonRelay : Relay
    {
        private readonly int _bufferBytes;
        private readonly string _executable;
        private readonly int _maxSessions;
        private readonly string _pump;
        private readonly bool _tls;
        private readonly object _statsLock = new object();
        private PigeonHost _host;
        private JsonElement _lastStats;
        private int _statsCount;

        /// <summary>As <c>executable</c>: Pigeon.Host.dll under `dotnet` (the pigeon_dll rows).</summary>
        public const string Dll = "dll";

        public PigeonRelay(string name, Sink discard, Sink echo, int bufferBytes, string pump = "events", bool tls = false, string executable = null)
            : this(name, discard, echo, discard.Port, bufferBytes, 4096, pump, executable, tls)
        {
        }

        /// <summary>
        /// A relay of <paramref name="maxSessions"/> sessions whose discard route leads to
        /// <paramref name="targetPort"/>; run from <paramref name="executable"/> (a published
        /// build, or <see cref="Dll"/>) when given, else the shipped binary (<see cref="Shipped"/>).
        /// </summary>
        public PigeonRelay(string name, Sink discard, Sink echo, int targetPort, int bufferBytes, int maxSessions, string pump, string executable = null, bool tls = false)
            : base(name, discard, echo, targetPort)
        {
            _bufferBytes = bufferBytes;
            _maxSessions = maxSessions;
            _pump = pump;
            _executable = executable;
            _tls = tls;
        }

        /// <summary>The shipped binary every Pigeon row runs unless told otherwise (set once by Program).</summary>
        public static string Shipped { get; set; }

        public override void Start()
        {
            JsonArray routes = new JsonArray { Route("discard", DiscardPort, TargetPort) };
            if (Echo != null)
            {
                routes.Add(Route("echo", EchoPort, Echo.Port));
            }

            // Every client of the bench is 127.0.0.1: no per-client cap. PigeonHost adds the
            // portal on a free port, so several relays can run.
            JsonObject relay = new JsonObject { ["maxSessions"] = _maxSessions, ["maxSessionsPerClient"] = 0, ["bufferBytes"] = _bufferBytes, ["routes"] = routes };
            if (_tls)
            {
                relay["tlsCertificateFile"] = BenchCertificate.CertificatePem; // the certificate HAProxy serves too
                relay["tlsKeyFile"] = BenchCertificate.KeyPem;
            }

            JsonObject config = new JsonObject { ["schemaVersion"] = 1, ["relay"] = relay };
            string executable = _executable ?? Shipped ?? throw new InvalidOperationException("no Pigeon binary to run");
            _host = new PigeonHost(Name, config, _pump) { Executable = executable == Dll ? null : executable };
            _host.MoreArguments.AddRange(new[] { "--stats-interval", "1" });
            _host.LineReceived += OnLine;
            _host.Start();
            WaitReady();
        }

        /// <summary>Waits for the next status line printed after this call and returns it.</summary>
        public JsonElement NextStats(TimeSpan timeout)
        {
            int seen;
            lock (_statsLock)
            {
                seen = _statsCount;
            }

            DateTime deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                lock (_statsLock)
                {
                    if (_statsCount > seen)
                    {
                        return _lastStats;
                    }
                }

                Thread.Sleep(20);
            }

            throw new TimeoutException(Name + ": no status line");
        }

        public override void Dispose()
        {
            base.Dispose();
            _host?.Dispose(); // kills the process, deletes its data folder
            _host = null;
        }

        protected override IEnumerable<int> ProcessIds()
        {
            return _host == null ? Enumerable.Empty<int>() : new[] { _host.Pid };
        }

        /// <summary>A plain route (TLS-terminating when asked: the certificate is made by Pigeon in its data folder).</summary>
        private JsonObject Route(string name, int listenPort, int upstreamPort)
        {
            JsonObject route = new JsonObject
            {
                ["name"] = name,
                ["listenAddress"] = "127.0.0.1",
                ["listenPort"] = listenPort,
                ["upstreamHost"] = "127.0.0.1",
                ["upstreamPort"] = upstreamPort,
            };
            if (_tls)
            {
                route["terminateTls"] = true;
            }

            return route;
        }

        private void OnLine(string line)
        {
            if (!line.StartsWith("{\"stats\"", StringComparison.Ordinal))
            {
                if (Program.Verbose)
                {
                    Console.Error.WriteLine("[" + Name + "] " + line);
                }

                return;
            }

            using JsonDocument doc = JsonDocument.Parse(line);
            lock (_statsLock)
            {
                _lastStats = doc.RootElement.GetProperty("stats").Clone();
                _statsCount++;
            }
        }
    }

    /// <summary>HAProxy in TCP mode with its defaults, except the buffer size when asked.</summary>
    public sealed class HaproxyRelay : Relay
    {
        private readonly int _bufferBytes;
        private readonly string _config;

        private readonly bool _defaultMaxconn;

        /// <summary>Terminate TLS on both listeners with an ECDSA P-256 certificate (bind ... ssl crt).</summary>
        public bool Tls { get; set; }

        public HaproxyRelay(string name, Sink discard, Sink echo, int bufferBytes)
            : this(name, discard, echo, discard.Port, bufferBytes, false)
        {
        }

        /// <summary>HAProxy whose discard route leads to <paramref name="targetPort"/>; maxconn from its own default (the open-file limit) when asked.</summary>
        public HaproxyRelay(string name, Sink discard, Sink echo, int targetPort, int bufferBytes, bool defaultMaxconn)
            : base(name, discard, echo, targetPort)
        {
            _bufferBytes = bufferBytes;
            _defaultMaxconn = defaultMaxconn;
            _config = Path.Combine(Path.GetTempPath(), "pigeon-bench-" + Environment.ProcessId + "-" + name + ".cfg");
        }

        public override void Start()
        {
            string ssl = string.Empty;
            if (Tls)
            {
                ssl = " ssl crt " + BenchCertificate.CombinedPem; // the certificate Pigeon serves too
            }

            string text = "global\n" + (_defaultMaxconn ? string.Empty : "  maxconn 4096\n") + (_bufferBytes > 0 ? "  tune.bufsize " + _bufferBytes + "\n" : string.Empty)
                + "defaults\n  mode tcp\n  timeout connect 5s\n  timeout client 200s\n  timeout server 200s\n"
                + "listen discard\n  bind 127.0.0.1:" + DiscardPort + ssl + "\n  server sink 127.0.0.1:" + TargetPort + "\n";
            if (Echo != null)
            {
                text += "listen echo\n  bind 127.0.0.1:" + EchoPort + ssl + "\n  server echo 127.0.0.1:" + Echo.Port + "\n";
            }

            File.WriteAllText(_config, text);
            Launch("haproxy", new[] { "-f", _config, "-db" });
            WaitReady();
        }

        public override void Dispose()
        {
            base.Dispose();
            File.Delete(_config);
        }
    }

    /// <summary>socat forking a process per connection (its classic relay use), buffer size set with -b.</summary>
    public sealed class SocatRelay : Relay
    {
        private readonly int _bufferBytes;

        public SocatRelay(string name, Sink discard, Sink echo, int bufferBytes)
            : base(name, discard, echo)
        {
            _bufferBytes = bufferBytes;
        }

        public override void Start()
        {
            Launch("socat", Args(DiscardPort, Discard.Port));
            if (Echo != null)
            {
                Launch("socat", Args(EchoPort, Echo.Port));
            }

            WaitReady();
        }

        public override double CpuSeconds()
        {
            return double.NaN; // one process per connection: not measurable from the parent
        }

        private string[] Args(int listen, int target)
        {
            return new[] { "-b", _bufferBytes.ToString(), "TCP-LISTEN:" + listen + ",bind=127.0.0.1,reuseaddr,fork,backlog=1024", "TCP:127.0.0.1:" + target + ",nodelay" };
        }
    }
}
