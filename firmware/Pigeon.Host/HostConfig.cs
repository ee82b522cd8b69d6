using System;
using System.Collections.Generic;
using System.IO;
using Pigeon.Config;
using Pigeon.Net;

namespace Pigeon.Host
{
    /// <summary>
    /// The host's side of the config store: where the files live (--data-dir or --config), the
    /// first-start default, `Pigeon.Host config check FILE` and `--factory-reset`.
    /// </summary>
    public static class HostConfig
    {
        /// <summary>Usage of the config subcommand.</summary>
        public const string CheckUsage = "usage: Pigeon.Host config check FILE [--device]\n"
            + "  prints every problem in FILE with its field path; exits 1 when there is an error\n"
            + "  --device   check against the board's limits (sockets, memory) instead of the host's\n";

        /// <summary>The store for these options: DIR/config.json, or the --config file (with .bak/.new beside it).</summary>
        public static ConfigStore OpenStore(HostOptions options)
        {
            return OpenStore(options.EffectiveConfigPath);
        }

        /// <summary>The store of the config file at <paramref name="path"/> (with .bak/.new beside it).</summary>
        public static ConfigStore OpenStore(string path)
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(path));
            return new ConfigStore(new FolderFileStore(folder), false, Path.GetFileName(path));
        }

        /// <summary>
        /// Loads the config: creates the data folder's default on first start; logs fallbacks and
        /// warnings. False (with "path: reason" lines) when an explicit --config file is missing or
        /// has errors: a file the user named is not silently replaced by an older copy.
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

            if (options.ConfigPath != null && result.PrimaryRejected && !result.PrimaryDamaged)
            {
                for (int i = 0; i < result.RejectedReport.ErrorCount; i++)
                {
                    errors.Add(result.RejectedReport.GetError(i).ToString());
                }

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

        /// <summary>--factory-reset: the store's files replaced by the defaults. Returns the exit code.</summary>
        public static int FactoryReset(HostOptions options, ILog log)
        {
            ConfigStore store = OpenStore(options);
            store.FactoryReset();
            Tls.TlsIdentity.Delete(options.DataDir); // a new certificate (and name) at the next start
            ConfigLoadResult check = store.Load();
            if (check.Source != ConfigSource.Primary)
            {
                log.Warn("factory reset: " + options.EffectiveConfigPath + " could not be written; the defaults apply until it can");
                return 1;
            }

            log.Info("factory reset: " + options.EffectiveConfigPath + " now holds the defaults (no Wi-Fi, no admin password); the backup copy was deleted");
            return 0;
        }

        /// <summary>`config check FILE [--device]`: prints the result; 0 valid, 1 errors, 2 usage.</summary>
        public static int RunCommand(string[] args, TextWriter output, TextWriter error)
        {
            if (args.Length < 3 || args[1] != "check")
            {
                error.Write(CheckUsage);
                return 2;
            }

            bool device = false;
            for (int i = 3; i < args.Length; i++)
            {
                if (args[i] == "--device")
                {
                    device = true;
                }
                else
                {
                    error.WriteLine("error: unknown option \"" + args[i] + "\"");
                    error.Write(CheckUsage);
                    return 2;
                }
            }

            string path = args[2];
            byte[] file = new FolderFileStore(Path.GetDirectoryName(Path.GetFullPath(path))).Read(Path.GetFileName(path));
            if (file == null)
            {
                error.WriteLine("error: " + path + ": cannot read the file");
                return 1;
            }

            ValidationReport report = Check(file, device);
            for (int i = 0; i < report.ErrorCount; i++)
            {
                output.WriteLine("error: " + report.GetError(i));
            }

            for (int i = 0; i < report.WarningCount; i++)
            {
                output.WriteLine("warning: " + report.GetWarning(i));
            }

            output.WriteLine(path + ": " + (report.ErrorCount == 0 ? "OK" : report.ErrorCount + " error(s)") + ", " + report.WarningCount + " warning(s)"
                + " (checked against the " + (device ? "board's" : "host's") + " limits)");
            return report.ErrorCount == 0 ? 0 : 1;
        }

        /// <summary>Every problem in a config file's bytes (seal, JSON, schema, validation).</summary>
        public static ValidationReport Check(byte[] file, bool device)
        {
            ValidationReport report = new ValidationReport();
            byte[] document;
            if (ConfigSeal.Open(file, out document) == ConfigSealResult.Damaged)
            {
                report.AddError(ValidationReport.DocumentPath, "its checksum does not match its content: it was damaged, or edited by hand without deleting the \"checksum\" line (delete that line after editing)");
                return report;
            }

            PigeonConfig config = ConfigDocument.Read(document, 0, document.Length, device, report);
            if (config != null)
            {
                ConfigValidator.Validate(config, device, report);
            }

            return report;
        }

        private static string Describe(ValidationReport report)
        {
            return report.ErrorCount == 0 ? "unknown error" : report.GetError(0).ToString();
        }
    }
}
