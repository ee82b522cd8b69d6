// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Net;
using Pigeon.Tests.Support;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Net
{
    [TestClass]
    public class IPv4Tests
    {
        [TestMethod]
        [DataRow("0.0.0.0", 0u)]
        [DataRow("127.0.0.1", 0x7F000001u)]
        [DataRow("255.255.255.255", 0xFFFFFFFFu)]
        [DataRow("192.0.2.10", 0xC000020Au)]
        public void TryParse_Valid_Packs(string text, uint expected)
        {
            uint value;
            Assert.IsTrue(IPv4.TryParse(text, out value));
            Assert.AreEqual(expected, value);
            Assert.AreEqual(text, IPv4.ToText(value));
            byte[] buffer = new byte[16];
            int n = IPv4.Write(value, buffer, 1);
            Assert.AreEqual(text, Bytes.Text(buffer, 1, n));
        }

        [TestMethod]
        [DataRow("")]
        [DataRow("1.2.3")]
        [DataRow("1.2.3.4.5")]
        [DataRow("256.1.1.1")]
        [DataRow("01.2.3.4")]
        [DataRow("1..3.4")]
        [DataRow(" 1.2.3.4")]
        [DataRow("a.b.c.d")]
        [DataRow("1.2.3.4 ")]
        [DataRow("1111.2.3.4")]
        public void TryParse_Invalid_False(string text)
        {
            uint value;
            Assert.IsFalse(IPv4.TryParse(text, out value));
        }
    }
}
