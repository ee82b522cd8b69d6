// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Json;
using Pigeon.Portal;
using Pigeon.Tests.Support;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Portal
{
    // Inside the namespace: Json and Text would otherwise name the namespaces Pigeon.Json and Pigeon.Text.
    using static PortalCalls;

    /// <summary>
    /// What a clumsy user or a stranger on the setup network can post to the portal, from a fixed
    /// seed (<see cref="Fuzz"/>; the same cases on .NET and nanoCLR): settings with at least one
    /// wrong field among right ones, and admin passwords that break the rules, each refused with a
    /// 422 naming the field; bodies that are not a JSON object (cut short, bad UTF-8, a key twice,
    /// nested too deep, noise), each a 400. Nothing is saved, nothing throws. On nanoCLR the 422
    /// path once killed the interpreter (docs/device.md, "Pitfalls the gates know").
    /// </summary>
    [TestClass]
    public class PortalApiFuzzTests
    {
        private const int Cases = 160;

        private static readonly string[] Sections = new string[] { "wifi", "setupAp", "relay", "network", "portal", "_" };

        [TestMethod]
        public void Config_WrongSettings_422AtTheFieldAndNothingSaved()
        {
            Fuzz fuzz = new Fuzz(0x5E77);
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] s = SetUp(api);
            string before = b.Stored.Wifi.Ssid;
            for (int i = 0; i < Cases; i++)
            {
                string wrong;
                string body = Settings(fuzz, out wrong);
                int malformed = i % 4 == 3 ? fuzz.Below(4) : -1;
                byte[] bytes = Malformed(fuzz, Utf8Of(body), malformed);
                HttpResponse r = PostBytes(api, "/api/config", bytes, s[0], s[1]);
                Check(r, malformed >= 0 ? 400 : 422, malformed >= 0 ? null : wrong, Fuzz.Describe(i, bytes, bytes.Length));
            }

            Assert.AreEqual(0, b.Saves);
            Assert.AreEqual(before, b.Stored.Wifi.Ssid);
        }

        [TestMethod]
        public void AdminPassword_BrokenRules_422OrMalformed400AndNoPasswordSet()
        {
            Fuzz fuzz = new Fuzz(0xAD);
            FakePortalBackend b = new FakePortalBackend();
            PortalApi api = NewApi(b);
            string[] values = new string[] { "12345678", "true", "null", "[]", "{}", "[\"long enough\"]" };
            for (int i = 0; i < Cases; i++)
            {
                string body;
                int kind = i % 5;
                if (kind == 0)
                {
                    body = "{\"password\":\"" + fuzz.Word(fuzz.Below(8)) + "\"}"; // under 8
                }
                else if (kind == 1)
                {
                    body = "{\"password\":\"" + fuzz.Word(fuzz.Between(65, 120)) + "\"}"; // over 64
                }
                else if (kind == 2)
                {
                    body = "{\"password\":" + fuzz.Pick(values) + "}"; // not text
                }
                else
                {
                    body = "{\"" + fuzz.Word(fuzz.Between(1, 9)) + "x\":\"" + fuzz.Word(12) + "\"}"; // no password member
                }

                int malformed = kind == 4 ? fuzz.Below(4) : -1;
                byte[] bytes = Malformed(fuzz, Utf8Of(body), malformed);
                HttpResponse r = PostBytes(api, "/api/admin-password", bytes, "", "");
                Check(r, malformed >= 0 ? 400 : 422, malformed >= 0 ? null : "password", Fuzz.Describe(i, bytes, bytes.Length));
                Assert.IsFalse(b.IsAdminPasswordSet, Fuzz.Describe(i, bytes, bytes.Length));
            }
        }

        /// <summary>The status and, for a 422, that the errors are well-formed and one is at <paramref name="section"/>.</summary>
        private static void Check(HttpResponse r, int status, string section, string what)
        {
            Assert.AreEqual(status, r.Status, what + ": " + Text(r));
            JsonNode json = Json(r);
            Assert.IsTrue(json.Get("error").Text.Length > 0, what);
            if (status != 422)
            {
                return;
            }

            JsonNode errors = json.Get("errors");
            Assert.IsTrue(errors.Count >= 1, what);
            bool named = false;
            for (int e = 0; e < errors.Count; e++)
            {
                string path = errors[e].Get("path").Text;
                Assert.IsTrue(errors[e].Get("message").Text.Length > 0, what);
                named |= path == section || path.StartsWith(section + ".") || path.StartsWith(section + "[");
            }

            Assert.IsTrue(named, section + " not named: " + what + ": " + Text(r));
        }

        /// <summary>
        /// A settings change of one to three sections, the first of them wrong: a section or key
        /// the page cannot change, text too long, a wrong type, a number out of range. Returns the
        /// wrong one's page name in <paramref name="wrong"/>.
        /// </summary>
        private static string Settings(Fuzz fuzz, out string wrong)
        {
            // Distinct sections (a key twice would be a 400, not this test's 422).
            int[] order = new int[] { 0, 1, 2, 3, 4, 5 };
            for (int k = order.Length - 1; k > 0; k--)
            {
                int j = fuzz.Below(k + 1);
                int t = order[k];
                order[k] = order[j];
                order[j] = t;
            }

            int sections = fuzz.Between(1, 3);
            string body = "{";
            wrong = null;
            for (int n = 0; n < sections; n++)
            {
                string section = Sections[order[n]];
                string path;
                string member = Member(fuzz, section, n == 0, out path);
                body += (n > 0 ? "," : "") + member;
                if (n == 0)
                {
                    wrong = path;
                }
            }

            return body + "}";
        }

        private static string Member(Fuzz fuzz, string section, bool wrong, out string path)
        {
            string v;
            string key;
            if (section == "_")
            {
                path = "_" + fuzz.Word(fuzz.Between(1, 10));
                return "\"" + path + "\":" + (fuzz.OneIn(2) ? "{}" : "1"); // not a section the page may change
            }

            if (!wrong)
            {
                // Something right beside the wrong one (the whole change is still refused).
                key = section == "wifi" ? "ssid" : section == "setupAp" ? "channel" : section == "relay" ? "chatPorts" : section == "network" ? "portMapping" : "port";
                v = section == "wifi" ? "\"" + fuzz.Word(fuzz.Between(1, 20)) + "\"" : section == "setupAp" ? fuzz.Between(1, 13).ToString()
                    : section == "relay" ? "[5222]" : section == "network" ? (fuzz.OneIn(2) ? "true" : "false") : "80";
                path = section + "." + key;
                return "\"" + section + "\":{\"" + key + "\":" + v + "}";
            }

            int k = fuzz.Below(4);
            if (k == 0)
            {
                key = "_" + fuzz.Word(fuzz.Between(1, 8)); // a key the page cannot change
                v = "1";
            }
            else if (section == "wifi")
            {
                key = k == 1 ? "ssid" : "password";
                v = k == 1 ? (fuzz.OneIn(2) ? "\"" + fuzz.Word(fuzz.Between(33, 60)) + "\"" : "17") : "\"" + fuzz.Word(fuzz.Between(1, 7)) + "\"";
            }
            else if (section == "setupAp")
            {
                key = "channel";
                v = k == 1 ? fuzz.Between(14, 9999).ToString() : k == 2 ? "-" + fuzz.Between(0, 99).ToString() : "\"6\"";
            }
            else if (section == "relay")
            {
                key = fuzz.OneIn(2) ? "chatPorts" : "mediaPorts";
                v = k == 1 ? "[" + fuzz.Between(65536, 999999).ToString() + "]" : k == 2 ? "[0]" : (fuzz.OneIn(2) ? "\"443\"" : "[443,444,445,446,447]");
            }
            else if (section == "network")
            {
                key = k == 1 ? "publicHost" : k == 2 ? "portMapping" : "metricsToken";
                v = k == 1 ? "\"" + fuzz.Word(3) + " " + fuzz.Word(3) + "!\"" : k == 2 ? "\"yes\"" : "\"" + fuzz.Word(fuzz.Between(1, 15)) + "\"";
            }
            else
            {
                key = k == 1 ? "listenAddress" : "port";
                v = k == 1 ? "\"" + fuzz.Word(fuzz.Between(1, 6)) + "\"" : k == 2 ? fuzz.Between(65536, 999999).ToString() : "\"80\"";
            }

            path = section;
            return "\"" + section + "\":{\"" + key + "\":" + v + "}";
        }

        /// <summary>
        /// <paramref name="body"/> made not a JSON object (0 cut short, 1 bad UTF-8 in a string,
        /// 2 a key twice, 3 nested too deep or noise), or as it is when <paramref name="kind"/> is -1.
        /// </summary>
        private static byte[] Malformed(Fuzz fuzz, byte[] body, int kind)
        {
            if (kind == 0)
            {
                return Bytes.Prefix(body, fuzz.Below(body.Length)); // a strict prefix of a compact object
            }

            if (kind == 1)
            {
                string[] bad = new string[] { "C0 80", "FF", "ED A0 80", "80", "E4 B8", "F8 88 80 80 80" };
                return Bytes.Concat(Bytes.Ascii("{\"wifi\":{\"ssid\":\"a"), Bytes.Concat(Bytes.Hex(fuzz.Pick(bad)), Bytes.Ascii("b\"}}")));
            }

            if (kind == 2)
            {
                byte[] inner = new byte[body.Length - 2];
                System.Array.Copy(body, 1, inner, 0, inner.Length);
                return Bytes.Concat(Bytes.Ascii("{"), Bytes.Concat(inner, Bytes.Concat(Bytes.Ascii(","), Bytes.Concat(inner, Bytes.Ascii("}"))))); // every key twice
            }

            if (kind == 3)
            {
                if (fuzz.OneIn(2))
                {
                    string open = "";
                    string close = "";
                    int depth = fuzz.Between(PortalApi.MaxBodyDepth, 40); // with the object: deeper than the reader takes
                    for (int d = 0; d < depth; d++)
                    {
                        open += "[";
                        close += "]";
                    }

                    return Bytes.Ascii("{\"wifi\":" + open + close + "}");
                }

                byte[] noise = fuzz.Bytes(fuzz.Between(1, 200));
                noise[0] = (byte)fuzz.Pick(new string[] { "x", "1", "\"", "]", "}", "\u00ff", "n" })[0]; // anything but an object's start
                return noise;
            }

            return body;
        }

        private static byte[] Utf8Of(string ascii)
        {
            return Bytes.Ascii(ascii);
        }
    }
}
