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
    /// <summary>
    /// Addresses as values, both families, on both platforms. IPv6 addresses come from their 16
    /// bytes here: reading IPv6 text is the host's (Host/Net/NetAddressTextTests).
    /// </summary>
    [TestClass]
    public class NetAddressTests
    {
        [TestMethod]
        [DataRow("20010db8000000000000000000000001", "2001:db8::1")]
        [DataRow("00000000000000000000000000000000", "::")]
        [DataRow("00000000000000000000000000000001", "::1")]
        [DataRow("00010000000000000000000000000000", "1::")]
        [DataRow("20010db8000000000001000000000001", "2001:db8::1:0:0:1")]
        [DataRow("20010db8000000010001000100010001", "2001:db8:0:1:1:1:1:1")]
        [DataRow("00010000000000020000000000000003", "1:0:0:2::3")]
        [DataRow("fe800000000000000001000200030004", "fe80::1:2:3:4")]
        [DataRow("00000000000000000000ffffc0000201", "192.0.2.1")]
        [DataRow("0064ff9b0000000000000000c0000221", "64:ff9b::c000:221")]
        public void WriteText_Rfc5952(string hex, string expected)
        {
            Assert.AreEqual(expected, NetAddress.FromIPv6Bytes(Bytes.Hex(hex), 0).ToString());
        }

        [TestMethod]
        public void TryParse_IPv4_HeldMapped()
        {
            NetAddress address;
            Assert.IsTrue(NetAddress.TryParse("192.0.2.1", out address));
            Assert.IsTrue(address.IsIPv4);
            Assert.AreEqual("192.0.2.1", address.ToString());
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
            NetAddress a = Six("20010db800010002aaaa000000000001");
            NetAddress b = Six("20010db800010002bbbb000000000009");
            NetAddress c = Six("20010db8000100030000000000000001");
            Assert.IsTrue(a.ClientKey == b.ClientKey, "one /64: one client (a phone changes its lower half at will)");
            Assert.IsFalse(a.ClientKey == c.ClientKey);
            Assert.IsFalse(a.IsIPv4);
            Assert.AreEqual(0u, a.IPv4);
        }

        [TestMethod]
        public void IsIn_Ranges()
        {
            NetAddress net;
            NetAddress inside;
            NetAddress outside;
            Assert.IsTrue(NetAddress.TryParse("10.0.0.0", out net));
            Assert.IsTrue(NetAddress.TryParse("10.200.3.4", out inside));
            Assert.IsTrue(NetAddress.TryParse("11.0.0.1", out outside));
            Assert.IsTrue(inside.IsIn(net, 96 + 8));
            Assert.IsFalse(outside.IsIn(net, 96 + 8));
            Assert.IsTrue(outside.IsIn(net, 0));
            net = Six("20010db8000000000000000000000000");
            inside = Six("20010db8ffff00000000000000000001");
            outside = Six("20010db9000000000000000000000001");
            Assert.IsTrue(inside.IsIn(net, 32));
            Assert.IsFalse(outside.IsIn(net, 32));
            Assert.IsTrue(inside.IsIn(inside, 128));
            Assert.IsFalse(inside.IsIn(net, 128));
            inside = Six("20010db8000000000000000000010000");
            Assert.IsTrue(inside.IsIn(net, 64 + 16));
            outside = Six("20010db8000000000000000100000000");
            Assert.IsFalse(outside.IsIn(net, 64 + 32));
        }

        [TestMethod]
        public void Bytes_RoundTrip()
        {
            NetAddress a = Six("20010db885a3000000008a2e03707334");
            byte[] b = new byte[18];
            a.WriteIPv6Bytes(b, 1);
            Assert.AreEqual(0x20, (int)b[1]);
            Assert.AreEqual(0x34, (int)b[16]);
            Assert.IsTrue(NetAddress.FromIPv6Bytes(b, 1).SameAs(a));
        }

        private static NetAddress Six(string hex)
        {
            return NetAddress.FromIPv6Bytes(Bytes.Hex(hex), 0);
        }
    }
}
