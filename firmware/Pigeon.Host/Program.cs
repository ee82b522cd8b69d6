using System;
using System.Collections.Generic;
using System.Threading;

namespace Pigeon.Host
{
    /// <summary>Entry point: `dotnet run --project firmware/Pigeon.Host [-- options]`.</summary>
    public static class Program
    {
        /// <summary>Runs until Ctrl+C or SIGTERM. Exit codes: 0 clean stop, 1 nothing could listen, 2 bad arguments or config.</summary>
        public static int Main(string[] args)
        {
            InlineSocketCompletions();
            if (args.Length > 0 && args[0] == "config")
            {
                return HostConfig.RunCommand(args, Console.Out, Console.Error);
            }

            HostOptions options;
            try
            {
                options = HostOptions.Parse(args);
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

            ConsoleLog log = new ConsoleLog();
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

            ManualResetEvent stop = new ManualResetEvent(false);
            Console.CancelKeyPress += (sender, e) =>
            {
                e.Cancel = true; // stop cleanly below instead of being killed mid-write
                stop.Set();
            };
            AppDomain.CurrentDomain.ProcessExit += (sender, e) => stop.Set();

            if (app.Start() == 0)
            {
                log.Warn("no route could listen; stopping");
                app.Stop();
                return 1;
            }

            log.Info("press Ctrl+C to stop");
            stop.WaitOne();
            log.Info("stopping");
            app.Stop();
            log.Info("stopped");
            return 0;
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
