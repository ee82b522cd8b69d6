using System.Collections.Generic;
using System.IO;
using Pigeon.Config;

namespace Pigeon.Host.Service
{
    /// <summary>
    /// `pigeon config check --data-dir DIR` (or `--config FILE`): checks the config a start with
    /// the same option would use, without changing the folder. The service runs it before every
    /// start (ExecStartPre), and it applies the start's own rule (<see cref="HostConfig.Refusal"/>):
    /// a main copy with errors (a mistaken hand edit) is refused with every error listed, never
    /// replaced by the backup copy, and a start that would fall back to the defaults although a
    /// config exists is refused too. A copy edited by hand that reads and validates is used, and
    /// said so. No config yet is fine with --data-dir (the first start writes the defaults); with
    /// --config the file must exist. The portal rule for servers (<see cref="PortalExposure"/>) is
    /// checked on the copy that would be used. Exit codes: 0 the start may go ahead, 1 it would be
    /// refused.
    /// </summary>
    public static class DataDirCheck
    {
        /// <summary>Checks the config at <paramref name="path"/> (and its copies); writes the findings; returns the exit code.</summary>
        public static int Run(string path, bool mustExist, TextWriter output)
        {
            ConfigStore store = HostConfig.OpenStore(path, true);
            string folder = Path.GetDirectoryName(Path.GetFullPath(path));
            ConfigLoadResult result = store.Load();
            if (result.FirstStart && mustExist)
            {
                output.WriteLine("error: " + path + ": no such file");
                return 1;
            }

            List<string> errors = new List<string>();
            string refusal = HostConfig.Refusal(result, store, path, errors);
            if (refusal != null)
            {
                foreach (string error in errors)
                {
                    output.WriteLine("error: " + error);
                }

                for (int i = 0; i < result.RejectedReport.WarningCount; i++)
                {
                    output.WriteLine("warning: " + result.RejectedReport.GetWarning(i));
                }

                output.WriteLine(refusal);
                return 1;
            }

            if (result.FirstStart)
            {
                output.WriteLine(path + ": none yet; the first start writes the defaults there");
            }
            else if (result.FellBack)
            {
                output.WriteLine("warning: " + result.FallbackReason);
            }

            if (result.EditedByHand)
            {
                output.WriteLine("note: " + Path.Combine(folder, result.FileUsed) + " " + HostConfig.HandEditNote);
            }

            for (int i = 0; i < result.Report.WarningCount; i++)
            {
                output.WriteLine("warning: " + result.Report.GetWarning(i));
            }

            string exposure = PortalExposure.Refusal(result.Config);
            if (exposure != null)
            {
                output.WriteLine("error: " + exposure);
                output.WriteLine(path + ": the start would be refused");
                return 1;
            }

            string used = result.FirstStart ? "the defaults" : Path.Combine(folder, result.FileUsed);
            output.WriteLine(folder + ": OK, a start uses " + used + ", " + result.Report.WarningCount + " warning(s)");
            return 0;
        }
    }
}
