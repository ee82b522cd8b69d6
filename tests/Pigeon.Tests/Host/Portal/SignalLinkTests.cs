using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Json;
using Pigeon.Portal;
using Pigeon.Tests.Portal;
using Pigeon.Text;

namespace Pigeon.Tests.Host.Portal
{
    /// <summary>
    /// Host-only: Signal's proxy link in /api/status (StatusWriter.Host.cs, ShareLink.Host.cs: it
    /// needs a TLS route, which a board cannot have). The WhatsApp links are the shared ShareLinkTests'.
    /// </summary>
    [TestClass]
    public class SignalLinkTests
    {
        [TestMethod]
        public void Signal_LinkForTheHost_WhenA443RoutePassesSignalThrough()
        {
            FakePortalBackend b = new FakePortalBackend(false);
            PigeonConfig config = b.LoadConfig();
            Assert.IsNotNull(ShareLinkTests.ShareOf(b, config).Get("signal"), "the host's 443 route passes Signal through by default");
            config.Relay.Routes[0].SignalSni = new string[0];
            Assert.IsNull(ShareLinkTests.ShareOf(b, config).Get("signal"), "no Signal hosts on the route: no link");
            config.Relay.Routes[0].SignalSni = ConfigDefaults.SignalAllowedSni();
            JsonNode signal = ShareLinkTests.ShareOf(b, config).Get("signal");
            Assert.IsNotNull(signal);
            Assert.AreEqual("https://signal.tube/#" + ShareLink.Escape(signal.Get("host").Text), signal.Get("link").Text);
            config.Relay.Routes[0].ListenPort = 8443;
            Assert.IsNull(ShareLinkTests.ShareOf(b, config).Get("signal"), "Signal's app dials 443 only");
        }
    }
}
