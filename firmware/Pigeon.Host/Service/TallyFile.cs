using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

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
            using (MemoryStream stream = new MemoryStream())
            {
                using (Utf8JsonWriter json = new Utf8JsonWriter(stream))
                {
                    json.WriteStartObject();
                    json.WriteNumber("version", Version);
                    json.WriteNumber("pid", header.Pid);
                    json.WriteNumber("savedAtMs", header.SavedAtMs);
                    json.WriteNumber("lastLoggedMs", header.LastLoggedMs);
                    json.WriteStartArray("buckets");
                    tally.ForEachBucket(header.SavedAtMs, (start, sessions, bytes, refused) =>
                    {
                        json.WriteStartObject();
                        json.WriteNumber("startMs", start);
                        json.WriteNumber("sessions", sessions);
                        json.WriteNumber("bytes", bytes);
                        json.WriteStartObject("refused");
                        for (int r = 0; r < refused.Length; r++)
                        {
                            if (refused[r] != 0)
                            {
                                json.WriteNumber(tally.ReasonName(r), refused[r]);
                            }
                        }

                        json.WriteEndObject();
                        json.WriteEndObject();
                    });
                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                return stream.ToArray();
            }
        }

        /// <summary>
        /// Adds a file's buckets to <paramref name="tally"/> and returns its header; null (and
        /// the tally unchanged) when the bytes are not such a file: a damaged file only loses
        /// history, never stops the relay.
        /// </summary>
        public static TallyHeader Read(byte[] bytes, DailyTally tally)
        {
            try
            {
                using (JsonDocument doc = JsonDocument.Parse(bytes))
                {
                    JsonElement root = doc.RootElement;
                    if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out JsonElement version)
                        || version.GetInt32() != Version)
                    {
                        return null;
                    }

                    TallyHeader header = new TallyHeader
                    {
                        Pid = root.GetProperty("pid").GetInt32(),
                        SavedAtMs = root.GetProperty("savedAtMs").GetInt64(),
                        LastLoggedMs = root.GetProperty("lastLoggedMs").GetInt64(),
                    };

                    // Read every bucket before adding any, so a bad one leaves the tally as it was.
                    JsonElement buckets = root.GetProperty("buckets");
                    int count = buckets.GetArrayLength();
                    long[] starts = new long[count];
                    long[] sessions = new long[count];
                    long[] moved = new long[count];
                    int i = 0;
                    foreach (JsonElement bucket in buckets.EnumerateArray())
                    {
                        starts[i] = bucket.GetProperty("startMs").GetInt64();
                        sessions[i] = NonNegative(bucket.GetProperty("sessions").GetInt64());
                        moved[i] = NonNegative(bucket.GetProperty("bytes").GetInt64());
                        foreach (JsonProperty reason in bucket.GetProperty("refused").EnumerateObject())
                        {
                            NonNegative(reason.Value.GetInt64());
                        }

                        i++;
                    }

                    i = 0;
                    foreach (JsonElement bucket in buckets.EnumerateArray())
                    {
                        tally.Add(starts[i], sessions[i], moved[i], null);
                        foreach (JsonProperty reason in bucket.GetProperty("refused").EnumerateObject())
                        {
                            tally.AddRefused(starts[i], reason.Name, reason.Value.GetInt64());
                        }

                        i++;
                    }

                    return header;
                }
            }
            catch (JsonException)
            {
                return null;
            }
            catch (InvalidOperationException)
            {
                return null; // a value of the wrong kind
            }
            catch (FormatException)
            {
                return null; // a number out of range
            }
            catch (KeyNotFoundException)
            {
                return null;
            }
        }

        private static long NonNegative(long value)
        {
            if (value < 0)
            {
                throw new FormatException("negative count");
            }

            return value;
        }
    }
}
