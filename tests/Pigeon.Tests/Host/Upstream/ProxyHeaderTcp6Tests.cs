using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Tests.Support;
using Pigeon.Upstream;

namespace Pigeon.Tests.Host.Upstream
{
    /// <summary>
    /// Host-only: PROXY v1 TCP6 lines read (their IPv6 text is the host's, NetAddress.Host.cs; a
    /// board refuses such a line). The rest of the PROXY header is the shared ProxyHeaderTests'.
    /// </summary>
    [TestClass]
    public class ProxyHeaderTcp6Tests
    {
        private const uint ClientV4 = 0xC6336407; // 198.51.100.7
        private const uint RelayV4 = 0xCB00710A;  // 203.0.113.10
        private static readonly NetAddress Relay = NetAddress.FromIPv4(RelayV4);

        [TestMethod]
        public void Read_V1Tcp6_CarriesTheIPv6Client()
        {
            ProxyHeaderReader r = new ProxyHeaderReader();
            byte[] six = Bytes.Ascii("PROXY TCP6 2001:db8:0:7::1 2001:db8::2 40001 443\r\n");
            Assert.AreEqual(ProxyHeaderReader.Done, r.Read(six, 0, six.Length));
            Assert.IsTrue(r.HasAddresses);
            Assert.AreEqual("2001:db8:0:7::1", r.SourceAddress.ToString());
            Assert.AreEqual("2001:db8::2", r.DestinationAddress.ToString());
            Assert.AreEqual(40001, r.SourcePort);
            byte[] mapped = Bytes.Ascii("PROXY TCP6 ::ffff:198.51.100.7 2001:db8::2 40001 443\r\n");
            Assert.AreEqual(ProxyHeaderReader.Done, r.Read(mapped, 0, mapped.Length));
            Assert.AreEqual(ClientV4, r.SourceAddress.IPv4, "an IPv4 client of a dual-stack balancer");
        }

        [TestMethod]
        public void Write_Ipv6Client_V1Tcp6_RoundTrip()
        {
            NetAddress client;
            Assert.IsTrue(NetAddress.TryParse("2001:db8:85a3::8a2e:370:7334", out client));
            byte[] b = new byte[ProxyHeader.MaxLength];
            int n = ProxyHeader.Write(1, client, 40001, Relay, 443, b, 0);
            ProxyHeaderReader r = new ProxyHeaderReader();
            Assert.AreEqual(ProxyHeaderReader.Done, r.Read(b, 0, n));
            Assert.IsTrue(r.SourceAddress.SameAs(client));
            Assert.AreEqual(RelayV4, r.DestinationAddress.IPv4);
        }
    }
}
