// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;
using Pigeon.Tests.Support;
using Pigeon.Text;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Config
{
    /// <summary>
    /// Broken config files on flash (a torn write, a bit flip, a hand edit gone wrong), from a
    /// fixed seed (<see cref="Fuzz"/>; the same cases on .NET and nanoCLR): each is refused with
    /// an error and the store falls back to the last good copy, never to garbage or an exception.
    /// </summary>
    [TestClass]
    public class ConfigStoreFuzzTests
    {
        private const int Cases = 180;
        private const string Good = "last-good";

        [TestMethod]
        public void Load_BrokenDocuments_RefusedAndLastGoodKept()
        {
            MemoryFileStore files = new MemoryFileStore();
            ConfigStore store = new ConfigStore(files, true);
            store.Load();
            PigeonConfig config = store.Current;
            config.Wifi.Ssid = Good;
            config.Wifi.Password = "good password";
            ValidationReport saved = new ValidationReport();
            Assert.IsTrue(store.Save(config, saved), ConfigText.Describe(saved));
            byte[] sealedGood = files.Raw(store.FileName);
            byte[] plain = ConfigDocument.Write(store.Current);
            string text = Utf8.Decode(plain, 0, plain.Length);
            Fuzz fuzz = new Fuzz(0xC0F1);
            for (int i = 0; i < Cases; i++)
            {
                byte[] broken = Broken(fuzz, i % 9, sealedGood, plain, text);
                files.Put(store.FileName, broken);
                files.Put(store.BackupFileName, sealedGood);
                ConfigLoadResult result = new ConfigStore(files, true).Load();
                string what = Fuzz.Describe(i, broken, broken.Length);
                Assert.IsTrue(result.PrimaryRejected, what);
                Assert.IsTrue(result.RejectedReport.ErrorCount >= 1 && result.FallbackReason.Length > 0, what);
                Assert.AreEqual((int)ConfigSource.Backup, (int)result.Source, what);
                Assert.AreEqual(Good, result.Config.Wifi.Ssid, what);
            }
        }

        /// <summary>A copy of the good config broken one way (<paramref name="kind"/> 0 to 8).</summary>
        private static byte[] Broken(Fuzz fuzz, int kind, byte[] sealedGood, byte[] plain, string text)
        {
            switch (kind)
            {
                case 0:
                    // Torn write: a strict prefix (up to the closing brace; only whitespace follows it).
                    return Bytes.Prefix(plain, fuzz.Below(text.LastIndexOf('}') + 1));
                case 1:
                    // A bit flip anywhere in a sealed copy: the checksum (or the seal's shape) catches it.
                    byte[] flipped = Bytes.Prefix(sealedGood, sealedGood.Length);
                    int at = fuzz.Below(flipped.Length);
                    flipped[at] = (byte)(flipped[at] ^ (1 << fuzz.Below(8)));
                    return flipped;
                case 2:
                    // Bad UTF-8 inside the Wi-Fi name.
                    string[] bad = new string[] { "C0 AF", "FF", "ED B0 80", "80", "E4 B8", "F4 90 80 80" };
                    return Around(text, "\"" + Good + "\"", Bytes.Concat(Bytes.Ascii("\"a"), Bytes.Concat(Bytes.Hex(fuzz.Pick(bad)), Bytes.Ascii("b\""))));
                case 3:
                    // The Wi-Fi name as another type, too long, or with a control character.
                    string[] values = new string[] { "12345", "true", "null", "[]", "{}", "\"" + fuzz.Word(fuzz.Between(33, 80)) + "\"", "\"a\\u0001b\"" };
                    return Around(text, "\"" + Good + "\"", Bytes.Ascii(fuzz.Pick(values)));
                case 4:
                    // A key twice.
                    return Around(text, "{", Bytes.Ascii("{\"wifi\": {},"));
                case 5:
                    // Nested deeper than the reader takes.
                    string open = "";
                    string close = "";
                    for (int d = fuzz.Between(40, 120); d > 0; d--)
                    {
                        open += "[";
                        close += "]";
                    }

                    return Around(text, "\"" + Good + "\"", Bytes.Ascii(open + close));
                case 6:
                    // A schema from the future, or not a number.
                    string[] versions = new string[] { "99", "-1", "\"1\"", "1.5", (ConfigDefaults.SchemaVersion + 1).ToString() };
                    return Around(text, "\"schemaVersion\": " + ConfigDefaults.SchemaVersion.ToString(), Bytes.Ascii("\"schemaVersion\": " + fuzz.Pick(versions)));
                case 7:
                    // Over the 8 KB a stored config may take.
                    return Around(text, "\"" + Good + "\"", Bytes.Ascii("\"" + fuzz.Word(ConfigDefaults.MaxDocumentBytes + fuzz.Below(500)) + "\""));
                default:
                    // Noise: not a JSON object at all.
                    byte[] noise = fuzz.Bytes(fuzz.Below(300));
                    if (noise.Length > 0)
                    {
                        noise[0] = (byte)"x1\"]}\u00ffn["[fuzz.Below(8)];
                    }

                    return noise;
            }
        }

        /// <summary><paramref name="text"/> with its first <paramref name="find"/> replaced by <paramref name="with"/>, as UTF-8.</summary>
        private static byte[] Around(string text, string find, byte[] with)
        {
            int at = text.IndexOf(find);
            Assert.IsTrue(at >= 0, find);
            return Bytes.Concat(Utf8.GetBytes(text.Substring(0, at)), Bytes.Concat(with, Utf8.GetBytes(text.Substring(at + find.Length))));
        }
    }
}
