using System;
using System.Collections.Generic;
using System.IO;
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Budget;

namespace Pigeon.Host
{
    /// <summary>
    /// The host's side of the config store: where the files live (--data-dir or --config), the
    /// first-start default, the one rule of what a start refuses (shared with `config check`),
    /// `pigeon config check` and `--factory-reset`. On a host people edit the file, so the store
    /// takes a copy whose checksum no longer matches as edited by hand (<see cref="ConfigStore.HandEdits"/>).
    /// </summary>
    public static class HostConfig
    {
        /// <summary>Usage of the config subcommand.</summary>
        public const string CheckUsage = "usage: pigeon config check FILE [--device]\n"
            + "       pigeon config check [FILE] --board NAME\n"
            + "       pigeon config check --data-dir DIR | --config FILE\n"
            + "  prints every problem in FILE with its field path; exits 1 when there is an error\n"
            + "  --device       check against the board's limits (sockets, memory) instead of the host's\n"
            + "  --board NAME   as --device, then the relay sessions that board (hardware/boards/NAME.json)\n"
            + "                 gives this config (the board's default config without FILE): a line\n"
            + "                 \"sessions: N\", then the socket and heap arithmetic\n"
            + "  --data-dir DIR the config a start with --data-dir DIR would use, as the service checks it;\n"
            + "  --config FILE  the same for a start with --config FILE; exits 1 whenever the start would\n"
            + "                 be refused or would fall back to the defaults\n";

        /// <summary>The store for these options: DIR/config.json, or the --config file (with .bak/.new beside it).</summary>
        public static ConfigStore OpenStore(HostOptions options)
        {
            return OpenStore(options.EffectiveConfigPath);
        }

        /// <summary>The store of the config file at <paramref name="path"/> (with .bak/.new beside it).</summary>
        public static ConfigStore OpenStore(string path)
        {
            return OpenStore(path, false);
        }

