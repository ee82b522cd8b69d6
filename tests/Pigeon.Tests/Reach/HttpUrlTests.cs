// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using Pigeon.Net;
using Pigeon.Reach;

namespace Pigeon.Tests.Reach
{
    [TestClass]
    public class HttpUrlTests
    {
        [TestMethod]
        public void Parse_RouterLocation_HostPortPath()
        {
            HttpUrl url = HttpUrl.Parse("http://192.168.1.1:5000/rootDesc.xml");
            Assert.IsNotNull(url);
            Assert.AreEqual("192.168.1.1", IPv4.ToText(url.Address));
            Assert.AreEqual(5000, url.Port);
            Assert.AreEqual("/rootDesc.xml", url.Path);
            Assert.AreEqual("192.168.1.1:5000", url.HostHeader);
        }

        [TestMethod]
        public void Parse_NoPortNoPath_Defaults()
        {
            HttpUrl url = HttpUrl.Parse("HTTP://10.0.0.1");
            Assert.IsNotNull(url);
            Assert.AreEqual(80, url.Port);
            Assert.AreEqual("/", url.Path);
        }

        [TestMethod]
        [DataRow("https://192.168.1.1/desc.xml")]
        [DataRow("http://router.lan:5000/desc.xml")]
        [DataRow("http://user@192.168.1.1/desc.xml")]
        [DataRow("http://192.168.1.1:0/desc.xml")]
        [DataRow("http://192.168.1.1:70000/desc.xml")]
        [DataRow("http://192.168.1.1:80x/desc.xml")]
        [DataRow("http://192.168.1.1/desc xml")]
        [DataRow("ftp://192.168.1.1/")]
        [DataRow("")]
        public void Parse_NotPlainHttpToIPv4_Null(string text)
        {
            Assert.IsNull(HttpUrl.Parse(text));
        }

        [TestMethod]
        public void Resolve_RelativeControlUrl_JoinedToBase()
        {
            HttpUrl baseUrl = HttpUrl.Parse("http://192.168.1.1:5000/rootDesc.xml");
            HttpUrl control = HttpUrl.Resolve(baseUrl, "/ctl/IPConn");
            Assert.AreEqual("http://192.168.1.1:5000/ctl/IPConn", control.ToString());
            Assert.AreEqual("http://192.168.1.1:5000/upnp/control", HttpUrl.Resolve(baseUrl, "upnp/control").ToString());
        }

        [TestMethod]
        public void Resolve_AbsoluteElsewhere_KeepsOtherAddress()
        {
            HttpUrl baseUrl = HttpUrl.Parse("http://192.168.1.1:5000/rootDesc.xml");
            HttpUrl control = HttpUrl.Resolve(baseUrl, "http://10.9.9.9:80/ctl");
            Assert.AreEqual("10.9.9.9", IPv4.ToText(control.Address)); // the caller refuses it (IgdDescription)
            Assert.IsNull(HttpUrl.Resolve(baseUrl, "//10.9.9.9/ctl"));
            Assert.IsNull(HttpUrl.Resolve(baseUrl, ""));
        }
    }
}
