using System;
using System.Collections.Generic;
using System.Diagnostics;
using Pigeon.Testing;

// Linux only: /proc for descriptors and threads, the whole of 127.0.0.0/8 on lo for many client addresses.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Pigeon.Abuse
{
    /// <summary>
    /// The abuse suite: each case starts Pigeon.Host with its own config, attacks it on
    /// 127.0.0.1 and checks what a volunteer relying on it would need to hold. Prints one line per
    /// check, the figures, a JSON line of every figure, and last "N passed, N failed".
    /// </summary>
    public static class Program
    {
        private const string Usage = "usage: Pigeon.Abuse [soak] [--only CASE,...] [--seed N] [--slow-reader] [--verbose] [--keep]\n"
            + "  cases: floods, churn, half-close, streams, tls, tls-close, portal, portal-flood, dns, kill9, kill9-cert, networks\n";

        /// <summary>Exit code 0 when every check passed.</summary>
        public static int Main(string[] args)
        {
            Scale scale = Scale.Short();
            HashSet<string> only = null;
            int seed = 13;
            bool slowReader = false;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "soak":
                    case "--soak":
                        scale = Scale.Long();
                        break;
                    case "--only":
                        only = new HashSet<string>(args[++i].Split(','));
                        break;
                    case "--seed":
                        seed = int.Parse(args[++i]);
                        break;
                    case "--slow-reader":
                        slowReader = true;
                        break;
                    case "--verbose":
                        PigeonHost.Verbose = true;
                        break;
                    case "--keep":
                        PigeonHost.Keep = true;
                        break;
                    default:
                        Console.Error.Write(Usage);
                        return 2;
                }
            }

            if (slowReader)
            {
                scale.AddSlowReader();
            }

            Report report = new Report();
            Stopwatch total = Stopwatch.StartNew();
            Console.Out.WriteLine("Pigeon.Abuse: " + (scale.Soak ? "soak" : "short") + " run, seed " + seed + ", host " + PigeonHost.HostDll);
            Case(report, only, "floods-events", () => FloodCase.Run(report, scale, seed, "events"));
            Case(report, only, "floods-threads", () => FloodCase.Run(report, scale, seed, "threads"));
            Case(report, only, "churn-events", () => ChurnCase.Run(report, scale, seed, "events"));
            Case(report, only, "churn-threads", () => ChurnCase.Run(report, scale, seed, "threads"));
            Case(report, only, "half-close-events", () => HalfCloseCase.Run(report, scale, seed, "events"));
            Case(report, only, "half-close-threads", () => HalfCloseCase.Run(report, scale, seed, "threads"));
            Case(report, only, "streams-events", () => StreamsCase.Run(report, scale, seed, "events"));
            Case(report, only, "streams-threads", () => StreamsCase.Run(report, scale, seed, "threads"));
            Case(report, only, "tls-events", () => TlsCase.Run(report, scale, seed, "events"));
            Case(report, only, "tls-threads", () => TlsCase.Run(report, scale, seed, "threads"));
            Case(report, only, "tls-close-events", () => TlsCloseCase.Run(report, seed, "events"));
            Case(report, only, "tls-close-threads", () => TlsCloseCase.Run(report, seed, "threads"));
            Case(report, only, "portal", () => PortalCase.Run(report, scale, seed));
            Case(report, only, "portal-flood", () => PortalFloodCase.Run(report, scale, seed));
            Case(report, only, "dns", () => DnsCase.Run(report, scale, seed));
            Case(report, only, "kill9", () => KillCase.Run(report, scale, seed));
            Case(report, only, "kill9-cert", () => CertificateKillCase.Run(report, scale, seed));
            Case(report, only, "networks", () => NetworksCase.Run(report, scale, seed));
            report.Begin("total");
            report.Check("the suite's own threads met no unexpected exception", Harness.Count == 0, Harness.First);
            report.Figure("wall_seconds", total.Elapsed.TotalSeconds, "s");
            Console.Out.WriteLine(report.FiguresJson());
            Console.Out.WriteLine(report.Passed + " passed, " + report.Failed + " failed");
            return report.Failed == 0 && report.Passed > 0 ? 0 : 1;
        }

        private static void Case(Report report, HashSet<string> only, string name, Action run)
        {
            string family = name.EndsWith("-events", StringComparison.Ordinal) ? name.Substring(0, name.Length - 7)
                : name.EndsWith("-threads", StringComparison.Ordinal) ? name.Substring(0, name.Length - 8) : name;
            if (only != null && !only.Contains(name) && !only.Contains(family))
            {
                return;
            }

            report.Begin(name);
            Stopwatch watch = Stopwatch.StartNew();
            try
            {
                run();
            }
            catch (Exception e)
            {
                report.Check("ran to the end", false, e.GetType().Name + ": " + e.Message);
                Console.Out.WriteLine(e);
            }

            report.Figure("seconds", watch.Elapsed.TotalSeconds, "s");
        }
    }
}
