using System;
using System.Text.Json;
using Pigeon.Config;

namespace Pigeon.Host
{
    /// <summary>
    /// The host's config codec: System.Text.Json's Utf8JsonReader turns the bytes into a
    /// <see cref="ConfigNode"/> tree (numbers keep their text, members their order; a repeated key
    /// is refused with its path); the shared core migrates, maps and writes.
    /// </summary>
    public sealed class JsonConfigCodec : IConfigCodec
    {
        /// <inheritdoc />
        public ConfigNode ParseTree(byte[] buffer, int offset, int count, ValidationReport report)
        {
            int body;
            if (!ConfigDocument.Precheck(buffer, offset, count, report, out body))
            {
                return null;
            }

            var reader = new Utf8JsonReader(
                new ReadOnlySpan<byte>(buffer, body, count - (body - offset)),
                new JsonReaderOptions { MaxDepth = ConfigDefaults.MaxDocumentDepth + 1, CommentHandling = JsonCommentHandling.Disallow });
            try
            {
                if (!reader.Read())
                {
                    report.AddError(ValidationReport.DocumentPath, "The config is empty.");
                    return null;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    report.AddError(ValidationReport.DocumentPath, "The config must be a JSON object: { ... }.");
                    return null;
                }

                string duplicate = null;
                ConfigNode root = ReadValue(ref reader, "", ref duplicate);
                if (reader.Read())
                {
                    report.AddError(ValidationReport.DocumentPath, "There is more text after the end of the config's closing }.");
                    return null;
                }

                if (duplicate != null)
                {
                    report.AddError(duplicate, "appears twice; keep only one (Pigeon will not guess which one you meant)");
                    return null;
                }

                return root;
            }
            catch (JsonException e)
            {
                report.AddError(ValidationReport.DocumentPath, "The config is not valid JSON (line " + ((e.LineNumber ?? 0) + 1)
                    + ", byte " + ((e.BytePositionInLine ?? 0) + 1) + "): " + Plain(e.Message));
                return null;
            }
        }

        /// <inheritdoc />
        public PigeonConfig Read(byte[] buffer, int offset, int count, bool device, ValidationReport report)
        {
            int version;
            return ConfigCodec.Read(this, buffer, offset, count, device, report, out version);
        }

        /// <inheritdoc />
        public byte[] Write(PigeonConfig config)
        {
            return ConfigCodec.Write(config);
        }

        private static ConfigNode ReadValue(ref Utf8JsonReader reader, string path, ref string duplicate)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    ConfigNode obj = ConfigNode.NewObject();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                    {
                        string name = reader.GetString();
                        string at = path.Length == 0 ? name : path + "." + name;
                        reader.Read();
                        ConfigNode value = ReadValue(ref reader, at, ref duplicate);
                        if (!obj.Add(name, value) && duplicate == null)
                        {
                            duplicate = at;
                        }
                    }

                    return obj;
                case JsonTokenType.StartArray:
                    ConfigNode array = ConfigNode.NewArray();
                    int i = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        array.AddItem(ReadValue(ref reader, path + "[" + i + "]", ref duplicate));
                        i++;
                    }

                    return array;
                case JsonTokenType.String:
                    return ConfigNode.FromString(reader.GetString());
                case JsonTokenType.Number:
                    return ConfigNode.FromNumberText(System.Text.Encoding.ASCII.GetString(reader.ValueSpan));
                case JsonTokenType.True:
                    return ConfigNode.FromBool(true);
                case JsonTokenType.False:
                    return ConfigNode.FromBool(false);
                default:
                    return ConfigNode.NewNull();
            }
        }

        // System.Text.Json's messages end with "LineNumber: 0 | BytePositionInLine: 5.", already given in our words.
        private static string Plain(string message)
        {
            int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return cut > 0 ? message.Substring(0, cut) : message;
        }
    }
}
