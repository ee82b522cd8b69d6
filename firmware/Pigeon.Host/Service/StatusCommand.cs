using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Pigeon.Net;

namespace Pigeon.Host.Service
{
    /// <summary>
    /// `pigeon status [--data-dir DIR]`: the 24-hour line of the relay running on this machine,
    /// read from the tally file it rewrites every minute, and whether it is still running.
    /// Without --data-dir it looks in ./pigeon-data, then in the package's /var/lib/pigeon.
    /// Exit codes: 0 running, 3 not running (as `systemctl status`), 1 nothing to read, 2 usage.
    /// </summary>
    public static class StatusCommand
    {
        /// <summary>The package's data folder (the unit's StateDirectory=pigeon).</summary>
        public const string ServiceDataDir = "/var/lib/pigeon";

        /// <summary>The usage text.</summary>
        public const string Usage = "usage: pigeon status [--data-dir DIR]\n"
            + "  prints the last 24 hours of the relay running on this machine (its data folder: DIR, else\n"
            + "  $PIGEON_DATA_DIR, else ./pigeon-data, else " + ServiceDataDir + ", which only root can read:\n"
            + "  sudo pigeon status)\n";

        /// <summary>A saved tally older than this means the writer stopped (it saves every minute).</summary>
        public const long StaleMs = 3L * TallyRecorder.SampleIntervalMs;

        /// <summary>Runs the command; returns the exit code.</summary>
        public static int Run(string[] args, TextWriter output, TextWriter error, IClock wallClock)
        {
            return Run(args, output, error, wallClock, null);
        }

        /// <summary>Runs the command with PIGEON_DATA_DIR from <paramref name="environment"/> as the default folder; returns the exit code.</summary>
        public static int Run(string[] args, TextWriter output, TextWriter error, IClock wallClock, Func<string, string> environment)
        {
            string folder = environment == null ? null : environment("PIGEON_DATA_DIR");
            folder = string.IsNullOrEmpty(folder) ? null : folder;
            for (int i = 1; i < args.Length; i++)
            {
                if (args[i] == "--data-dir" && i + 1 < args.Length)
                {
                    folder = args[++i];
                }
                else
                {
                    error.Write(Usage);
                    return 2;
                }
            }

            string path = folder != null ? Path.Combine(folder, TallyFile.FileName) : Find();
            if (path == null || !File.Exists(path))
            {
                error.WriteLine("pigeon status: no relay has run here yet: no " + (path ?? Path.Combine("pigeon-data", TallyFile.FileName))
                    + (folder == null ? " nor " + Path.Combine(ServiceDataDir, TallyFile.FileName) : string.Empty)
                    + (folder == null && !Environment.IsPrivilegedProcess ? " (the service's data folder is readable by root only: sudo pigeon status)" : string.Empty));
                return 1;
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                error.WriteLine("pigeon status: cannot read " + path + ": " + e.Message);
                return 1;
            }

            DailyTally tally = new DailyTally(TallyRecorder.ReasonNames());
            TallyHeader header = TallyFile.Read(bytes, tally);
            if (header == null)
            {
                error.WriteLine("pigeon status: " + path + " is not a tally this version reads");
                return 1;
            }

            long now = wallClock.NowMilliseconds;
            long age = now - header.SavedAtMs;
            bool running = age < StaleMs && IsAlive(header.Pid);
            string when = DateTimeOffset.FromUnixTimeMilliseconds(header.SavedAtMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
            output.WriteLine(running
                ? "pigeon: running (pid " + header.Pid + "), figures from " + when + " (" + Math.Max(0, age / 1000) + " s ago)"
                : "pigeon: not running (last seen " + when + ")");
            output.WriteLine(tally.Sum(now).Line());
            return running ? 0 : 3;
        }

        private static string Find()
        {
            string local = Path.Combine("pigeon-data", TallyFile.FileName);
            if (File.Exists(local))
            {
                return local;
            }

            string service = Path.Combine(ServiceDataDir, TallyFile.FileName);
            return File.Exists(service) ? service : null;
        }

        private static bool IsAlive(int pid)
        {
            try
            {
                using (Process process = Process.GetProcessById(pid))
                {
                    return !process.HasExited;
                }
            }
            catch (ArgumentException)
            {
                return false; // no such process
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }
}
