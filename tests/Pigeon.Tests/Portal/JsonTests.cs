// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Portal;
using Pigeon.Tests.Support;
using Pigeon.Text;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Portal
{
    /// <summary>JsonReader, JsonWriter and Utf8: the core's own replacements for what nanoFramework's mscorlib lacks.</summary>
    [TestClass]
    public class JsonTests
    {
        [TestMethod]
        public void Writer_EscapesQuotesControlsAndMarkup()
        {
            JsonWriter w = new JsonWriter(4);
            w.BeginObject().Member("s", "a\"b\\c\n\u0001</script>&\u2028").Member("n", -12).Member("b", true).Name("z").Null();
            w.Name("a").BeginArray().Number(1).String("x").EndArray().EndObject();
            Assert.AreEqual("{\"s\":\"a\\\"b\\\\c\\n\\u0001\\u003c/script\\u003e\\u0026\\u2028\",\"n\":-12,\"b\":true,\"z\":null,\"a\":[1,\"x\"]}", w.ToString());
        }

        [TestMethod]
        public void Reader_RoundTripsWriterOutput()
        {
            JsonWriter w = new JsonWriter(16);
            w.BeginObject().Member("ssid", "<img src=x onerror=alert(1)> \u00e9\u4e2d").Member("rssi", -71).EndObject();
            JsonValue v = JsonReader.Parse(w.ToString());
            Assert.AreEqual("<img src=x onerror=alert(1)> \u00e9\u4e2d", v.Get("ssid").Text);
            Assert.AreEqual(-71, v.Get("rssi").IntValue);
        }

        [TestMethod]
        public void Reader_ParsesNestedValues()
        {
            JsonValue v = JsonReader.Parse(" {\"a\": [1, -2, 3.5, 1e3, true, false, null, \"t\\u0041\\n\"], \"b\": {}} ");
            Assert.IsNotNull(v);
            JsonValue a = v.Get("a");
            Assert.AreEqual(8, a.Count);
            Assert.AreEqual(-2, a[1].IntValue);
            Assert.IsFalse(a[2].IsInteger);
            Assert.IsFalse(a[3].IsInteger);
            Assert.IsTrue(a[4].BoolValue);
            Assert.AreEqual((int)JsonKind.Null, (int)a[6].Kind);
            Assert.AreEqual("tA\n", a[7].Text);
            Assert.AreEqual(0, v.Get("b").Count);
            Assert.IsNull(v.Get("missing"));
        }

        [TestMethod]
        [DataRow("")]
        [DataRow("{")]
        [DataRow("{\"a\":1,}")]
        [DataRow("[1,]")]
        [DataRow("{'a':1}")]
        [DataRow("{\"a\":01}")]
        [DataRow("{\"a\":-}")]
        [DataRow("{\"a\":1.}")]
        [DataRow("{\"a\":tru}")]
        [DataRow("{\"a\":\"x\"} extra")]
        [DataRow("{\"a\":\"\\x\"}")]
        [DataRow("{\"a\":\"\\u12\"}")]
        [DataRow("{\"a\":\"raw\ttab\"}")]
        [DataRow("{\"a\":NaN}")]
        [DataRow("[[[[[[[[[1]]]]]]]]]")] // nine deep: over MaxDepth
        public void Reader_Malformed_IsNull(string text)
        {
            Assert.IsNull(JsonReader.Parse(text));
        }

        [TestMethod]
        public void Reader_DeepNestingAttack_IsNullNotStackOverflow()
        {
            char[] chars = new char[4000];
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = '[';
            }

            Assert.IsNull(JsonReader.Parse(new string(chars)));
        }

        [TestMethod]
        public void Reader_HugeInteger_IsNotInteger()
        {
            JsonValue v = JsonReader.Parse("[99999999999999999999, 2147483647, -2147483648, 2147483648]");
            Assert.IsFalse(v[0].IsInteger);
            Assert.AreEqual(2147483647, v[1].IntValue);
            Assert.AreEqual(-2147483648, v[2].IntValue);
            Assert.IsFalse(v[3].IsInteger);
        }

        [TestMethod]
        public void Utf8_EncodesAndDecodesOneToThreeByteCharacters()
        {
            // The 4-byte (surrogate pair) case is host-only (Host/Portal/Utf8SurrogateTests):
            // nanoCLR strings cannot hold a surrogate pair, so emoji are lost on the board.
            string text = "a\u00e9\u4e2d"; // 1, 2 and 3 bytes
            byte[] bytes = Utf8.GetBytes(text);
            Assert.AreEqual(6, bytes.Length);
            Assert.AreEqual(0xE4, (int)bytes[3]);
            Assert.AreEqual(text, Utf8.Decode(bytes, 0, bytes.Length));
        }

        [TestMethod]
        public void Utf8_LoneSurrogate_BecomesReplacementCharacter()
        {
            byte[] bytes = Utf8.GetBytes("x\ud800y");
            Assert.AreEqual(5, bytes.Length);
            Assert.AreEqual("x\ufffdy", Utf8.Decode(bytes, 0, bytes.Length));
        }

        [TestMethod]
        [DataRow("c0af")] // overlong '/'
        [DataRow("e080af")] // overlong
        [DataRow("eda080")] // encoded surrogate
        [DataRow("f4908080")] // past U+10FFFF
        [DataRow("80")] // continuation first
        [DataRow("e4b8")] // cut short
        [DataRow("ff")]
        public void Utf8_Invalid_IsNull(string hex)
        {
            byte[] bytes = Bytes.Hex(hex);
            Assert.IsNull(Utf8.Decode(bytes, 0, bytes.Length));
        }
    }
}
