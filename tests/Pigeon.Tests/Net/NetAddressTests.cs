// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Net;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Net
{
    [TestClass]
    public class NetAddressTests
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
        [DataRow("")]
        [DataRow(":")]
        [DataRow(":1")]
        [DataRow("1:")]
        [DataRow("1::2::3")]
        [DataRow("1:2:3:4:5:6:7:8:9")]
        [DataRow("1:2:3:4:5:6:7")]
        [DataRow("12345::1")]
        [DataRow("g::1")]
        [DataRow("::1.2.3")]
        [DataRow("1:2:3:4:5:6:7:1.2.3.4")]
        [DataRow("01.2.3.4")]
        [DataRow("1.2.3.4.5")]
        public void TryParse_Invalid_False(string text)
        {
            NetAddress address;
            Assert.IsFalse(NetAddress.TryParse(text, out address), text);
        }

        [TestMethod]
        public void IPv4_HeldMapped_KeyedWhole()
        {
            NetAddress a = NetAddress.FromIPv4(0xC0000201);
            Assert.IsTrue(a.IsIPv4);
            Assert.AreEqual(0xC0000201u, a.IPv4);
            Assert.IsFalse(a.IsNone);
            Assert.IsTrue(new NetAddress().IsNone);
            Assert.IsFalse(NetAddress.FromIPv4(0xC0000202).ClientKey == a.ClientKey, "each IPv4 address is its own client");
        }

        [TestMethod]
        public void IPv6_KeyedByItsSlash64()
        {
            NetAddress a = Parse("2001:db8:1:2:aaaa::1");
            NetAddress b = Parse("2001:db8:1:2:bbbb::9");
            NetAddress c = Parse("2001:db8:1:3::1");
            Assert.IsTrue(a.ClientKey == b.ClientKey, "one /64: one client (a phone changes its lower half at will)");
            Assert.IsFalse(a.ClientKey == c.ClientKey);
            Assert.IsFalse(a.IsIPv4);
            Assert.AreEqual(0u, a.IPv4);
        }

        [TestMethod]
        public void IsIn_Ranges()
        {
            NetAddress net = Parse("10.0.0.0");
            NetAddress inside = Parse("10.200.3.4");
            NetAddress outside = Parse("11.0.0.1");
            Assert.IsTrue(inside.IsIn(net, 96 + 8));
            Assert.IsFalse(outside.IsIn(net, 96 + 8));
            Assert.IsTrue(outside.IsIn(net, 0));
            net = Parse("2001:db8::");
            inside = Parse("2001:db8:ffff::1");
            outside = Parse("2001:db9::1");
            Assert.IsTrue(inside.IsIn(net, 32));
            Assert.IsFalse(outside.IsIn(net, 32));
            Assert.IsTrue(inside.IsIn(inside, 128));
            Assert.IsFalse(inside.IsIn(net, 128));
            inside = Parse("2001:db8::1:0");
            Assert.IsTrue(inside.IsIn(net, 64 + 16));
            outside = Parse("2001:db8::1:0:0");
            Assert.IsFalse(outside.IsIn(net, 64 + 32));
        }

        [TestMethod]
        public void Bytes_RoundTrip()
        {
            NetAddress a = Parse("2001:db8:85a3::8a2e:370:7334");
            byte[] b = new byte[18];
            a.WriteIPv6Bytes(b, 1);
            Assert.AreEqual(0x20, (int)b[1]);
            Assert.AreEqual(0x34, (int)b[16]);
            Assert.IsTrue(NetAddress.FromIPv6Bytes(b, 1).SameAs(a));
        }

        private static NetAddress Parse(string text)
        {
            NetAddress address;
            Assert.IsTrue(NetAddress.TryParse(text, out address), text);
            return address;
        }
    }
}
