// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using Pigeon.Reach;

namespace Pigeon.Tests.Reach
{
    [TestClass]
    public class IgdDescriptionTests
    {
        [TestMethod]
        public void Parse_Standard_WanIpControlUrl()
        {
            string error;
            IgdService[] services = IgdDescription.Parse(IgdXml.Standard(), HttpUrl.Parse("http://192.168.1.1:5000/rootDesc.xml"), out error);
            Assert.IsNull(error);
            Assert.AreEqual(1, services.Length);
            Assert.AreEqual("urn:schemas-upnp-org:service:WANIPConnection:1", services[0].ServiceType);
            Assert.AreEqual("http://192.168.1.1:5000/ctl/IPConn", services[0].Control.ToString());
            Assert.IsFalse(services[0].IsPpp);
        }

        [TestMethod]
        public void Parse_PppV2WithUrlBase_Found()
        {
            string xml = IgdXml.Build("http://192.168.1.1:49000/", "urn:schemas-upnp-org:service:WANPPPConnection:2", "/upnp/control/wanpppconn1");
            string error;
            IgdService[] services = IgdDescription.Parse(xml, HttpUrl.Parse("http://192.168.1.1:49000/igddesc.xml"), out error);
            Assert.AreEqual(1, services.Length);
            Assert.IsTrue(services[0].IsPpp);
            Assert.AreEqual("http://192.168.1.1:49000/upnp/control/wanpppconn1", services[0].Control.ToString());
        }

        [TestMethod]
        public void Parse_ControlUrlOnAnotherHost_Refused()
        {
            string xml = IgdXml.Build(null, "urn:schemas-upnp-org:service:WANIPConnection:1", "http://203.0.113.9:80/ctl/IPConn");
            string error;
            IgdService[] services = IgdDescription.Parse(xml, HttpUrl.Parse("http://192.168.1.1:5000/rootDesc.xml"), out error);
            Assert.AreEqual(0, services.Length);
            Assert.IsTrue(error.IndexOf("another host") >= 0);
        }

        [TestMethod]
        public void Parse_UrlBaseOnAnotherHost_Refused()
        {
            string xml = IgdXml.Build("http://10.66.66.66:5000/", "urn:schemas-upnp-org:service:WANIPConnection:1", "/ctl/IPConn");
            string error;
            IgdService[] services = IgdDescription.Parse(xml, HttpUrl.Parse("http://192.168.1.1:5000/rootDesc.xml"), out error);
            Assert.AreEqual(0, services.Length);
            Assert.IsNotNull(error);
        }

        [TestMethod]
        public void Parse_ControlUrlWithHostName_Refused()
        {
            string xml = IgdXml.Build(null, "urn:schemas-upnp-org:service:WANIPConnection:1", "http://evil.example/ctl");
            string error;
            Assert.AreEqual(0, IgdDescription.Parse(xml, HttpUrl.Parse("http://192.168.1.1:5000/rootDesc.xml"), out error).Length);
        }

        [TestMethod]
        public void Parse_NoWanService_EmptyWithReason()
        {
            string xml = IgdXml.Build(null, "urn:schemas-upnp-org:service:WANEthernetLinkConfig:1", "/ctl/x");
            string error;
            Assert.AreEqual(0, IgdDescription.Parse(xml, HttpUrl.Parse("http://192.168.1.1:5000/rootDesc.xml"), out error).Length);
            Assert.IsTrue(error.IndexOf("no WAN connection service") >= 0);
        }

        [TestMethod]
        public void Parse_GarbageAndNesting_NoCrash()
        {
            string error;
            HttpUrl location = HttpUrl.Parse("http://192.168.1.1:5000/rootDesc.xml");
            string nested = "";
            for (int i = 0; i < 2000; i++)
            {
                nested += "<a>";
            }

            Assert.AreEqual(0, IgdDescription.Parse(nested, location, out error).Length);
            Assert.AreEqual(0, IgdDescription.Parse("<serviceType>urn:schemas-upnp-org:service:WANIPConnection:1", location, out error).Length);
            Assert.AreEqual(0, IgdDescription.Parse("<!DOCTYPE x [<!ENTITY a \"&a;&a;\">]><root>&a;</root>", location, out error).Length);
            Assert.AreEqual(0, IgdDescription.Parse(null, location, out error).Length);
        }

        [TestMethod]
        public void Element_Prefixed_Found()
        {
            string body = "<s:Envelope><s:Body><u:GetExternalIPAddressResponse xmlns:u=\"x\"><NewExternalIPAddress>81.2.69.160</NewExternalIPAddress></u:GetExternalIPAddressResponse></s:Body></s:Envelope>";
            Assert.AreEqual("81.2.69.160", IgdDescription.Element(body, "NewExternalIPAddress", 0, body.Length));
            Assert.AreEqual("x", IgdDescription.Element("<m:errorCode>x</m:errorCode>", "errorCode", 0, 28));
        }

        [TestMethod]
        public void Unescape_Entities_Decoded()
        {
            Assert.AreEqual("/ctl?a=1&b=<2>", IgdDescription.Unescape("/ctl?a=1&amp;b=&lt;2&gt;"));
            Assert.AreEqual("a&b", IgdDescription.Unescape("a&b"));
        }
    }
}
