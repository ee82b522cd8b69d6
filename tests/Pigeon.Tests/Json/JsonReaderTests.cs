// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Json;
using Pigeon.Tests.Support;
using Pigeon.Text;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Json
{
    /// <summary>
    /// The one JSON reader. These run on the host and on nanoCLR alike, so the board and the host
    /// make the same tree, and refuse with the same reason at the same place, for every document here.
    /// </summary>
    [TestClass]
    public class JsonReaderTests
    {
        private static JsonNode Parse(string text, int maxDepth, out JsonError error)
        {
            byte[] bytes = Utf8.GetBytes(text);
            return JsonReader.Parse(bytes, 0, bytes.Length, maxDepth, out error);
        }

        private static JsonNode Parse(string text)
        {
            JsonError error;
            JsonNode node = Parse(text, 8, out error);
            Assert.IsNotNull(node, error == null ? text : error.ToString());
            Assert.IsNull(error);
            return node;
        }

        private static int Int(JsonNode node)
        {
            int value;
            Assert.IsTrue(node.TryGetInt(out value), node.Text);
            return value;
        }

        [TestMethod]
        public void Parse_NestedValues_KeepOrderKindsAndText()
        {
            JsonNode v = Parse(" {\"a\": [1, -2, 3.5, 1e3, true, false, null, \"t\\u0041\\n\\/\"], \"b\": {}, \"c\": [[1, 2], [], [[3]]]} ");
            Assert.AreEqual(3, v.Count);
            Assert.AreEqual("c", v.GetName(2));
            JsonNode a = v.Get("a");
            Assert.AreEqual(8, a.Count);
            Assert.AreEqual(-2, Int(a[1]));
            Assert.AreEqual("3.5", a[2].Text);
            int ignored;
            Assert.IsFalse(a[2].TryGetInt(out ignored));
            Assert.AreEqual("1e3", a[3].Text);
            Assert.IsFalse(a[3].TryGetInt(out ignored));
            Assert.IsTrue(a[4].IsTrue);
            Assert.IsFalse(a[5].IsTrue);
            Assert.AreEqual((int)JsonKind.Boolean, (int)a[5].Kind);
            Assert.AreEqual((int)JsonKind.Null, (int)a[6].Kind);
            Assert.AreEqual("tA\n/", a[7].Text);
            Assert.AreEqual(0, v.Get("b").Count);
            Assert.AreEqual((int)JsonKind.Object, (int)v.Get("b").Kind);
            Assert.IsNull(v.Get("missing"));
            JsonNode c = v.Get("c");
            Assert.AreEqual(2, Int(c[0][1]), "an array inside an array (nanoFramework.Json refused these)");
            Assert.AreEqual(0, c[1].Count);
            Assert.AreEqual(3, Int(c[2][0][0]));
        }

        [TestMethod]
        public void Parse_ScalarsAtTheTop_AreValues()
        {
            Assert.AreEqual("x", Parse("\"x\"").Text);
            Assert.AreEqual(0, Int(Parse(" 0 ")));
            Assert.AreEqual((int)JsonKind.Null, (int)Parse("null").Kind);
        }

        [TestMethod]
        public void Parse_Numbers_KeepTheirTextAndIntBounds()
        {
            JsonNode v = Parse("[99999999999999999999, 2147483647, -2147483648, 2147483648, -0, -1.5E+3, 0.25e-2]");
            int ignored;
            Assert.IsFalse(v[0].TryGetInt(out ignored));
            Assert.AreEqual("99999999999999999999", v[0].Text);
            Assert.AreEqual(2147483647, Int(v[1]));
            Assert.AreEqual(-2147483648, Int(v[2]));
            Assert.IsFalse(v[3].TryGetInt(out ignored));
            Assert.AreEqual(0, Int(v[4]));
            Assert.AreEqual("-1.5E+3", v[5].Text);
            Assert.AreEqual("0.25e-2", v[6].Text);
        }

        [TestMethod]
        public void Parse_TextInUtf8AndEscapes_Decoded()
        {
            // No \u0000 here: nanoCLR keeps strings zero-terminated, so the board would cut both sides there.
            JsonNode v = Parse("{\"s\":\"Caf\u00e9 \u4e2d \\u00e9\\u4E2D \\\" \\\\ \\b\\f\\r\\t \\u0001\"}");
            Assert.AreEqual("Caf\u00e9 \u4e2d \u00e9\u4e2d \" \\ \b\f\r\t \u0001", v.GetString("s"));
        }

        [TestMethod]
        [DataRow("", 1, 1, "it is empty")]
        [DataRow("  \n ", 2, 2, "it is empty")]
        [DataRow("{", 1, 2, "it ends before every { and [ is closed")]
        [DataRow("{\"a\":1,}", 1, 8, "a comma with nothing after it")]
        [DataRow("[1,]", 1, 4, "a comma with nothing after it")]
        [DataRow("{,\"a\":1}", 1, 2, "expected a name in double quotes")]
        [DataRow("{'a':1}", 1, 2, "expected a name in double quotes")]
        [DataRow("{1:2}", 1, 2, "expected a name in double quotes")]
        [DataRow("{\"a\" 1}", 1, 6, "expected a : after the name")]
        [DataRow("{\"a\":1 \"b\":2}", 1, 8, "expected a comma or a closing } (is a comma missing?)")]
        [DataRow("[1 2]", 1, 4, "expected a comma or a closing ] (is a comma missing?)")]
        [DataRow("{\"a\":[1}", 1, 8, "expected a comma or a closing ] (is a comma missing?)")]
        [DataRow("{\"a\":{]}", 1, 7, "expected a name in double quotes")]
        [DataRow("{\"a\":[1,,2]}", 1, 9, "expected a value (text in double quotes, a number, true, false or null)")]
        [DataRow("{\"a\":01}", 1, 6, "expected a value (text in double quotes, a number, true, false or null)")]
        [DataRow("{\"a\":-}", 1, 6, "expected a value (text in double quotes, a number, true, false or null)")]
        [DataRow("{\"a\":1.}", 1, 6, "expected a value (text in double quotes, a number, true, false or null)")]
        [DataRow("{\"a\":.5}", 1, 6, "expected a value (text in double quotes, a number, true, false or null)")]
        [DataRow("{\"a\":tru}", 1, 6, "expected a value (text in double quotes, a number, true, false or null)")]
        [DataRow("{\"a\":TRUE}", 1, 6, "expected a value (text in double quotes, a number, true, false or null)")]
        [DataRow("{\"a\":NaN}", 1, 6, "expected a value (text in double quotes, a number, true, false or null)")]
        [DataRow("{\"a\":\"x\"} extra", 1, 11, "there is more text after the end of the first value (its closing } or ])")]
        [DataRow("{} {}", 1, 4, "there is more text after the end of the first value (its closing } or ])")]
        [DataRow("{\"a\":\"\\x\"}", 1, 7, "an unknown escape \\x inside text")]
        [DataRow("{\"a\":\"\\u12\"}", 1, 7, "a \\u escape needs four hex digits")]
        [DataRow("{\"a\":\"\\u12g4\"}", 1, 7, "a \\u escape needs four hex digits")]
        [DataRow("{\"a\":\"raw\ttab\"}", 1, 10, "a control character (such as a line break) inside text; write it as \\n or \\t")]
        [DataRow("{\n  \"a\": \"line\nbreak\"\n}", 2, 13, "a control character (such as a line break) inside text; write it as \\n or \\t")]
        [DataRow("{\"a\":\"never closed}", 1, 6, "text that is never closed with a double quote")]
        public void Parse_Malformed_SaysWhatAndWhere(string text, int line, int column, string reason)
        {
            JsonError error;
            Assert.IsNull(Parse(text, 8, out error), text);
            Assert.AreEqual(reason, error.Reason, text);
            Assert.AreEqual(line, error.Line, text);
            Assert.AreEqual(column, error.Column, text);
            Assert.IsNull(error.Path, text);
        }

        [TestMethod]
        [DataRow("{\"a\":1,\"a\":2}", "a", 8)]
        [DataRow("{\"relay\":{\"routes\":[{\"name\":\"x\"},{\"name\":\"a\",\"port\":1,\"name\":\"b\"}]}}", "relay.routes[1].name", 55)]
        [DataRow("[[1],[2,{\"x\":1,\"x\":2}]]", "[1][1].x", 16)]
        [DataRow("{\"wifi\":{\"ssid\":\"a\",\"ssid\":\"b\"}}", "wifi.ssid", 21)]
        public void Parse_RepeatedName_RefusedWithItsPath(string text, string path, int column)
        {
            JsonError error;
            Assert.IsNull(Parse(text, 8, out error), text);
            Assert.AreEqual(path, error.Path);
            Assert.AreEqual(column, error.Column);
            Assert.IsTrue(error.Reason.IndexOf("appears twice") >= 0, error.Reason);
        }

        [TestMethod]
        public void Parse_SameNameInSiblingObjects_IsFine()
        {
            JsonNode v = Parse("[{\"a\":1},{\"a\":2}]");
            Assert.AreEqual(2, Int(v[1].Get("a")));
        }

        [TestMethod]
        public void Parse_DepthAtTheLimit_ReadOneMoreRefused()
        {
            JsonError error;
            Assert.IsNotNull(Parse("[[[1]]]", 3, out error));
            Assert.IsNull(Parse("[[[[1]]]]", 3, out error));
            Assert.AreEqual("it nests deeper than 3 levels of { } and [ ]", error.Reason);
            Assert.AreEqual(4, error.Column);
            Assert.IsNull(Parse("{\"a\":{\"b\":{\"c\":{}}}}", 3, out error));
            Assert.AreEqual(16, error.Column);
        }

        [TestMethod]
        public void Parse_DeepNestingAttack_RefusedNotStackOverflow()
        {
            byte[] bytes = new byte[4000];
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)'[';
            }

            JsonError error;
            Assert.IsNull(JsonReader.Parse(bytes, 0, bytes.Length, 10, out error));
            Assert.AreEqual(11, error.Column);
        }

        [TestMethod]
        [DataRow("7B 22 61 22 3A 22 FF 22 7D", 7)] // {"a":"\xff"}
        [DataRow("7B 22 61 22 3A 22 C3 22 7D", 7)] // cut sequence
        [DataRow("7B 22 61 22 3A 22 C0 AF 22 7D", 7)] // overlong '/'
        [DataRow("7B 22 61 22 3A 22 78 ED A0 80 22 7D", 8)] // a raw surrogate
        [DataRow("7B 22 61 22 3A FF 7D", 6)] // outside text
        public void Parse_NotUtf8_Refused(string hex, int column)
        {
            byte[] bytes = Bytes.Hex(hex);
            JsonError error;
            Assert.IsNull(JsonReader.Parse(bytes, 0, bytes.Length, 8, out error));
            Assert.AreEqual("a byte that is not UTF-8 text (save the file as UTF-8)", error.Reason);
            Assert.AreEqual(column, error.Column);
        }

        [TestMethod]
        [DataRow("{\"a\":\"x\\ud800\"}", 8)] // a high half at the end
        [DataRow("{\"a\":\"\\ud800x\"}", 7)] // a high half before a plain character
        [DataRow("{\"a\":\"\\ud800\\u0041\"}", 7)] // a high half before an escape that is not a low half
        [DataRow("{\"a\":\"\\udc00\"}", 7)] // a low half alone
        [DataRow("{\"a\":\"\\udc00\\ud800\"}", 7)] // the halves the wrong way round
        public void Parse_LoneSurrogateEscape_RefusedLikeRawSurrogateBytes(string text, int column)
        {
            // One rule: a character that cannot be UTF-8 is refused, written raw or as an escape.
            JsonError error;
            Assert.IsNull(Parse(text, 8, out error), text);
            Assert.IsTrue(error.Reason.IndexOf("surrogate") >= 0, error.Reason);
            Assert.AreEqual(column, error.Column, text);
        }

        [TestMethod]
        public void Parse_Offsets_CountFromTheGivenStart()
        {
            byte[] bytes = Bytes.Ascii("xx{\"a\":}yy");
            JsonError error;
            Assert.IsNull(JsonReader.Parse(bytes, 2, 6, 8, out error));
            Assert.AreEqual(5, error.Offset);
            Assert.AreEqual(6, error.Column);
            Assert.IsNull(JsonReader.Parse(null, 0, 0, 8, out error));
            Assert.IsNotNull(error);
        }

        [TestMethod]
        public void Parse_WriterOutput_RoundTrips()
        {
            JsonWriter w = new JsonWriter(16);
            w.BeginObject().Member("ssid", "<img src=x onerror=alert(1)> \u00e9\u4e2d\u2028\"\\\n\u0001").Member("rssi", -71).Name("list").BeginArray().Bool(false).Null().EndArray().EndObject();
            JsonNode v = Parse(w.ToString());
            Assert.AreEqual("<img src=x onerror=alert(1)> \u00e9\u4e2d\u2028\"\\\n\u0001", v.GetString("ssid"));
            Assert.AreEqual(-71, Int(v.Get("rssi")));
            Assert.AreEqual(2, v.Get("list").Count);
        }
    }
}
