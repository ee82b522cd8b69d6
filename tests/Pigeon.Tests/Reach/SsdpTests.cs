// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using Pigeon.Reach;
using Pigeon.Tests.Support;

namespace Pigeon.Tests.Reach
{
    [TestClass]
    public class SsdpTests
    {
        [TestMethod]
        public void BuildSearch_Igd_HasTheFourHeaders()
        {
            byte[] search = Ssdp.BuildSearch(Ssdp.GatewayType);
            string text = Bytes.Text(search, 0, search.Length);
            Assert.IsTrue(text.IndexOf("M-SEARCH * HTTP/1.1\r\n") == 0);
            Assert.IsTrue(text.IndexOf("HOST: 239.255.255.250:1900\r\n") > 0);
            Assert.IsTrue(text.IndexOf("MAN: \"ssdp:discover\"\r\n") > 0);
            Assert.IsTrue(text.IndexOf("MX: 2\r\n") > 0);
            Assert.IsTrue(text.IndexOf("ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n\r\n") > 0);
        }

        [TestMethod]
        public void ParseAnswer_MiniUpnpd_LocationAndSt()
        {
            byte[] raw = Bytes.Ascii("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                + "USN: uuid:1234::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nEXT:\r\nSERVER: OpenWRT/21 UPnP/1.1 MiniUPnPd/2.2.1\r\n"
                + "location: http://192.168.1.1:5000/rootDesc.xml\r\n\r\n");
            string location;
            string st;
            Assert.IsTrue(Ssdp.ParseAnswer(raw, raw.Length, out location, out st));
            Assert.AreEqual("http://192.168.1.1:5000/rootDesc.xml", location);
            Assert.AreEqual("urn:schemas-upnp-org:device:InternetGatewayDevice:1", st);
        }

        [TestMethod]
        [DataRow("NOTIFY * HTTP/1.1\r\nLOCATION: http://192.168.1.1/\r\n\r\n")]
        [DataRow("HTTP/1.1 404 Not Found\r\nLOCATION: http://192.168.1.1/\r\n\r\n")]
        [DataRow("HTTP/1.1 200 OK\r\nST: x\r\n\r\n")]
        [DataRow("HTTP/1.1 200")]
        [DataRow("")]
        public void ParseAnswer_NotASearchAnswer_False(string text)
        {
            byte[] raw = Bytes.Ascii(text);
            string location;
            string st;
            Assert.IsFalse(Ssdp.ParseAnswer(raw, raw.Length, out location, out st));
        }
    }
}
