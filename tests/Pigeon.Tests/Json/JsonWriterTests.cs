// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Json;
using Pigeon.Text;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Json
{
    /// <summary>The one JSON writer: compact and HTML-safe for answers, indented for config files.</summary>
    [TestClass]
    public class JsonWriterTests
    {
        [TestMethod]
        public void Compact_EscapesQuotesControlsAndMarkup()
        {
            JsonWriter w = new JsonWriter(4);
            w.BeginObject().Member("s", "a\"b\\c\n\u0001\b\f</script>&\u2028\u2029\u007f").Member("n", -12).Member("b", true).Name("z").Null();
            w.Name("a").BeginArray().Number(1).String("x").String(null).EndArray().EndObject();
            Assert.AreEqual("{\"s\":\"a\\\"b\\\\c\\n\\u0001\\b\\f\\u003c/script\\u003e\\u0026\\u2028\\u2029\\u007f\",\"n\":-12,\"b\":true,\"z\":null,\"a\":[1,\"x\",null]}", w.ToString());
        }

        [TestMethod]
        public void Compact_NonAsciiText_IsUtf8()
        {
            JsonWriter w = new JsonWriter(4);
            w.String("\u00e9\u4e2d");
            byte[] bytes = w.ToUtf8();
            Assert.AreEqual(7, bytes.Length);
            Assert.AreEqual(0xC3, (int)bytes[1]);
            Assert.AreEqual(0xE4, (int)bytes[3]);
        }

        [TestMethod]
        public void Indented_ObjectsArraysAndEmpties_LaidOutForPeople()
        {
            JsonWriter w = JsonWriter.Indented(8);
            w.BeginObject().Member("n", 1).Name("empty").BeginObject().EndObject().Name("none").BeginArray().EndArray()
                .Name("flat").BeginArray().String("a").String("b").EndArray()
                .Name("block").BeginArray().BeginObject().Member("x", "<&>").EndObject().BeginArray().Number(2).EndArray().EndArray()
                .EndObject();
            Assert.AreEqual("{\n  \"n\": 1,\n  \"empty\": {},\n  \"none\": [],\n  \"flat\": [\"a\", \"b\"],\n  \"block\": [\n    {\n      \"x\": \"<&>\"\n    },\n    [2]\n  ]\n}\n", w.ToString());
        }

        [TestMethod]
        public void Value_Tree_WritesWhatItHolds()
        {
            JsonNode root = JsonNode.NewObject();
            JsonNode mixed = JsonNode.NewArray();
            mixed.AddItem(JsonNode.FromInt(1));
            mixed.AddItem(JsonNode.NewObject());
            root.Add("mixed", mixed);
            root.Add("t", JsonNode.FromString("q\""));
            root.Add("num", JsonNode.FromNumberText("-1.5e3"));
            JsonWriter compact = new JsonWriter(8);
            compact.Value(root);
            Assert.AreEqual("{\"mixed\":[1,{}],\"t\":\"q\\\"\",\"num\":-1.5e3}", compact.ToString());

            // A tree's array with an object anywhere in it is laid out a line per item, even when its first item is plain.
            JsonWriter indented = JsonWriter.Indented(8);
            indented.Value(root);
            Assert.AreEqual("{\n  \"mixed\": [\n    1,\n    {}\n  ],\n  \"t\": \"q\\\"\",\n  \"num\": -1.5e3\n}\n", indented.ToString());
        }

        [TestMethod]
        public void Text_IsTheBufferAnswersAreSentFrom()
        {
            JsonWriter w = new JsonWriter(4);
            w.BeginObject().Member("ok", true).EndObject();
            TextBuffer text = w.Text;
            Assert.AreEqual(11, text.Length);
            Assert.AreEqual((int)'{', (int)text.Bytes[0]);
            Assert.AreEqual(11, w.ToUtf8().Length);
        }
    }
}
