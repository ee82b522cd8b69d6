using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Json;
using Pigeon.Text;

namespace Pigeon.Tests.Host.Portal
{
    /// <summary>
    /// Characters outside the Basic Multilingual Plane (emoji in an SSID). Host-only: on nanoCLR
    /// a string cannot hold a surrogate pair (measured on the POSIX nanoCLR: the pair came out as
    /// two 3-byte sequences), a limitation written in docs/portal.md.
    /// </summary>
    [TestClass]
    public class Utf8SurrogateTests
    {
        [TestMethod]
        public void Utf8_SurrogatePair_EncodesAsFourBytesAndBack()
        {
            string text = "a\u00e9\u4e2d\ud83d\udc4d"; // 1, 2, 3 and 4 bytes
            byte[] bytes = Utf8.GetBytes(text);
            Assert.AreEqual(10, bytes.Length);
            Assert.AreEqual(0xF0, (int)bytes[6]);
            Assert.AreEqual(text, Utf8.Decode(bytes, 0, bytes.Length));
        }

        [TestMethod]
        public void JsonReader_SurrogatePair_EscapedOrRaw_IsOneCharacter()
        {
            byte[] escaped = Utf8.GetBytes("[\"\\ud83d\\udc26\", \"\ud83d\udc26\"]");
            JsonNode list = JsonReader.Parse(escaped, 0, escaped.Length, 2, out JsonError error);
            Assert.IsNull(error);
            Assert.AreEqual("\ud83d\udc26", list[0].Text);
            Assert.AreEqual("\ud83d\udc26", list[1].Text);
            JsonWriter writer = new JsonWriter(16);
            writer.Value(list);
            Assert.AreEqual("[\"\ud83d\udc26\",\"\ud83d\udc26\"]", writer.ToString());
        }
    }
}
