using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Host.Service;
using Pigeon.Tests.Host.Portal;

namespace Pigeon.Tests.Host.Service
{
    /// <summary>`pigeon health`: the running relay asked through its portal's /health, on 127.0.0.1.</summary>
    [TestClass]
    public class HealthCommandTests
    {
        [TestMethod]
        public void Health_RunningRelay_Exit0_StoppedRelay_Exit1()
        {
            string url;
            string dataDir;
            using (PortalTestHost host = new PortalTestHost())
            {
                StringWriter output = new StringWriter();
                Assert.AreEqual(0, HealthCommand.Run(new[] { "health", "--data-dir", host.DataDir }, output, new StringWriter(), _ => null), output.ToString());
                StringAssert.StartsWith(output.ToString(), "healthy: relaying on 2 of 2 routes (http://127.0.0.1:" + host.PortalPort + "/health)");
                url = host.BaseUrl + "health";
                dataDir = host.DataDir;
            }

            StringWriter after = new StringWriter();
            Assert.AreEqual(1, HealthCommand.Ask(url, after), after.ToString());
            StringAssert.StartsWith(after.ToString(), "unhealthy: no answer from " + url);
            Assert.AreEqual(2, HealthCommand.Run(new[] { "health", "--no-such-option" }, new StringWriter(), new StringWriter(), _ => null));
        }
    }
}
