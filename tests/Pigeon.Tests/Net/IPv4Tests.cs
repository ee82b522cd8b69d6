// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Net;
using Pigeon.Relay;
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

        [TestMethod]
        public void ProxyHeader_IsExactV1Line()
        {
            byte[] buffer = new byte[ProxyHeader.MaxLength + 4];
            int n = ProxyHeader.Write(0xC0000201, 51234, 0xCB007105, 5222, buffer, 2);
            Assert.AreEqual("PROXY TCP4 192.0.2.1 203.0.113.5 51234 5222\r\n", Bytes.Text(buffer, 2, n));
        }

        [TestMethod]
        public void ProxyHeader_LongestLine_FitsMaxLength()
        {
            byte[] buffer = new byte[ProxyHeader.MaxLength];
            int n = ProxyHeader.Write(0xFFFFFFFF, 65535, 0xFFFFFFFF, 65535, buffer, 0);
            Assert.AreEqual(ProxyHeader.MaxLength, n);
            Assert.AreEqual("PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n", Bytes.Text(buffer, 0, n));
        }
    }
}
