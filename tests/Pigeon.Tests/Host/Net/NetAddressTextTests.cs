using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Net;

namespace Pigeon.Tests.Host.Net
{
    /// <summary>
    /// Host-only: reading IPv6 text (NetAddress.Host.cs; a board's firmware has IPv6 off and its
    /// assembly reads IPv4 text alone). The rest of NetAddress is the shared NetAddressTests'.
    /// </summary>
    [TestClass]
    public class NetAddressTextTests
    {
        [TestMethod]
        [DataRow("2001:db8::1", "2001:db8::1")]
        [DataRow("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1")]
        [DataRow("::", "::")]
        [DataRow("::1", "::1")]
        [DataRow("1::", "1::")]
        [DataRow("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]
        [DataRow("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1")]
        [DataRow("1:0:0:2:0:0:0:3", "1:0:0:2::3")]
        [DataRow("fe80::1:2:3:4", "fe80::1:2:3:4")]
        [DataRow("::ffff:192.0.2.1", "192.0.2.1")]
        [DataRow("64:ff9b::192.0.2.33", "64:ff9b::c000:221")]
        [DataRow("192.0.2.1", "192.0.2.1")]
        public void TryParse_Valid_WritesRfc5952Text(string text, string expected)
        {
            NetAddress address;
            Assert.IsTrue(NetAddress.TryParse(text, out address), text);
            Assert.AreEqual(expected, address.ToString());
        }

        [TestMethod]
        [DataRow("2001:db8::/32", 32)]
        [DataRow("2001:db8::7", 128)]
        [DataRow("10.0.0.0/8", 96 + 8)]
        public void TryParseRange_IPv6AndIPv4(string text, int bits)
        {
            NetAddress network;
            int prefix;
            Assert.IsTrue(NetAddress.TryParseRange(text, out network, out prefix), text);
            Assert.AreEqual(bits, prefix);
        }

        [TestMethod]
        [DataRow("2001:db8::1/32")]
        [DataRow("2001:db8::/129")]
        public void TryParseRange_BitsPastThePrefixOrTooLong_False(string text)
        {
            NetAddress network;
            int prefix;
            Assert.IsFalse(NetAddress.TryParseRange(text, out network, out prefix), text);
        }
    }
}
