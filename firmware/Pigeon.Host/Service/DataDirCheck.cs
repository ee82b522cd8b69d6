using System.IO;
using Pigeon.Config;

namespace Pigeon.Host.Service
{
    /// <summary>
    /// `pigeon config check --data-dir DIR`: checks the config a start with --data-dir DIR would
    /// use, without changing the folder. The service runs it before every start (ExecStartPre),
    /// so it is stricter than the start itself in one way: a main copy with errors (a mistaken
    /// hand edit) stops the start with every error listed, instead of the start quietly running
    /// the backup copy. A damaged copy (a power cut: its checksum does not match) is only a
    /// warning, as the store falls back to the previous copy by design. No config yet is fine:
    /// the first start writes the defaults. The portal rule for servers
    /// (<see cref="PortalExposure"/>) is checked on the copy that would be used.
    /// Exit codes: 0 the start may go ahead, 1 it would be refused.
    /// </summary>
    public static class DataDirCheck
    {
        /// <summary>Checks <paramref name="folder"/>; writes the findings; returns the exit code.</summary>
        public static int Run(string folder, TextWriter output)
        {
            ConfigStore store = new ConfigStore(new ReadOnlyFileStore(new FolderFileStore(folder)), false);
            string main = Path.Combine(folder, store.FileName);
            ConfigLoadResult result = store.Load();
            if (result.PrimaryRejected && !result.PrimaryDamaged)
            {
                ValidationReport rejected = result.RejectedReport;
                for (int i = 0; i < rejected.ErrorCount; i++)
                {
                    output.WriteLine("error: " + rejected.GetError(i));
                }

                output.WriteLine(main + ": " + rejected.ErrorCount + " error(s): fix them (the start does not fall back to "
                    + store.BackupFileName + " on a copy with errors), or move " + store.FileName + " away to start from the previous copy");
                return 1;
            }

            if (result.FirstStart)
            {
                output.WriteLine(main + ": none yet; the first start writes the defaults there");
            }
            else if (result.FellBack)
            {
                output.WriteLine("warning: " + result.FallbackReason);
            }

            for (int i = 0; i < result.Report.WarningCount; i++)
            {
                output.WriteLine("warning: " + result.Report.GetWarning(i));
            }

            string refusal = PortalExposure.Refusal(result.Config);
            if (refusal != null)
            {
                output.WriteLine("error: " + refusal);
                output.WriteLine(main + ": the start would be refused");
                return 1;
            }

            string used = result.FirstStart ? "the defaults" : result.UsedDefaults ? "the defaults (setup mode)" : Path.Combine(folder, result.FileUsed);
            output.WriteLine(folder + ": OK, a start uses " + used + ", " + result.Report.WarningCount + " warning(s)");
            return 0;
        }
    }
}
