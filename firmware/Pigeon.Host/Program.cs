using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using Pigeon.Host.Service;
using Pigeon.Net;

namespace Pigeon.Host
{
    /// <summary>Entry point: the packaged `pigeon`, or `dotnet run --project firmware/Pigeon.Host [-- options]`.</summary>
    public static class Program
    {
        /// <summary>
        /// Runs until Ctrl+C or SIGTERM. Exit codes: 0 clean stop, 1 nothing could listen, 2 bad
        /// arguments or config. The subcommands config, status, setup and health have their own.
        /// </summary>
        public static int Main(string[] args)
        {
            InlineSocketCompletions();
            if (args.Length > 0 && args[0] == "config")
            {
                return HostConfig.RunCommand(args, Console.Out, Console.Error);
            }

            if (args.Length > 0 && args[0] == "status")
            {
                return StatusCommand.Run(args, Console.Out, Console.Error, new WallClock(), Environment.GetEnvironmentVariable);
            }

            if (args.Length > 0 && args[0] == "setup")
            {
                return SetupCommand.Run(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
            }

            if (args.Length > 0 && args[0] == "health")
            {
                return HealthCommand.Run(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
            }

            HostOptions options;
            try
            {
                options = HostOptions.Parse(args, Environment.GetEnvironmentVariable);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }

            if (options.Help)
            {
                Console.Out.Write(HostOptions.Usage);
                return 0;
            }

            if (options.Version)
            {
                Console.Out.WriteLine("pigeon " + HostOptions.ProgramVersion);
                return 0;
            }

            ConsoleLog log = new ConsoleLog(JournalStream.StandardOutputIsJournal());
            if (options.FactoryReset)
            {
                return HostConfig.FactoryReset(options, log);
            }

            HostApp app = new HostApp(options, log);
            List<string> errors = new List<string>();
            if (!app.Load(errors))
            {
                Console.Error.WriteLine("error: the config " + options.EffectiveConfigPath + " cannot be used:");
                foreach (string error in errors)
                {
                    Console.Error.WriteLine("  " + error);
                }

                return 2;
            }

            string refusal = PortalExposure.Refusal(app.Config);
            if (refusal != null)
            {
                Console.Error.WriteLine("error: " + refusal);
                return 2;
            }

            ManualResetEvent stop = new ManualResetEvent(false);
            Console.CancelKeyPress += (sender, e) =>
            {
                e.Cancel = true; // stop cleanly below instead of being killed mid-write
                stop.Set();
            };

            // SIGTERM (systemctl stop): the same orderly stop as Ctrl+C, so STOPPING=1 is sent, the
            // tally saved and the router mappings removed before the process ends.
            using IDisposable term = OnSigterm(stop);
            AppDomain.CurrentDomain.ProcessExit += (sender, e) => stop.Set();

            SystemdNotifier notifier = SystemdNotifier.FromEnvironment();
            int opened = app.Start();
            if (opened < 0)
            {
                log.Warn("a relay port is in use (see above); stopping");
                app.Stop();
                return 1;
            }

            if (opened == 0)
            {
                log.Warn("no route could listen; stopping");
                app.Stop();
                return 1;
            }

            // The listeners are open and accept connections now (listen(2) returned): tell systemd.
            Notify(notifier, "READY=1\nSTATUS=" + ServiceStatus(app, opened), log);
            log.Info("press Ctrl+C to stop");
            stop.WaitOne();
            Notify(notifier, "STOPPING=1", log);
            log.Info("stopping");
            app.Stop();
            log.Info("stopped");
            return 0;
        }

        private static IDisposable OnSigterm(ManualResetEvent stop)
        {
            try
            {
                return PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
                {
                    context.Cancel = true;
                    stop.Set();
                });
            }
            catch (PlatformNotSupportedException)
            {
                return null; // ProcessExit below still stops the relay
            }
        }

        private static string ServiceStatus(HostApp app, int opened)
        {
            string status = "relaying on " + opened + " of " + app.Relay.RouteCount + " routes";
            if (app.Portal != null)
            {
                status += "; portal http://" + IPv4.ToText(app.Portal.Address) + ":" + app.Portal.Port + "/";
            }

            return status;
        }

        private static void Notify(SystemdNotifier notifier, string state, ILog log)
        {
            if (notifier != null && !notifier.Notify(state, out string error))
            {
                log.Warn("systemd: cannot notify " + notifier.Path + ": " + error);
            }
        }

        /// <summary>
        /// Runs socket continuations on the runtime's epoll threads (one per core) instead of
        /// handing each to the thread pool, as HAProxy runs everything on its few threads: measured
        /// on loopback (docs/performance.md) 5,500 against 3,900 connections a second and 137
        /// against 245 µs of CPU per connection. The event pump never blocks in a continuation (DNS
        /// lookups go to the pool). The runtime reads the switch once, when the first socket is
        /// made, so it is set here before anything else; an explicit setting in the environment wins.
        /// </summary>
        private static void InlineSocketCompletions()
        {
            const string Name = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Name)))
            {
                Environment.SetEnvironmentVariable(Name, "1");
            }
        }
    }
}
