// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Portal;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Portal
{
    [TestClass]
    public class CaptiveProbesTests
    {
        private static string[] Hosts()
        {
            return new string[] { "192.168.4.1", "pigeon.setup" };
        }

        [TestMethod]
        [DataRow("connectivitycheck.gstatic.com", "/generate_204")]
        [DataRow("clients3.google.com", "/generate_204")]
        [DataRow("www.google.com", "/gen_204")]
        [DataRow("captive.apple.com", "/hotspot-detect.html")]
        [DataRow("www.msftconnecttest.com", "/connecttest.txt")]
        [DataRow("www.msftncsi.com", "/ncsi.txt")]
        [DataRow("detectportal.firefox.com", "/canonical.html")]
        [DataRow("detectportal.firefox.com", "/success.txt")]
        [DataRow("192.168.4.1", "/generate_204")] // a probe sent to our address directly still opens the sheet
        [DataRow("example.com", "/")] // any unknown host
        [DataRow("whatsapp.net", "/anything")]
        public void Decide_SetupModeProbeOrForeignHost_Redirects(string host, string path)
        {
            Assert.AreEqual((int)ProbeDecision.RedirectToPortal, (int)CaptiveProbes.Decide(true, host, path, Hosts()));
        }

        [TestMethod]
        [DataRow("192.168.4.1", "/")]
        [DataRow("192.168.4.1", "/api/status")]
        [DataRow("pigeon.setup", "/app.js")]
        [DataRow("", "/")] // HTTP/1.0 without Host reached our address
        public void Decide_SetupModePortalItself_IsServedSoNoLoop(string host, string path)
        {
            Assert.AreEqual((int)ProbeDecision.Serve, (int)CaptiveProbes.Decide(true, host, path, Hosts()));
        }

        [TestMethod]
        [DataRow("connectivitycheck.gstatic.com", "/generate_204")]
        [DataRow("captive.apple.com", "/hotspot-detect.html")]
        [DataRow("www.msftconnecttest.com", "/connecttest.txt")]
        [DataRow("192.168.1.20", "/success.txt")]
        public void Decide_RunModeProbe_IsNotFound(string host, string path)
        {
            Assert.AreEqual((int)ProbeDecision.NotFound, (int)CaptiveProbes.Decide(false, host, path, Hosts()));
        }

        [TestMethod]
        [DataRow("192.168.1.20", "/")]
        [DataRow("pigeon.lan", "/api/status")]
        public void Decide_RunModeOtherRequests_AreServed(string host, string path)
        {
            Assert.AreEqual((int)ProbeDecision.Serve, (int)CaptiveProbes.Decide(false, host, path, Hosts()));
        }

        [TestMethod]
        [DataRow("/Generate_204")]
        [DataRow("/generate_204/x")]
        [DataRow("/generate")]
        public void IsProbePath_NearMisses_AreNotProbes(string path)
        {
            Assert.IsFalse(CaptiveProbes.IsProbePath(path));
        }
    }
}
