namespace Pigeon.Config
{
    /// <summary>The platform-independent half of every <see cref="IConfigCodec"/>.</summary>
    public static class ConfigCodec
    {
        /// <summary>
        /// Parses with <paramref name="codec"/>, migrates, maps over the defaults.
        /// <paramref name="fromVersion"/> is the document's schema version (-1 when unreadable).
        /// </summary>
        public static PigeonConfig Read(IConfigCodec codec, byte[] buffer, int offset, int count, bool device, ValidationReport report, out int fromVersion)
        {
            fromVersion = -1;
            ConfigNode tree = codec.ParseTree(buffer, offset, count, report);
            if (tree == null)
            {
                return null;
            }

            int version;
            if (!ConfigMigration.Migrate(tree, report, out version))
            {
                return null;
            }

            fromVersion = version;
            int errorsBefore = report.ErrorCount;
            PigeonConfig config = ConfigMapper.FromTree(tree, device, report);
            return report.ErrorCount > errorsBefore ? null : config;
        }

        /// <summary>The shared writer: UTF-8 JSON of <see cref="ConfigMapper.ToTree"/>.</summary>
        public static byte[] Write(PigeonConfig config)
        {
            return ConfigJsonWriter.WriteUtf8(ConfigMapper.ToTree(config));
        }
    }
}
