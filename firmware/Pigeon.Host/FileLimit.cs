using System;
using System.Runtime.InteropServices;
using Pigeon.Net;

namespace Pigeon.Host
{
    /// <summary>
    /// The open-file limit a relay of N sessions needs (two sockets a session, plus listeners and
    /// the rest), raised at start as far as the hard limit allows, with a plain warning when even
    /// that is too low for the config. (.NET raises the soft limit itself on Linux; a native AOT
    /// build or another runtime may not, so Pigeon asks for what it needs either way.)
    /// </summary>
    public static class FileLimit
    {
        /// <summary>Descriptors besides the sessions': listeners, the portal and its clients, DNS, logs, the runtime's own.</summary>
        public const int Overhead = 128;

        private const int LinuxNoFile = 7;
        private const int MacNoFile = 8;

        /// <summary>Descriptors <paramref name="maxSessions"/> sessions on <paramref name="routes"/> routes need.</summary>
        public static long Needed(int maxSessions, int routes)
        {
            return (2L * maxSessions) + routes + Overhead;
        }

        /// <summary>Sessions that fit in <paramref name="limit"/> descriptors.</summary>
        public static long SessionsWithin(long limit, int routes)
        {
            long sessions = (limit - routes - Overhead) / 2;
            return sessions < 0 ? 0 : sessions;
        }

        /// <summary>
        /// Raises the soft limit toward what the config needs; logs what it did, and a warning
        /// naming the fix when the hard limit is lower than needed. Returns the soft limit in force
        /// (-1 where the platform has no such limit, Windows).
        /// </summary>
        public static long Ensure(int maxSessions, int routes, ILog log)
        {
            long needed = Needed(maxSessions, routes);
            Limit current;
            if (!TryGet(out current))
            {
                return -1;
            }

            if (current.Soft < (ulong)needed && current.Hard > current.Soft)
            {
                Limit raised = new Limit { Soft = current.Hard < (ulong)needed ? current.Hard : (ulong)needed, Hard = current.Hard };
                if (TrySet(raised))
                {
                    current = raised;
                }
            }

            long soft = current.Soft > long.MaxValue ? long.MaxValue : (long)current.Soft;
            if (soft < needed)
            {
                log.Warn(Describe(maxSessions, routes, soft));
            }

            return soft;
        }

        /// <summary>The soft open-file limit in force now; -1 where the platform has none (Windows).</summary>
        public static long Current()
        {
            Limit current;
            if (!TryGet(out current))
            {
                return -1;
            }

            return current.Soft > long.MaxValue ? long.MaxValue : (long)current.Soft;
        }

        /// <summary>The warning for a limit too low for the config (plain words, with the fix).</summary>
        public static string Describe(int maxSessions, int routes, long limit)
        {
            return "relay.maxSessions " + maxSessions + " needs " + Needed(maxSessions, routes) + " open files, but this system allows "
                + limit + ": at most about " + SessionsWithin(limit, routes) + " sessions can run at once (new clients beyond that are refused). "
                + "Raise the limit (systemd: LimitNOFILE=; shell: ulimit -n, up to the hard limit ulimit -Hn) or lower relay.maxSessions.";
        }

        private static bool TryGet(out Limit limit)
        {
            limit = default;
            try
            {
                if (OperatingSystem.IsLinux())
                {
                    return getrlimit(LinuxNoFile, out limit) == 0;
                }

                if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
                {
                    return getrlimit(MacNoFile, out limit) == 0;
                }
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
            }

            return false;
        }

        private static bool TrySet(Limit limit)
        {
            try
            {
                return setrlimit(OperatingSystem.IsLinux() ? LinuxNoFile : MacNoFile, ref limit) == 0;
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return false;
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int getrlimit(int resource, out Limit limit);

        [DllImport("libc", SetLastError = true)]
        private static extern int setrlimit(int resource, ref Limit limit);

        [StructLayout(LayoutKind.Sequential)]
        private struct Limit
        {
            public ulong Soft;
            public ulong Hard;
        }
    }
}
