using Pigeon.Json;

namespace Pigeon.Config
{
    /// <summary>
    /// The migration ladder: a document of any older schemaVersion is brought up one step at a
    /// time, on the JSON tree, before it is mapped to the model. A version newer than this firmware
    /// knows is refused (rather than guessed at), with a message that says so.
    /// </summary>
    /// <remarks>
    /// <code>
    /// version 0 (no "schemaVersion" key: the pre-release relay-only files) --Step0To1--> 1
    ///   --Step1To2--> 2 (current: relay.maxSessionsPerClient 3 or 64, the old defaults, becomes 0;
    ///   terminateTls routes get chatOpeningCheck)
    /// </code>
    /// To change the schema: raise ConfigDefaults.SchemaVersion to N, add StepNminus1ToN below and
    /// to <see cref="Step"/>, add a golden file of version N-1 and a test for the step.
    /// </remarks>
    public static class ConfigMigration
    {
        /// <summary>The oldest version the ladder starts from.</summary>
        public const int OldestVersion = 0;

        /// <summary>
        /// Migrates <paramref name="root"/> in place to <see cref="ConfigDefaults.SchemaVersion"/>.
        /// <paramref name="fromVersion"/> is the version the document had. False (with an error at
        /// "schemaVersion") when the version is not a whole number, is negative, or is newer than
        /// this firmware.
        /// </summary>
        public static bool Migrate(JsonNode root, ValidationReport report, out int fromVersion)
        {
            fromVersion = OldestVersion;
            if (root == null || root.Kind != JsonKind.Object)
            {
                report.AddError(ValidationReport.DocumentPath, "The config must be a JSON object: { ... }.");
                return false;
            }

            JsonNode versionNode = root.Get(ConfigMapper.SchemaVersionKey);
            if (versionNode != null)
            {
                int version;
                if (!versionNode.TryGetInt(out version))
                {
                    report.AddError(ConfigMapper.SchemaVersionKey, "must be a whole number (without quotes), e.g. " + ConfigDefaults.SchemaVersion.ToString());
                    return false;
                }

                if (version < OldestVersion)
                {
                    report.AddError(ConfigMapper.SchemaVersionKey, "must be 0 or more, not " + version.ToString());
                    return false;
                }

                if (version > ConfigDefaults.SchemaVersion)
                {
                    report.AddError(ConfigMapper.SchemaVersionKey, "This config was written by a newer Pigeon (schema version " + version.ToString()
                        + "); this firmware knows schema versions up to " + ConfigDefaults.SchemaVersion.ToString()
                        + ". Update the firmware, or start from a config made for this version.");
                    return false;
                }

                fromVersion = version;
            }

            for (int v = fromVersion; v < ConfigDefaults.SchemaVersion; v++)
            {
                Step(v, root);
                root.Set(ConfigMapper.SchemaVersionKey, JsonNode.FromInt(v + 1));
            }

            return true;
        }

        /// <summary>Applies the single step from <paramref name="version"/> to version + 1.</summary>
        public static void Step(int version, JsonNode root)
        {
            switch (version)
            {
                case 0:
                    Step0To1(root);
                    break;
                case 1:
                    Step1To2(root);
                    break;
                default:
                    break;
            }
        }

        // Version 0: files written for the pre-release host, which read only "relay" (keys as
        // today) and had no "schemaVersion". Version 1 adds the other sections, all optional with
        // defaults, so the step only stamps the version (done by the caller): a version 0 file
        // keeps its relay settings and everything else takes its default.
        private static void Step0To1(JsonNode root)
        {
            root.Remove(ConfigMapper.SchemaVersionKey);
        }

        // Version 2 replaces the fixed per-client cap by the fair share (RelayServer.TryAdmit):
        // version 1 wrote its defaults, 3 on a board and 64 on a server, into every file, and with
        // them a carrier-NAT address full of phones was refused on an empty relay. Those two
        // values become 0 (no fixed cap); any other value was an operator's choice and stays.
        //
        // Version 2 also answers, inside a terminateTls route's TLS, what no chat client sends as
        // a web server would (chatOpeningCheck, false by default in version 1), so those routes
        // get it on.
        private static void Step1To2(JsonNode root)
        {
            JsonNode relay = root.Get("relay");
            if (relay == null || relay.Kind != JsonKind.Object)
            {
                return;
            }

            JsonNode cap = relay.Get("maxSessionsPerClient");
            int value;
            if (cap != null && cap.TryGetInt(out value) && (value == 3 || value == 64))
            {
                relay.Set("maxSessionsPerClient", JsonNode.FromInt(0));
            }

            JsonNode routes = relay.Get("routes");
            for (int i = 0; routes != null && routes.Kind == JsonKind.Array && i < routes.Count; i++)
            {
                JsonNode route = routes[i];
                JsonNode tls = route.Kind == JsonKind.Object ? route.Get("terminateTls") : null;
                if (tls != null && tls.IsTrue)
                {
                    route.Set("chatOpeningCheck", JsonNode.FromBool(true));
                }
            }
        }
    }
}
