using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading;

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
            DiscardPort = Load.FreePort();
            EchoPort = echo == null ? 0 : Load.FreePort();
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
            foreach (Process process in _processes)
            {
                string stat = File.ReadAllText("/proc/" + process.Id + "/stat");
                string[] fields = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
                total += (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime, stime in USER_HZ (100 on Linux)
            }

            return total;
        }

        /// <summary>Resident memory (kB, VmRSS) and threads of the relay's processes, from /proc/PID/status.</summary>
        public void ProcessStatus(out long rssKb, out int threads)
        {
            rssKb = 0;
            threads = 0;
            foreach (Process process in _processes)
            {
                foreach (string line in File.ReadAllLines("/proc/" + process.Id + "/status"))
                {
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    {
                        rssKb += long.Parse(line.Substring(6).Trim().Split(' ')[0]);
                    }
                    else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                    {
                        threads += int.Parse(line.Substring(8).Trim());
                    }
                }
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

        protected Process Launch(string file, IEnumerable<string> args, Action<string> onLine = null)
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
            process.OutputDataReceived += (s, e) =>
            {
                if (e.Data != null && onLine != null)
                {
                    onLine(e.Data);
                }
            };
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
            return process;
        }

        protected void WaitReady()
        {
            if (!Load.WaitListening(DiscardPort, TimeSpan.FromSeconds(15)) || (EchoPort != 0 && !Load.WaitListening(EchoPort, TimeSpan.FromSeconds(15))))
            {
                throw new InvalidOperationException(Name + " did not start listening");
            }
        }
    }

    /// <summary>
    /// Pigeon.Host as shipped (the linux-x64 binary packaging/build.sh makes: native AOT), or
    /// another published executable, or its built dll under `dotnet` (<see cref="Dll"/>), with a
    /// generated config of plain routes (TLS-terminating when asked).
    /// </summary>
    public sealed class PigeonRelay : Relay
    {
        private readonly int _bufferBytes;
        private readonly string _folder;
        private readonly string _executable;
        private readonly int _maxSessions;
        private readonly string _pump;
        private readonly bool _tls;
        private readonly object _statsLock = new object();
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
            _folder = Path.Combine(Path.GetTempPath(), "pigeon-bench-" + Environment.ProcessId + "-" + name);
        }

        /// <summary>The shipped binary every Pigeon row runs unless told otherwise (set once by Program).</summary>
        public static string Shipped { get; set; }

        public static string HostDll
        {
            get
            {
                string fromEnv = Environment.GetEnvironmentVariable("PIGEON_HOST_DLL");
                if (!string.IsNullOrEmpty(fromEnv))
                {
                    return fromEnv;
                }

                foreach (AssemblyMetadataAttribute a in typeof(PigeonRelay).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
                {
                    if (a.Key == "HostDll")
                    {
                        return Path.GetFullPath(a.Value);
                    }
                }

                throw new InvalidOperationException("Pigeon.Host.dll not known: set PIGEON_HOST_DLL");
            }
        }

        public override void Start()
        {
            Directory.CreateDirectory(_folder);
            string tls = _tls ? ", \"terminateTls\": true" : string.Empty; // the certificate: made by Pigeon in its data folder
            string routes = "{ \"name\": \"discard\", \"listenAddress\": \"127.0.0.1\", \"listenPort\": " + DiscardPort
                + ", \"upstreamHost\": \"127.0.0.1\", \"upstreamPort\": " + TargetPort + tls + " }";
            if (Echo != null)
            {
                routes += ", { \"name\": \"echo\", \"listenAddress\": \"127.0.0.1\", \"listenPort\": " + EchoPort
                    + ", \"upstreamHost\": \"127.0.0.1\", \"upstreamPort\": " + Echo.Port + tls + " }";
            }

            // The host also serves its portal: give it a free port so several relays can run.
            // Every client of the bench is 127.0.0.1: no per-client cap.
            string config = "{ \"schemaVersion\": 1, \"portal\": { \"listenAddress\": \"127.0.0.1\", \"port\": " + Load.FreePort() + " },"
                + " \"relay\": { \"maxSessions\": " + _maxSessions + ", \"maxSessionsPerClient\": 0, \"bufferBytes\": " + _bufferBytes
                + ", \"routes\": [ " + routes + " ] } }";
            string path = Path.Combine(_folder, "config.json");
            File.WriteAllText(path, config);
            string[] options = { "--config", path, "--data-dir", _folder, "--stats-interval", "1", "--no-reach", "--pump", _pump };
            string executable = _executable ?? Shipped ?? throw new InvalidOperationException("no Pigeon binary to run");
            if (executable == Dll)
            {
                Launch("dotnet", new[] { HostDll }.Concat(options), OnLine);
            }
            else
            {
                Launch(executable, options, OnLine);
            }

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
            try
            {
                Directory.Delete(_folder, true);
            }
            catch (IOException)
            {
            }
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
        private string _pem;

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
                _pem = TlsLoad.HaproxyPem(_config + ".pem");
                ssl = " ssl crt " + _pem;
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
            if (_pem != null)
            {
                File.Delete(_pem);
            }
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
