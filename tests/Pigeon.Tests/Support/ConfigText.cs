// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;
using Pigeon.Text;

namespace Pigeon.Tests.Support
{
    /// <summary>Config documents as text: read and write through <see cref="ConfigDocument"/> (the same code on both platforms).</summary>
    public static class ConfigText
    {
        /// <summary>Reads a document given as text (UTF-8); null with errors in the report when it cannot be read.</summary>
        public static PigeonConfig Read(string json, bool device, ValidationReport report)
        {
            byte[] bytes = Utf8.GetBytes(json);
            return ConfigDocument.Read(bytes, 0, bytes.Length, device, report);
        }

        /// <summary>The document the store writes, as text.</summary>
        public static string Write(PigeonConfig config)
        {
            byte[] bytes = ConfigDocument.Write(config);
            return Utf8.Decode(bytes, 0, bytes.Length);
        }

        /// <summary>A report's issues as one line each (for assertion messages).</summary>
        public static string Describe(ValidationReport report)
        {
            string text = "";
            for (int i = 0; i < report.ErrorCount; i++)
            {
                text = text + "error " + report.GetError(i).ToString() + "\n";
            }

            for (int i = 0; i < report.WarningCount; i++)
            {
                text = text + "warning " + report.GetWarning(i).ToString() + "\n";
            }

            return text;
        }
    }
}
