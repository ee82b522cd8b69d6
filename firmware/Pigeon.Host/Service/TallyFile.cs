using System.Globalization;
using Pigeon.Json;

namespace Pigeon.Host.Service
{
    /// <summary>
    /// The tally on disk (DATA/activity.json), rewritten every minute by the running relay and
    /// read back at start and by `pigeon status`:
    /// {"version":1,"pid":N,"savedAtMs":T,"lastLoggedMs":T,
    ///  "buckets":[{"startMs":T,"sessions":N,"bytes":N,"refused":{"full":N,...}},...]}.
    /// Holds no client address and no secret.
    /// </summary>
    public static class TallyFile
    {
        /// <summary>The file's name in the data folder.</summary>
        public const string FileName = "activity.json";

        /// <summary>The format version written.</summary>
        public const int Version = 1;

        /// <summary>The file's bytes for a tally as of <paramref name="header"/>.SavedAtMs.</summary>
        public static byte[] Write(DailyTally tally, TallyHeader header)
        {
            JsonWriter json = new JsonWriter(4096);
            json.BeginObject()
                .Member("version", Version)
                .Member("pid", header.Pid)
                .Member("savedAtMs", header.SavedAtMs)
                .Member("lastLoggedMs", header.LastLoggedMs)
                .Name("buckets").BeginArray();
            tally.ForEachBucket(header.SavedAtMs, (start, sessions, bytes, refused) =>
            {
                json.BeginObject()
                    .Member("startMs", start)
                    .Member("sessions", sessions)
                    .Member("bytes", bytes)
                    .Name("refused").BeginObject();
                for (int r = 0; r < refused.Length; r++)
                {
                    if (refused[r] != 0)
                    {
                        json.Member(tally.ReasonName(r), refused[r]);
                    }
                }

                json.EndObject().EndObject();
            });
            json.EndArray().EndObject();
            return json.ToUtf8();
        }

        /// <summary>
        /// Adds a file's buckets to <paramref name="tally"/> and returns its header; null (and
        /// the tally unchanged) when the bytes are not such a file: a damaged file only loses
        /// history, never stops the relay.
        /// </summary>
        public static TallyHeader Read(byte[] bytes, DailyTally tally)
        {
            // Depth: the file, its buckets, a bucket, its refusals.
            JsonNode root = bytes == null ? null : JsonReader.Parse(bytes, 0, bytes.Length, 4, out JsonError _);
            if (root == null || root.Kind != JsonKind.Object || !Long(root.Get("version"), out long version) || version != Version
                || !Long(root.Get("pid"), out long pid) || pid < int.MinValue || pid > int.MaxValue
                || !Long(root.Get("savedAtMs"), out long savedAtMs) || !Long(root.Get("lastLoggedMs"), out long lastLoggedMs))
            {
                return null;
            }

            // Read every bucket before adding any, so a bad one leaves the tally as it was.
            JsonNode buckets = root.Get("buckets");
            if (buckets == null || buckets.Kind != JsonKind.Array)
            {
                return null;
            }

            int count = buckets.Count;
            long[] starts = new long[count];
            long[] sessions = new long[count];
            long[] moved = new long[count];
            for (int i = 0; i < count; i++)
            {
                JsonNode bucket = buckets[i];
                JsonNode refused = bucket.Get("refused");
                if (bucket.Kind != JsonKind.Object || !Long(bucket.Get("startMs"), out starts[i])
                    || !Long(bucket.Get("sessions"), out sessions[i]) || sessions[i] < 0
                    || !Long(bucket.Get("bytes"), out moved[i]) || moved[i] < 0
                    || refused == null || refused.Kind != JsonKind.Object)
                {
                    return null;
                }

                for (int r = 0; r < refused.Count; r++)
                {
                    if (!Long(refused[r], out long n) || n < 0)
                    {
                        return null;
                    }
                }
            }

            for (int i = 0; i < count; i++)
            {
                tally.Add(starts[i], sessions[i], moved[i], null);
                JsonNode refused = buckets[i].Get("refused");
                for (int r = 0; r < refused.Count; r++)
                {
                    Long(refused[r], out long n);
                    tally.AddRefused(starts[i], refused.GetName(r), n);
                }
            }

            return new TallyHeader { Pid = (int)pid, SavedAtMs = savedAtMs, LastLoggedMs = lastLoggedMs };
        }

        // A whole number (the core's JsonNode keeps a number's text).
        private static bool Long(JsonNode node, out long value)
        {
            value = 0;
            return node != null && node.Kind == JsonKind.Number
                && long.TryParse(node.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }
    }
}
