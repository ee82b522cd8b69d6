// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Tests.Support;
using Pigeon.Upstream;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Upstream
{
    [TestClass]
    public class ProxyHeaderTests
    {
        private const uint ClientV4 = 0xC6336407; // 198.51.100.7
        private const uint RelayV4 = 0xCB00710A;  // 203.0.113.10
        private static readonly NetAddress Client = NetAddress.FromIPv4(ClientV4);
        private static readonly NetAddress Relay = NetAddress.FromIPv4(RelayV4);

        [TestMethod]
        public void Write_V1_IsTheExactLine()
        {
            byte[] b = new byte[ProxyHeader.MaxLength];
            int n = ProxyHeader.Write(1, Client, 40001, Relay, 443, b, 0);
            Assert.AreEqual("PROXY TCP4 198.51.100.7 203.0.113.10 40001 443\r\n", Bytes.Text(b, 0, n));
        }

        [TestMethod]
        public void Write_V2_IsTheExactBinaryHeader()
        {
            byte[] b = new byte[ProxyHeader.MaxLength];
            int n = ProxyHeader.Write(2, Client, 40001, Relay, 443, b, 0);
            Assert.AreEqual(ProxyHeader.V2Length, n);
            byte[] expected = Bytes.Hex("0D0A0D0A000D0A515549540A" + "21" + "11" + "000C" + "C6336407" + "CB00710A" + "9C41" + "01BB");
            for (int i = 0; i < n; i++)
            {
                Assert.AreEqual(expected[i], b[i], "byte " + i.ToString());
            }
        }

        [TestMethod]
        public void Write_VersionZero_WritesNothing()
        {
            Assert.AreEqual(0, ProxyHeader.Write(0, Client, 1, Relay, 2, new byte[4], 0));
        }

        [TestMethod]
        public void Read_OwnV1AndV2_RoundTrip()
        {
            byte[] b = new byte[64];
            for (int version = 1; version <= 2; version++)
            {
                int n = ProxyHeader.Write(version, Client, 40001, Relay, 443, b, 0);
                ProxyHeaderReader r = new ProxyHeaderReader();
                Assert.AreEqual(ProxyHeaderReader.Done, r.Read(b, 0, n), "v" + version.ToString());
                Assert.AreEqual(n, r.Length);
                Assert.IsTrue(r.HasAddresses);
                Assert.AreEqual(ClientV4, r.SourceAddress.IPv4);
                Assert.AreEqual(40001, r.SourcePort);
                Assert.AreEqual(RelayV4, r.DestinationAddress.IPv4);
                Assert.AreEqual(443, r.DestinationPort);
                for (int cut = 0; cut < n; cut++)
                {
                    Assert.AreEqual(ProxyHeaderReader.NeedMore, r.Read(b, 0, cut), "v" + version.ToString() + " cut at " + cut.ToString());
                }
            }
        }

        [TestMethod]
        public void Read_V1Unknown_AcceptedWithoutAddresses()
        {
            ProxyHeaderReader r = new ProxyHeaderReader();
            byte[] unknown = Bytes.Ascii("PROXY UNKNOWN\r\nWA");
            Assert.AreEqual(ProxyHeaderReader.Done, r.Read(unknown, 0, unknown.Length));
            Assert.AreEqual(15, r.Length);
            Assert.IsFalse(r.HasAddresses);
        }

        [TestMethod]
        public void Write_Ipv6Client_V1Tcp6AndV2Inet6_V2RoundTrip()
        {
            // 2001:db8:85a3::8a2e:370:7334 (reading IPv6 text, and so a TCP6 line, is the host's:
            // Host/Upstream/ProxyHeaderTcp6Tests).
            NetAddress client = NetAddress.FromIPv6Bytes(Bytes.Hex("20010db885a3000000008a2e03707334"), 0);
            byte[] b = new byte[ProxyHeader.MaxLength];
            int n = ProxyHeader.Write(1, client, 40001, Relay, 443, b, 0);
            Assert.AreEqual("PROXY TCP6 2001:db8:85a3::8a2e:370:7334 ::ffff:203.0.113.10 40001 443\r\n", Bytes.Text(b, 0, n));
            n = ProxyHeader.Write(2, client, 40001, Relay, 443, b, 0);
            Assert.AreEqual(ProxyHeader.V2Length6, n);
            Assert.AreEqual(0x21, (int)b[13], "AF_INET6, STREAM");
            ProxyHeaderReader r = new ProxyHeaderReader();
            Assert.AreEqual(ProxyHeaderReader.Done, r.Read(b, 0, n));
            Assert.IsTrue(r.SourceAddress.SameAs(client));
            Assert.AreEqual(RelayV4, r.DestinationAddress.IPv4);
        }

        [TestMethod]
        public void Write_LongestLine_FitsMaxLength()
        {
            NetAddress longest = NetAddress.FromIPv6Bytes(Bytes.Hex("fffffffffffffffffffffffffffffffe"), 0);
            byte[] b = new byte[ProxyHeader.MaxLength];
            Assert.AreEqual(ProxyHeader.MaxLength, ProxyHeader.Write(1, longest, 65535, longest, 65535, b, 0));
        }

        [TestMethod]
        public void Read_V2LocalAndTlvs_SkippedByLength()
        {
            ProxyHeaderReader r = new ProxyHeaderReader();
            byte[] local = Bytes.Hex("0D0A0D0A000D0A515549540A" + "20" + "00" + "0000" + "5741");
            Assert.AreEqual(ProxyHeaderReader.Done, r.Read(local, 0, local.Length));
            Assert.AreEqual(16, r.Length);
            Assert.IsFalse(r.HasAddresses);
            byte[] tlv = Bytes.Hex("0D0A0D0A000D0A515549540A" + "21" + "11" + "0011" + "C6336407" + "CB00710A" + "9C41" + "01BB" + "0500020102" + "57");
            Assert.AreEqual(ProxyHeaderReader.Done, r.Read(tlv, 0, tlv.Length));
            Assert.AreEqual(16 + 17, r.Length);
            Assert.AreEqual(ClientV4, r.SourceAddress.IPv4);
        }

        [TestMethod]
        public void Read_Malformed_Invalid()
        {
            string[] lines = new string[]
            {
                "GET / HTTP/1.1\r\n",
                "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n",
                "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n",
                "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n",
                "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n",
                "PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n",
                "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n",
                "PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n",
                "PROXY TCP6 not-an-address ::1 1 2\r\n",
                "PROXY TCP6 1.2.3.4 ::1 1 2\r\n",
                "PROXY TCP4 ::ffff:1.2.3.4 5.6.7.8 1 2\r\n",
                "PROXY TCP6 1::2::3 ::1 1 2\r\n",
                "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\r\n",
                "proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n",
            };
            ProxyHeaderReader r = new ProxyHeaderReader();
            for (int i = 0; i < lines.Length; i++)
            {
                byte[] b = Bytes.Ascii(lines[i]);
                Assert.AreEqual(ProxyHeaderReader.Invalid, r.Read(b, 0, b.Length), lines[i]);
            }

            byte[] endless = new byte[200];
            byte[] start = Bytes.Ascii("PROXY UNKNOWN ");
            for (int i = 0; i < endless.Length; i++)
            {
                endless[i] = i < start.Length ? start[i] : (byte)'x';
            }

            Assert.AreEqual(ProxyHeaderReader.Invalid, r.Read(endless, 0, endless.Length), "no CRLF within 107 bytes");

            byte[] v2BadVersion = Bytes.Hex("0D0A0D0A000D0A515549540A" + "11" + "11" + "000C" + "C6336407CB00710A9C4101BB");
            Assert.AreEqual(ProxyHeaderReader.Invalid, r.Read(v2BadVersion, 0, v2BadVersion.Length));
            byte[] v2BadCommand = Bytes.Hex("0D0A0D0A000D0A515549540A" + "2F" + "11" + "000C" + "C6336407CB00710A9C4101BB");
            Assert.AreEqual(ProxyHeaderReader.Invalid, r.Read(v2BadCommand, 0, v2BadCommand.Length));
            byte[] v2Short = Bytes.Hex("0D0A0D0A000D0A515549540A" + "21" + "11" + "0004" + "C6336407");
            Assert.AreEqual(ProxyHeaderReader.Invalid, r.Read(v2Short, 0, v2Short.Length), "TCP4 without room for addresses");
            byte[] v2Huge = Bytes.Hex("0D0A0D0A000D0A515549540A" + "21" + "11" + "FFFF");
            Assert.AreEqual(ProxyHeaderReader.Invalid, r.Read(v2Huge, 0, v2Huge.Length), "longer than the cap");
            byte[] v2BadSignature = Bytes.Hex("0D0A0D0A000D0A515549540B");
            Assert.AreEqual(ProxyHeaderReader.Invalid, r.Read(v2BadSignature, 0, v2BadSignature.Length));
        }
    }
}
