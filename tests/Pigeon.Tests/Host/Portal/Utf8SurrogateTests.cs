using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Portal;
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
    }
}
