using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pigeon.Testing
{
    /// <summary>
    /// Pigeon.Host as a volunteer runs it: a child process (the built Pigeon.Host.dll, or a
    /// published executable) with --no-reach, a generated config whose routes, upstreams and
    /// portal are on 127.0.0.1, and the pump under test. Reads its counters from the portal
    /// (GET /api/status), its descriptors, threads, memory and CPU time from /proc, and keeps
    /// every line it prints.
    /// </summary>
    public sealed class PigeonHost : IDisposable
    {
        private const int SigKill = 9;
        private const int SigInt = 2;
        private const int SigTerm = 15;

        private static readonly List<PigeonHost> s_running = new List<PigeonHost>();
        private static bool s_hooked;

        private readonly List<string> _lines = new List<string>();
        private readonly List<string> _output = new List<string>();
        private readonly List<string> _errors = new List<string>();
        private readonly List<string> _arguments;
        private readonly bool _dns;
        private readonly bool _ownsFolder;
        private Process _process;

        /// <summary>
        /// A host named <paramref name="name"/> (its folder) for <paramref name="config"/>; the
        /// portal section is set here (127.0.0.1, a free port). With <paramref name="folder"/>,
        /// an existing data folder is used again and kept (the kill -9 loop restarts in it).
        /// </summary>
        public PigeonHost(string name, JsonObject config, string pump = "events", bool dns = false, string folder = null)
            : this(name, folder ?? FolderOf(name), folder == null, null)
        {
            _dns = dns;
            _arguments.AddRange(new[] { "--config", ConfigPath, "--data-dir", Folder, "--pump", pump });
            if (config != null)
            {
                PortalPort = WriteConfig(Folder, config);
            }
        }

        private PigeonHost(string name, string folder, bool ownsFolder, string[] arguments)
        {
            Name = name;
            Folder = folder;
            _ownsFolder = ownsFolder;
            ConfigPath = Path.Combine(Folder, "config.json");
            _arguments = new List<string> { "--no-reach" };
            if (arguments != null)
            {
                _arguments.AddRange(arguments);
            }
        }

        /// <summary>
        /// A host run with --no-reach and exactly <paramref name="arguments"/> (a command such as
        /// --version, a config of the test's own), in <paramref name="folder"/>, which the caller
        /// keeps; null: a new folder of its own, deleted with it.
        /// </summary>
        public static PigeonHost WithArguments(string name, string folder, params string[] arguments)
        {
            return new PigeonHost(name, folder ?? TestFolder.Create("pigeon-host-" + name), folder == null, arguments);
        }

        /// <summary>Writes <paramref name="config"/> as FOLDER/config.json with a portal on 127.0.0.1 and a free port; returns the port.</summary>
        public static int WriteConfig(string folder, JsonObject config)
        {
            int port = Loopback.FreePort();
            config["portal"] = new JsonObject { ["listenAddress"] = "127.0.0.1", ["port"] = port };
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return port;
        }

        /// <summary>The data folder a host named <paramref name="name"/> gets unless given one.</summary>
        public static string FolderOf(string name)
        {
            return Path.Combine(Path.GetTempPath(), "pigeon-host-" + Environment.ProcessId + "-" + name);
        }

        /// <summary>Deletes a data folder the caller kept for several hosts, unless <see cref="Keep"/>.</summary>
        public static void Remove(string folder)
        {
            if (!Keep)
            {
                TestFolder.Delete(folder);
            }
        }

        /// <summary>Keep the folders of finished hosts (--keep).</summary>
        public static bool Keep { get; set; }

        /// <summary>Print what the hosts say (--verbose).</summary>
        public static bool Verbose { get; set; }

        /// <summary>The built Pigeon.Host.dll (PIGEON_HOST_DLL overrides).</summary>
        public static string HostDll
        {
            get
            {
                string fromEnv = Environment.GetEnvironmentVariable("PIGEON_HOST_DLL");
                if (!string.IsNullOrEmpty(fromEnv))
                {
                    return fromEnv;
                }

                foreach (AssemblyMetadataAttribute a in typeof(PigeonHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
                {
                    if (a.Key == "HostDll")
                    {
                        return Path.GetFullPath(a.Value);
                    }
                }

                throw new InvalidOperationException("Pigeon.Host.dll not known: set PIGEON_HOST_DLL");
            }
        }

        /// <summary>The name the host was given (its folder, its log prefix).</summary>
        public string Name { get; }

        /// <summary>The data folder (--data-dir), also the process's working directory.</summary>
        public string Folder { get; }

        /// <summary>The config file (--config).</summary>
        public string ConfigPath { get; }

        /// <summary>The portal's port on 127.0.0.1.</summary>
        public int PortalPort { get; set; }

        /// <summary>When above 0, the process runs under this open-file limit, soft and hard (prlimit --nofile).</summary>
        public int FileLimit { get; set; }

        /// <summary>A published build (single file, native AOT) to run in place of the dll under `dotnet`; null: the dll.</summary>
        public string Executable { get; set; }

        /// <summary>More arguments after the usual ones (--stats-interval 1, say).</summary>
        public List<string> MoreArguments { get; } = new List<string>();

        /// <summary>Environment variables set for the process (NOTIFY_SOCKET, say).</summary>
        public Dictionary<string, string> Variables { get; } = new Dictionary<string, string>();

        /// <summary>Each line the host prints (stdout or stderr), as it arrives, on a reader thread.</summary>
        public event Action<string> LineReceived;

        /// <summary>The captive DNS port (with dns: true).</summary>
        public int DnsPort { get; private set; }

        /// <summary>The process id.</summary>
        public int Pid => _process.Id;

        /// <summary>True while the process runs.</summary>
        public bool Alive => _process != null && !_process.HasExited;

        /// <summary>The process's exit code (after it exited).</summary>
        public int ExitCode => _process.ExitCode;

        /// <summary>Every line the host printed so far (stdout and stderr).</summary>
        public List<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return new List<string>(_lines);
                }
            }
        }

        /// <summary>What the host printed on stdout so far, its lines joined by "\n".</summary>
        public string Output
        {
            get
            {
                lock (_lines)
                {
                    return string.Join("\n", _output);
                }
            }
        }

        /// <summary>What the host printed on stderr so far, its lines joined by "\n".</summary>
        public string ErrorOutput
        {
            get
            {
                lock (_lines)
                {
                    return string.Join("\n", _errors);
                }
            }
        }

        /// <summary>Starts the process and waits until it says it runs; throws with its output when it does not.</summary>
        public void Start(int timeoutMs = 90000)
        {
            Spawn();
            if (!Loopback.WaitUntil(() => Said("press Ctrl+C to stop") || _process.HasExited, timeoutMs) || _process.HasExited)
            {
                string output = string.Join("\n", Lines);
                Kill();
                throw new InvalidOperationException(Name + ": Pigeon.Host did not start:\n" + output);
            }
        }

        /// <summary>Starts the process and waits for it to end by itself (one that must refuse to start); its exit code, or -1 when it still ran after <paramref name="timeoutMs"/>.</summary>
        public int RunToExit(int timeoutMs = 60000)
        {
            Spawn();
            return WaitForExit(timeoutMs);
        }

        /// <summary>Starts the process and returns at once (the caller waits for what it looks for).</summary>
        public void Spawn()
        {
            lock (_lines)
            {
                _lines.Clear();
                _output.Clear();
                _errors.Clear();
            }

            _process = Launch();
            lock (s_running)
            {
                if (!s_hooked)
                {
                    // However the run ends (an exception nobody caught, Ctrl+C), no host outlives it.
                    AppDomain.CurrentDomain.ProcessExit += (s, e) => KillAll();
                    AppDomain.CurrentDomain.UnhandledException += (s, e) => KillAll();
                    s_hooked = true;
                }

                s_running.Add(this);
            }
        }

        /// <summary>Waits for the process to end; its exit code with every line read, or -1 (and killed) when it still ran after <paramref name="timeoutMs"/>.</summary>
        public int WaitForExit(int timeoutMs)
        {
            if (!_process.WaitForExit(timeoutMs))
            {
                Kill();
                return -1;
            }

            _process.WaitForExit(); // the last lines of output
            return _process.ExitCode;
        }

        /// <summary>True when a line printed so far contains <paramref name="text"/>.</summary>
        public bool Said(string text)
        {
            return Line(text) != null;
        }

        /// <summary>The first line printed so far that contains <paramref name="text"/>, or null.</summary>
        public string Line(string text)
        {
            lock (_lines)
            {
                foreach (string line in _lines)
                {
                    if (line.Contains(text, StringComparison.Ordinal))
                    {
                        return line;
                    }
                }
            }

            return null;
        }

        /// <summary>GET /api/status (with a session cookie once an admin password is set).</summary>
        public JsonElement Status(string cookie = null)
        {
            HttpAnswer answer = HttpAnswer.Json(PortalPort, "GET", "/api/status", null, cookie);
            if (answer.Status != 200)
            {
                throw new InvalidOperationException(Name + ": GET /api/status answered " + answer.Status + ": " + answer.Raw);
            }

            using JsonDocument doc = JsonDocument.Parse(answer.Body);
            return doc.RootElement.Clone();
        }

        /// <summary>Open descriptors of the process (/proc/PID/fd).</summary>
        public int OpenFiles()
        {
            return Directory.GetFileSystemEntries("/proc/" + Pid + "/fd").Length;
        }

        /// <summary>
        /// Open descriptors that are not files: sockets, pipes, epoll and event descriptors. The
        /// runtime opens assemblies (and a pdb for its first stack trace) on first use and keeps
        /// them: those are not leaks, sockets are.
        /// </summary>
        public int OpenNonFiles()
        {
            int count = 0;
            foreach (KeyValuePair<string, int> kind in FileKinds())
            {
                count += kind.Key.StartsWith("/", StringComparison.Ordinal) ? 0 : kind.Value;
            }

            return count;
        }

        /// <summary>What the open descriptors are, counted by kind ("socket", "pipe", "anon_inode:[eventfd]", or the file's path).</summary>
        public SortedDictionary<string, int> FileKinds()
        {
            SortedDictionary<string, int> kinds = new SortedDictionary<string, int>();
            foreach (string fd in Directory.GetFileSystemEntries("/proc/" + Pid + "/fd"))
            {
                string target;
                try
                {
                    target = new FileInfo(fd).LinkTarget ?? "?";
                }
                catch (IOException)
                {
                    continue; // closed meanwhile
                }

                int bracket = target.IndexOf(":[", StringComparison.Ordinal);
                string kind = target.StartsWith("anon_inode:", StringComparison.Ordinal) ? target : bracket > 0 ? target.Substring(0, bracket) : target;
                kinds.TryGetValue(kind, out int n);
                kinds[kind] = n + 1;
            }

            return kinds;
        }

        /// <summary>The kinds other than files whose counts differ between two <see cref="FileKinds"/> readings ("socket 12 -> 14"); "none" when none.</summary>
        public static string FileKindsChange(SortedDictionary<string, int> before, SortedDictionary<string, int> after)
        {
            SortedSet<string> all = new SortedSet<string>(before.Keys);
            all.UnionWith(after.Keys);
            List<string> changes = new List<string>();
            foreach (string kind in all)
            {
                before.TryGetValue(kind, out int a);
                after.TryGetValue(kind, out int b);
                if (a != b && !kind.StartsWith("/", StringComparison.Ordinal))
                {
                    changes.Add(kind + " " + a + " -> " + b);
                }
            }

            return changes.Count == 0 ? "none" : string.Join(", ", changes);
        }

        /// <summary>Threads of the process (/proc/PID/status).</summary>
        public int Threads()
        {
            return ThreadsOf(Pid);
        }

        /// <summary>Resident memory of the process in kB (VmRSS in /proc/PID/status).</summary>
        public long ResidentKb()
        {
            return ResidentKbOf(Pid);
        }

        /// <summary>CPU seconds (user + system, all threads) the process has used so far, from /proc/PID/stat.</summary>
        public double CpuSeconds()
        {
            return CpuSecondsOf(Pid);
        }

        // The same readings of any process by its id: the bench compares the host with HAProxy and socat on them.

        /// <summary>Threads of process <paramref name="pid"/> (/proc/PID/status).</summary>
        public static int ThreadsOf(int pid)
        {
            return (int)StatusField(pid, "Threads:");
        }

        /// <summary>Resident memory of process <paramref name="pid"/> in kB (VmRSS in /proc/PID/status).</summary>
        public static long ResidentKbOf(int pid)
        {
            return StatusField(pid, "VmRSS:");
        }

        /// <summary>CPU seconds (user + system, all threads) process <paramref name="pid"/> has used so far, from /proc/PID/stat.</summary>
        public static double CpuSecondsOf(int pid)
        {
            string stat = File.ReadAllText("/proc/" + pid + "/stat");
            string[] fields = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime, stime in USER_HZ (100 on Linux)
        }

        /// <summary>kill -9: the process ends at once, mid-write or not.</summary>
        public void Kill()
        {
            if (Alive)
            {
                kill(_process.Id, SigKill);
                _process.WaitForExit(10000);
            }
        }

        /// <summary>Ctrl+C (SIGINT), as the host says to stop it; the exit code, or -1 when it did not stop within <paramref name="ms"/>.</summary>
        public int Stop(int ms = 15000)
        {
            return Signal(SigInt, ms);
        }

        /// <summary>SIGTERM, as systemctl stops it; the exit code, or -1 when it did not stop within <paramref name="ms"/>.</summary>
        public int Terminate(int ms = 15000)
        {
            return Signal(SigTerm, ms);
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (_process != null)
            {
                Kill();
                lock (s_running)
                {
                    s_running.Remove(this);
                }

                _process.Dispose();
                _process = null;
            }

            if (_ownsFolder)
            {
                Remove(Folder);
            }
        }

        private int Signal(int signal, int ms)
        {
            if (!Alive)
            {
                return _process == null ? -1 : _process.ExitCode;
            }

            if (signal == SigInt && SigIntIgnoredHere())
            {
                // A shell without job control starts a command given "&" with SIGINT ignored, and a
                // program inherits that: the host would never see Ctrl+C, and the test could only
                // time out. Say so instead.
                throw new InvalidOperationException("SIGINT is ignored in this process (started in the background by a shell without job control?), so the host inherits that and cannot be stopped with Ctrl+C; run the tests in the foreground");
            }

            kill(_process.Id, signal);
            return WaitForExit(ms);
        }

        private static bool SigIntIgnoredHere()
        {
            foreach (string line in File.ReadAllLines("/proc/self/status"))
            {
                if (line.StartsWith("SigIgn:", StringComparison.Ordinal))
                {
                    return (Convert.ToUInt64(line.Substring(7).Trim(), 16) & (1UL << (SigInt - 1))) != 0;
                }
            }

            return false;
        }

        private static long StatusField(int pid, string name)
        {
            foreach (string line in File.ReadAllLines("/proc/" + pid + "/status"))
            {
                if (line.StartsWith(name, StringComparison.Ordinal))
                {
                    return long.Parse(line.Substring(name.Length).Trim().Split(' ')[0]);
                }
            }

            return -1;
        }

        private Process Launch()
        {
            List<string> command = new List<string>();
            if (FileLimit > 0)
            {
                command.Add("prlimit");
                command.Add("--nofile=" + FileLimit + ":" + FileLimit);
            }

            if (Executable != null)
            {
                command.Add(Executable);
            }
            else
            {
                command.Add("dotnet");
                command.Add(HostDll);
            }

            command.AddRange(_arguments);
            if (_dns)
            {
                DnsPort = Loopback.FreeUdpPort();
                command.Add("--dns-port");
                command.Add(DnsPort.ToString());
            }

            command.AddRange(MoreArguments);
            ProcessStartInfo start = new ProcessStartInfo(command[0])
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Directory.Exists(Folder) ? Folder : string.Empty,
            };
            for (int i = 1; i < command.Count; i++)
            {
                start.ArgumentList.Add(command[i]);
            }

            foreach (KeyValuePair<string, string> variable in Variables)
            {
                start.Environment[variable.Key] = variable.Value;
            }

            Process process = Process.Start(start);
            process.OutputDataReceived += (s, e) => OnLine(e.Data, false);
            process.ErrorDataReceived += (s, e) => OnLine(e.Data, true);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }

        private static void KillAll()
        {
            lock (s_running)
            {
                foreach (PigeonHost host in s_running)
                {
                    try
                    {
                        host.Kill();
                    }
                    catch (InvalidOperationException)
                    {
                    }
                }
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int sig);

        private void OnLine(string line, bool error)
        {
            if (line == null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Add(line);
                (error ? _errors : _output).Add(line);
            }

            LineReceived?.Invoke(line);
            if (Verbose)
            {
                Console.Error.WriteLine("[" + Name + "] " + line);
            }
        }
    }
}
