using Pigeon.Json;

namespace Pigeon.Config
{
    /// <summary>
    /// A config document, bytes to <see cref="PigeonConfig"/> and back, the same on the host and
    /// the board: the size cap (8 KB; a larger document is refused unread, so a 1 MB upload cannot
    /// exhaust the board's ~100 KB heap), the one strict JSON reader (<see cref="JsonReader"/>:
    /// UTF-8, syntax, depth, repeated keys, each with its position), migration, mapping over the
    /// defaults; and the indented writer. Does not run <see cref="ConfigValidator"/>.
    /// </summary>
    public static class ConfigDocument
    {
        /// <summary>
        /// The document's JSON tree, or null with the reason in <paramref name="report"/> (at
        /// "(document)", or at the path of a key that appears twice). A UTF-8 byte order mark is
        /// allowed (editors on Windows write one). Never throws.
        /// </summary>
        public static JsonNode Parse(byte[] buffer, int offset, int count, ValidationReport report)
        {
            if (buffer == null || count <= 0)
            {
                report.AddError(ValidationReport.DocumentPath, "The config is empty.");
                return null;
            }

            if (count > ConfigDefaults.MaxDocumentBytes)
            {
                report.AddError(ValidationReport.DocumentPath, $"The config is {count} bytes; the most Pigeon accepts is {ConfigDefaults.MaxDocumentBytes} bytes. It was not read.");
                return null;
            }

            int body = offset;
            if (count >= 3 && buffer[offset] == 0xEF && buffer[offset + 1] == 0xBB && buffer[offset + 2] == 0xBF)
            {
                body = offset + 3;
            }

            JsonError error;
            JsonNode root = JsonReader.Parse(buffer, body, count - (body - offset), ConfigDefaults.MaxDocumentDepth, out error);
            if (root == null)
            {
                if (error.Path != null)
                {
                    report.AddError(error.Path, error.Reason);
                }
                else
                {
                    report.AddError(ValidationReport.DocumentPath, $"The config is not valid JSON (line {error.Line}, column {error.Column}): {error.Reason}.");
                }

                return null;
            }

            if (root.Kind != JsonKind.Object)
            {
                report.AddError(ValidationReport.DocumentPath, "The config must be a JSON object: { ... }.");
                return null;
            }

            return root;
        }

        /// <summary>
        /// Parses, migrates and maps a document over the defaults; unknown keys become warnings
        /// and are kept. Null when the document cannot be read at all (errors in the report).
        /// <paramref name="fromVersion"/> is the document's schema version (-1 when unreadable).
        /// </summary>
        public static PigeonConfig Read(byte[] buffer, int offset, int count, bool device, ValidationReport report, out int fromVersion)
        {
            return Read(buffer, offset, count, device, false, report, out fromVersion);
        }

        /// <summary>
        /// Reads a document and runs <see cref="ConfigValidator"/> on it, so that every problem is
        /// reported at once: a value of the wrong type keeps its default for the rules, and a rule
        /// is not repeated at a path that already has a type error. Null when the document cannot
        /// be used (errors in <paramref name="report"/>); its warnings are in the report either way.
        /// </summary>
        public static PigeonConfig Check(byte[] buffer, int offset, int count, bool device, ValidationReport report, out int fromVersion)
        {
            return Read(buffer, offset, count, device, true, report, out fromVersion);
        }

        /// <summary>See <see cref="Read(byte[], int, int, bool, ValidationReport, out int)"/>.</summary>
        public static PigeonConfig Read(byte[] buffer, int offset, int count, bool device, ValidationReport report)
        {
            int version;
            return Read(buffer, offset, count, device, report, out version);
        }

        private static PigeonConfig Read(byte[] buffer, int offset, int count, bool device, bool validate, ValidationReport report, out int fromVersion)
        {
            fromVersion = -1;
            JsonNode tree = Parse(buffer, offset, count, report);
            int version;
            if (tree == null || !ConfigMigration.Migrate(tree, report, out version))
            {
                return null;
            }

            fromVersion = version;
            int errorsBefore = report.ErrorCount;
            PigeonConfig config = ConfigMapper.FromTree(tree, device, report);
            if (validate)
            {
                ValidationReport rules = new ValidationReport();
                ConfigValidator.Validate(config, device, rules);
                report.Merge(rules);
            }

            return report.ErrorCount > errorsBefore ? null : config;
        }

        /// <summary>The config as an indented UTF-8 document ending in a line feed: the same bytes on both platforms.</summary>
        public static byte[] Write(PigeonConfig config)
        {
            return JsonWriter.Indented(2048).Value(ConfigMapper.ToTree(config)).ToUtf8();
        }
    }
}
