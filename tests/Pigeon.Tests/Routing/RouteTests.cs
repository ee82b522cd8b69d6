// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Routing;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Routing
{
    [TestClass]
    public class RouteTests
    {
        [TestMethod]
        public void Defaults_WhatsAppTable_ChatAndMediaAsSpecified()
        {
            RouteConfig[] routes = ConfigDefaults.WhatsAppRoutes();
            Assert.AreEqual(4, routes.Length);
            int[] ports = new int[] { 443, 5222, 587, 7777 };
            for (int i = 0; i < routes.Length; i++)
            {
                string error;
                Route r = Route.Build(routes[i], i, out error);
                Assert.IsNotNull(r, error);
                Assert.AreEqual(ports[i], r.ListenPort);
                bool chat = i < 2;
                Assert.AreEqual(chat, r.ProxyProtocol);
                Assert.AreEqual(!chat, r.InspectsSni);
                Assert.AreEqual(chat ? "g.whatsapp.net" : "whatsapp.net", r.UpstreamHost);
                Assert.AreEqual(chat ? 5222 : 443, r.UpstreamPort);
                Assert.AreEqual(chat ? "g-fallback.whatsapp.net" : null, r.FallbackHost);
                Assert.IsFalse(r.AllowTls);
                Assert.IsTrue(r.ListenAddress.IsIPv4 && r.ListenAddress.IsAny);
            }
        }

        [TestMethod]
        public void Build_UpstreamFromSniWithoutAllowList_Refused()
        {
            RouteConfig c = ConfigDefaults.NewRoute();
            c.ListenPort = 9000;
            c.UpstreamPort = 443;
            c.UpstreamFromSni = true;
            string error;
            Assert.IsNull(Route.Build(c, 0, out error));
            Assert.IsTrue(error.IndexOf("open proxy") >= 0, error);
        }

        [TestMethod]
        public void Build_BadFields_NameTheField()
        {
            string error;
            RouteConfig c = ConfigDefaults.ChatRoute(5222);
            c.ListenPort = 70000;
            Assert.IsNull(Route.Build(c, 0, out error));
            Assert.IsTrue(error.IndexOf("listenPort") == 0, error);

            c = ConfigDefaults.ChatRoute(5222);
            c.UpstreamHost = "not a host";
            Assert.IsNull(Route.Build(c, 0, out error));
            Assert.IsTrue(error.IndexOf("upstreamHost") == 0, error);

            c = ConfigDefaults.ChatRoute(5222);
            c.ListenAddress = "10.0.0.300";
            Assert.IsNull(Route.Build(c, 0, out error));
            Assert.IsTrue(error.IndexOf("listenAddress") == 0, error);

            c = ConfigDefaults.MediaRoute(587);
            c.AllowedSni = new string[] { "ok.net", "*" };
            Assert.IsNull(Route.Build(c, 0, out error));
            Assert.IsTrue(error.IndexOf("allowedSni") == 0, error);
        }

        [TestMethod]
        public void Build_UpstreamIpLiteral_Accepted()
        {
            RouteConfig c = ConfigDefaults.ChatRoute(5222);
            c.UpstreamHost = "157.240.1.53";
            c.FallbackHost = "";
            string error;
            Route r = Route.Build(c, 0, out error);
            Assert.IsNotNull(r, error);
            Assert.IsNull(r.FallbackHost);
        }
    }
}