        /// <summary>
        /// The store of the config file at <paramref name="path"/>; <paramref name="readOnly"/>: a
        /// view that changes nothing (a check loads the folder the way a start would).
        /// </summary>
        public static ConfigStore OpenStore(string path, bool readOnly)
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(path));
            IFileStore files = new FolderFileStore(folder);
            ConfigStore store = new ConfigStore(readOnly ? new Service.ReadOnlyFileStore(files) : files, false, Path.GetFileName(path));
            store.HandEdits = true;
            return store;
        }

        /// <summary>
        /// Loads the config: creates the data folder's default on first start; logs a hand edit,
        /// fallbacks and warnings. False (with "path: reason" lines) when a start must not go on
        /// (<see cref="Refusal"/>), or an explicit --config file is missing.
        /// </summary>
        public static bool Load(ConfigStore store, HostOptions options, ILog log, List<string> errors)
        {
            ConfigLoadResult result = store.Load();
            string path = options.EffectiveConfigPath;
            if (options.ConfigPath != null && result.FirstStart)
            {
                errors.Add(path + ": no such file (leave out --config to keep the config in --data-dir, created with defaults)");
                return false;
            }

            string refusal = Refusal(result, store, path, errors);
            if (refusal != null)
            {
                errors.Add(refusal);
                return false;
            }

            if (result.FirstStart)
            {
                ValidationReport report = new ValidationReport();
                if (store.Save(result.Config, report))
                {
                    log.Info("no config yet: created " + path + " with the defaults (WhatsApp routes)");
                }
                else
                {
                    log.Warn("no config yet, and " + path + " could not be created: " + Describe(report));
                }
            }
            else if (result.FellBack)
            {
                log.Warn("config: " + result.FallbackReason);
            }

            if (result.EditedByHand)
            {
                log.Info("config: " + Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)), result.FileUsed) + " " + HandEditNote);
            }

            if (result.MigratedFrom >= 0 && result.MigratedFrom < ConfigDefaults.SchemaVersion)
            {
                log.Info("config: migrated from schema version " + result.MigratedFrom + " to " + ConfigDefaults.SchemaVersion + " (written on the next save)");
            }

            for (int i = 0; i < result.Report.WarningCount; i++)
            {
                log.Warn("config: " + result.Report.GetWarning(i));
            }

            return true;
        }

        /// <summary>What a start and `config check` say of a copy used without a valid checksum.</summary>
        public const string HandEditNote = "was written or edited by hand (no valid checksum): it reads and validates, so it is used as it is; "
            + "the next save (setup page, pigeon setup) writes it with a new checksum";

        /// <summary>
        /// The one rule of a start on a host, which `config check --data-dir`/`--config` (the
        /// service's ExecStartPre) applies too: null when the start may go on; otherwise the
        /// sentence that says why not, with the refused copy's errors added to
        /// <paramref name="errors"/>. Refused: a main copy with errors (a mistaken hand edit is
        /// fixed, never replaced by an older copy), and a start that would fall back to the
        /// defaults although a config exists (never silently a relay in setup mode).
        /// </summary>
        public static string Refusal(ConfigLoadResult result, ConfigStore store, string path, List<string> errors)
        {
            if (result.PrimaryRejected && !result.PrimaryDamaged)
            {
                AddErrors(result.RejectedReport, errors);
                return path + ": " + result.RejectedReport.ErrorCount + " error(s): fix them (a start does not fall back to "
                    + store.BackupFileName + " when the main copy has errors), or move " + store.FileName + " away to start from the previous copy";
            }

            if (result.UsedDefaults && !result.FirstStart)
            {
                AddErrors(result.RejectedReport, errors);
                return path + ": no copy of the config can be used (" + result.FallbackReason + "): a start would run the defaults in setup mode. "
                    + "Fix the file, or move " + store.FileName + "* away to start afresh";
            }

            return null;
        }

        private static void AddErrors(ValidationReport report, List<string> errors)
        {
            for (int i = 0; i < report.ErrorCount; i++)
            {
                errors.Add(report.GetError(i).ToString());
            }
        }

        /// <summary>--factory-reset: the store's files replaced by the defaults. Returns the exit code.</summary>
        public static int FactoryReset(HostOptions options, ILog log)
        {
            ConfigStore store = OpenStore(options);
            store.FactoryReset();
            Tls.TlsIdentity.Delete(options.StateDir); // a new certificate (and name) at the next start
            ConfigLoadResult check = store.Load();
            if (check.Source != ConfigSource.Primary)
            {
                log.Warn("factory reset: " + options.EffectiveConfigPath + " could not be written; the defaults apply until it can");
                return 1;
            }

            log.Info("factory reset: " + options.EffectiveConfigPath + " now holds the defaults (no Wi-Fi, no admin password); the backup copy was deleted");
            return 0;
        }

        /// <summary>
        /// `config check FILE [--device]` or `config check [FILE] --board NAME`: prints the result
        /// (with --board, the session budget first); 0 valid, 1 errors, 2 usage.
        /// </summary>
        public static int RunCommand(string[] args, TextWriter output, TextWriter error)
        {
            if (args.Length == 4 && args[1] == "check" && (args[2] == "--data-dir" || args[2] == "--config"))
            {
                return Service.DataDirCheck.Run(args[2] == "--config" ? args[3] : Path.Combine(args[3], ConfigStore.DefaultFileName), args[2] == "--config", output);
            }

            if (args.Length < 2 || args[1] != "check")
            {
                error.Write(CheckUsage);
                return 2;
            }

            bool device = false;
            string board = null;
            string path = null;
            for (int i = 2; i < args.Length; i++)
            {
                if (args[i] == "--device")
                {
                    device = true;
                }
                else if (args[i] == "--board" && i + 1 < args.Length)
                {
                    board = args[++i];
                    device = true;
                }
                else if (path == null && !args[i].StartsWith("--", StringComparison.Ordinal))
                {
                    path = args[i];
                }
                else
                {
                    error.WriteLine("error: unknown option \"" + args[i] + "\"" + (args[i] == "--board" ? " (it needs a board name)" : ""));
                    error.Write(CheckUsage);
                    return 2;
                }
            }

            if (path == null && board == null)
            {
                error.Write(CheckUsage);
                return 2;
            }

            BoardProfile profile = null;
            if (board != null)
            {
                profile = BoardProfile.Load(board, out string boardError);
                if (profile == null)
                {
                    error.WriteLine("error: " + boardError);
                    return 2;
                }
            }

            PigeonConfig config;
            ValidationReport report;
            bool edited = false;
            if (path == null)
            {
                config = ConfigDefaults.Create(true);
                report = new ValidationReport();
                ConfigValidator.Validate(config, true, report);
            }
            else
            {
                byte[] file = new FolderFileStore(Path.GetDirectoryName(Path.GetFullPath(path))).Read(Path.GetFileName(path));
                if (file == null)
                {
                    error.WriteLine("error: " + path + ": cannot read the file");
                    return 1;
                }

                report = Check(file, device, out config, out edited);
            }

            if (profile != null && report.ErrorCount == 0 && config != null)
            {
                // The board's plan (SessionBudget.ForBoard) with the profile's heap figure; the
                // board itself measures its free heap at start and may come out lower.
                SessionBudget budget = SessionBudget.ForBoard(config.Relay, profile.MaxSockets, profile.ManagedHeapKB * 1024);
                foreach (string line in budget.Describe("the profile's estimate; the board measures its own at start"))
                {
                    output.WriteLine(line);
                }

                output.WriteLine("board: " + profile.Name + " (" + profile.DisplayName + ", firmware " + profile.Target + ", " + profile.MaxSockets + " sockets)");
            }

            for (int i = 0; i < report.ErrorCount; i++)
            {
                output.WriteLine("error: " + report.GetError(i));
            }

            for (int i = 0; i < report.WarningCount; i++)
            {
                output.WriteLine("warning: " + report.GetWarning(i));
            }

            if (edited && config != null && !device)
            {
                output.WriteLine("note: " + path + " " + HandEditNote);
            }

            output.WriteLine((path ?? "the board's default config") + ": " + (report.ErrorCount == 0 ? "OK" : report.ErrorCount + " error(s)") + ", " + report.WarningCount + " warning(s)"
                + " (checked against the " + (device ? "board's" : "host's") + " limits)");
            return report.ErrorCount == 0 ? 0 : 1;
        }

        /// <summary>Every problem in a config file's bytes (seal, JSON, schema, validation).</summary>
        public static ValidationReport Check(byte[] file, bool device)
        {
            return Check(file, device, out _);
        }

        /// <summary>
        /// Every problem in a config file's bytes, decoded as the store loads a copy
        /// (<see cref="ConfigStore.Check"/>), and the config when it can be used. With
        /// <paramref name="device"/> the board's rule: a checksum that does not match is damage.
        /// </summary>
        public static ValidationReport Check(byte[] file, bool device, out PigeonConfig config)
        {
            return Check(file, device, out config, out _);
        }

        private static ValidationReport Check(byte[] file, bool device, out PigeonConfig config, out bool editedByHand)
        {
            ValidationReport report = new ValidationReport();
            config = ConfigStore.Check(file, device, !device, report, out editedByHand);
            return report;
        }

        private static string Describe(ValidationReport report)
        {
            return report.ErrorCount == 0 ? "unknown error" : report.GetError(0).ToString();
        }
    }
}
