using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Host;
using Pigeon.Host.Service;

namespace Pigeon.Tests.Host.Service
{
    /// <summary>A portal beyond 127.0.0.1 only once an admin password exists.</summary>
    [TestClass]
    public class PortalExposureTests
    {
        private static PigeonConfig Config(string listen, bool password)
        {
            PigeonConfig config = ConfigDefaults.Create(false);
            config.Portal.ListenAddress = listen;
            if (password)
            {
                Assert.IsTrue(AdminPassword.Set(config.Admin, "a long password", new Pbkdf2PasswordHasher(1000)));
            }

            return config;
        }

        [TestMethod]
        public void Loopback_AlwaysAllowed()
        {
            Assert.IsNull(PortalExposure.Refusal(Config("127.0.0.1", false)));
            Assert.IsNull(PortalExposure.Refusal(Config("127.0.0.2", false)));
            Assert.AreEqual("127.0.0.1", ConfigDefaults.Create(false).Portal.ListenAddress, "the host's default is loopback");
            Assert.IsNull(PortalExposure.Refusal(ConfigDefaults.Create(false)));
        }

        [TestMethod]
        public void OtherAddress_RefusedWithoutPassword_SayingWhatToDo()
        {
            string refusal = PortalExposure.Refusal(Config("0.0.0.0", false));
            Assert.IsNotNull(refusal);
            StringAssert.Contains(refusal, "portal.listenAddress is 0.0.0.0");
            StringAssert.Contains(refusal, "no admin password is set");
            StringAssert.Contains(refusal, "ssh -L 8080:127.0.0.1:8080");
            Assert.IsNotNull(PortalExposure.Refusal(Config("192.168.1.5", false)));
        }

        [TestMethod]
        public void OtherAddress_AllowedOnceThePasswordIsSet()
        {
            Assert.IsNull(PortalExposure.Refusal(Config("0.0.0.0", true)));
        }
    }
}
