using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Net;
using Pigeon.Reach;
using Pigeon.Tests.Reach;

namespace Pigeon.Tests.Host.Reach
{
    /// <summary>Hostile and broken routers: refused without a crash and without contacting any other address.</summary>
    [TestClass]
    public class UpnpClientTests
    {
        private static UpnpClient Client(FakeRouter router, Recording net)
        {
            return new UpnpClient(net, net, IPv4.Loopback, router.SsdpPort, 600, 1500, 16384);
        }

        [TestMethod]
        public void Discover_Standard_FindsControlUrlOnRouter()
        {
            using FakeRouter router = new FakeRouter();
            Recording net = new Recording();
            UpnpClient client = Client(router, net);
            string error;
            Assert.IsTrue(client.Discover(IPv4.Loopback, out error), error);
            Assert.AreEqual("http://127.0.0.1:" + router.HttpPort + "/ctl/IPConn", client.Service.Control.ToString());
            Assert.AreEqual(IPv4.Loopback, client.Router);
            Assert.AreEqual(IPv4.Loopback, client.LocalAddress);
        }

        [TestMethod]
        public void Discover_LocationOnAnotherAddress_RefusedWithoutContact()
        {
            using FakeRouter router = new FakeRouter { SsdpLocation = "http://10.255.255.1:5000/rootDesc.xml" };
            Recording net = new Recording();
            string error;
            Assert.IsFalse(Client(router, net).Discover(0, out error));
            StringAssert.Contains(error, "pointed at another address");
            Assert.IsTrue(net.OnlyLoopback(), string.Join("; ", net.Contacts));
            Assert.IsFalse(net.Contacts.Exists(c => c.StartsWith("tcp", System.StringComparison.Ordinal)));
        }

        [TestMethod]
        public void Discover_LocationWithHostName_Refused()
        {
            using FakeRouter router = new FakeRouter { SsdpLocation = "http://router.example:5000/rootDesc.xml" };
            Recording net = new Recording();
            string error;
            Assert.IsFalse(Client(router, net).Discover(0, out error));
            StringAssert.Contains(error, "not plain http to an IPv4 address");
            Assert.IsTrue(net.OnlyLoopback());
        }

        [TestMethod]
        public void Discover_ControlUrlOnAnotherHost_RefusedWithoutContact()
        {
            using FakeRouter router = new FakeRouter();
            router.Description = IgdXml.Build(null, "urn:schemas-upnp-org:service:WANIPConnection:1", "http://10.255.255.1:80/ctl/IPConn");
            Recording net = new Recording();
            UpnpClient client = Client(router, net);
            string error;
            Assert.IsFalse(client.Discover(0, out error));
            StringAssert.Contains(error, "another host");
            Assert.IsFalse(client.AddPortMapping(5222, 5222, 3600, "x").Ok);
            Assert.IsTrue(net.OnlyLoopback(), string.Join("; ", net.Contacts));
            Assert.AreEqual(0, router.Count("AddPortMapping"));
        }

        [TestMethod]
        public void Discover_HugeDescription_RefusedAsTooLarge()
        {
            using FakeRouter router = new FakeRouter();
            router.Description = IgdXml.Standard().Replace("<friendlyName>", "<friendlyName>" + new string('A', 300000), System.StringComparison.Ordinal);
            Recording net = new Recording();
            string error;
            Assert.IsFalse(Client(router, net).Discover(0, out error));
            StringAssert.Contains(error, "too large");
        }

        [TestMethod]
        public void Discover_ChunkedDescription_Read()
        {
            using FakeRouter router = new FakeRouter();
            string xml = IgdXml.Standard();
            string half = xml.Substring(0, 700);
            string rest = xml.Substring(700);
            router.RawDescriptionResponse = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/xml\r\n\r\n"
                + half.Length.ToString("x") + "\r\n" + half + "\r\n" + rest.Length.ToString("X") + "\r\n" + rest + "\r\n0\r\n\r\n");
            string error;
            Assert.IsTrue(Client(router, new Recording()).Discover(0, out error), error);
        }

        [TestMethod]
        [DataRow("")]
        [DataRow("\u0000\u0001\u0002garbage\r\n\r\n")]
        [DataRow("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n<root>")]
        [DataRow("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n{\"json\":true}")]
        [DataRow("HTTP/1.1 301 Moved\r\nLocation: http://10.255.255.1/\r\nContent-Length: 0\r\n\r\n")]
        public void Discover_BrokenDescriptionAnswer_RefusedWithoutCrash(string raw)
        {
            using FakeRouter router = new FakeRouter { RawDescriptionResponse = Encoding.Latin1.GetBytes(raw) };
            Recording net = new Recording();
            string error;
            Assert.IsFalse(Client(router, net).Discover(0, out error));
            Assert.IsNotNull(error);
            Assert.IsTrue(net.OnlyLoopback(), string.Join("; ", net.Contacts));
        }

        [TestMethod]
        public void Discover_RouterHangs_TimesOut()
        {
            using FakeRouter router = new FakeRouter { DescriptionDelayMs = 3000 };
            string error;
            System.Diagnostics.Stopwatch watch = System.Diagnostics.Stopwatch.StartNew();
            Assert.IsFalse(Client(router, new Recording()).Discover(0, out error));
            StringAssert.Contains(error, "did not answer in time");
            Assert.IsTrue(watch.ElapsedMilliseconds < 2900, watch.ElapsedMilliseconds.ToString());
        }

        [TestMethod]
        public void Discover_AnswerFromOtherThanGateway_Ignored()
        {
            using FakeRouter router = new FakeRouter();
            string error;
            Assert.IsFalse(Client(router, new Recording()).Discover(0x0A000001, out error));
            StringAssert.Contains(error, "other than the router");
        }

        [TestMethod]
        public void DeletePortMapping_NothingMapped_StillOk()
        {
            using FakeRouter router = new FakeRouter();
            UpnpClient client = Client(router, new Recording());
            string error;
            Assert.IsTrue(client.Discover(0, out error), error);
            Assert.IsTrue(client.DeletePortMapping(5222).Ok);
            Assert.AreEqual(1, router.Count("DeletePortMapping"));
        }
    }
}
