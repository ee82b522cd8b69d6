// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using Pigeon.Portal;

namespace Pigeon.Tests.Portal
{
    [TestClass]
    public class MetricsAccessTests
    {
        [TestMethod]
        public void IsAuthorized_BearerToken_True()
        {
            Assert.IsTrue(MetricsAccess.IsAuthorized("Bearer 0123456789abcdef", "0123456789abcdef"));
            Assert.IsTrue(MetricsAccess.IsAuthorized("bearer   0123456789abcdef ", "0123456789abcdef"));
        }

        [TestMethod]
        public void IsAuthorized_BasicWithTokenAsPassword_True()
        {
            // "prometheus:0123456789abcdef"
            Assert.IsTrue(MetricsAccess.IsAuthorized("Basic cHJvbWV0aGV1czowMTIzNDU2Nzg5YWJjZGVm", "0123456789abcdef"));
        }

        [TestMethod]
        [DataRow("Bearer 0123456789abcdeF")]
        [DataRow("Bearer 0123456789abcde")]
        [DataRow("Bearer 0123456789abcdef0")]
        [DataRow("Bearer")]
        [DataRow("Token 0123456789abcdef")]
        [DataRow("Basic !!!notbase64")]
        [DataRow("Basic MDEyMzQ1Njc4OWFiY2RlZg==")]
        [DataRow("")]
        public void IsAuthorized_Wrong_False(string header)
        {
            Assert.IsFalse(MetricsAccess.IsAuthorized(header, "0123456789abcdef"));
        }

        [TestMethod]
        public void IsAuthorized_NoOrShortToken_AlwaysFalse()
        {
            Assert.IsFalse(MetricsAccess.IsAuthorized("Bearer ", ""));
            Assert.IsFalse(MetricsAccess.IsAuthorized("Bearer short", "short"));
            Assert.IsFalse(MetricsAccess.IsAuthorized(null, "0123456789abcdef"));
        }
    }
}
