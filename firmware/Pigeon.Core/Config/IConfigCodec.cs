namespace Pigeon.Config
{
    /// <summary>
    /// Turns a config document's bytes into a JSON tree with the platform's JSON library
    /// (System.Text.Json on the host, nanoFramework.Json on the board). Everything after the tree
    /// (migration, mapping, unknown keys, writing) is shared: see <see cref="ConfigCodec"/>.
    /// </summary>
    public interface IConfigCodec
    {
        /// <summary>
        /// Parses a document (after <see cref="ConfigDocument.Precheck"/>, which implementations
        /// call first) to a tree; null with an error at "(document)" when it is not valid JSON or
        /// repeats a key. Never throws.
        /// </summary>
        ConfigNode ParseTree(byte[] buffer, int offset, int count, ValidationReport report);

        /// <summary>
        /// Parses, migrates and maps a document over the defaults; unknown keys become warnings
        /// and are kept. Null when the document cannot be read at all (errors in the report).
        /// Does not run <see cref="ConfigValidator"/>.
        /// </summary>
        PigeonConfig Read(byte[] buffer, int offset, int count, bool device, ValidationReport report);

        /// <summary>The config as UTF-8 JSON (identical bytes on both platforms).</summary>
        byte[] Write(PigeonConfig config);
    }
}
