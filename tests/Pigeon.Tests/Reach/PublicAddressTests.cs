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
    public class PublicAddressTests
    {
        [TestMethod]
        [DataRow("0.0.0.0", (int)AddressKind.None)]
        [DataRow("100.64.0.1", (int)AddressKind.CarrierGradeNat)]
        [DataRow("100.127.255.254", (int)AddressKind.CarrierGradeNat)]
        [DataRow("100.63.255.255", (int)AddressKind.Public)]
        [DataRow("100.128.0.0", (int)AddressKind.Public)]
        [DataRow("10.1.2.3", (int)AddressKind.Private)]
        [DataRow("172.16.0.1", (int)AddressKind.Private)]
        [DataRow("172.31.255.255", (int)AddressKind.Private)]
        [DataRow("172.32.0.1", (int)AddressKind.Public)]
        [DataRow("192.168.178.1", (int)AddressKind.Private)]
        [DataRow("127.0.0.1", (int)AddressKind.Unusable)]
        [DataRow("169.254.1.1", (int)AddressKind.Unusable)]
        [DataRow("224.0.0.1", (int)AddressKind.Unusable)]
        [DataRow("255.255.255.255", (int)AddressKind.Unusable)]
        [DataRow("192.0.2.7", (int)AddressKind.Unusable)]
        [DataRow("198.18.0.1", (int)AddressKind.Unusable)]
        [DataRow("8.8.8.8", (int)AddressKind.Public)]
        [DataRow("81.2.69.160", (int)AddressKind.Public)]
        public void Classify_EachRange_Kind(string text, int expected)
        {
            uint address;
            Assert.IsTrue(IPv4.TryParse(text, out address));
            Assert.AreEqual(expected, (int)PublicAddress.Classify(address));
        }

        [TestMethod]
        public void Explain_CarrierGradeNat_SaysCannotBeReached()
        {
            Assert.IsTrue(PublicAddress.Explain(AddressKind.CarrierGradeNat).IndexOf("cannot be reached from outside") >= 0);
            Assert.IsTrue(PublicAddress.Explain(AddressKind.Private).IndexOf("cannot be reached from outside") >= 0);
            Assert.IsTrue(PublicAddress.Explain(AddressKind.None).IndexOf("cannot be reached from outside") >= 0);
            Assert.IsTrue(PublicAddress.Explain(AddressKind.Public).IndexOf("cannot") < 0);
        }

        [TestMethod]
        public void IsReachable_OnlyPublic_True()
        {
            Assert.IsTrue(PublicAddress.IsReachable(AddressKind.Public));
            Assert.IsFalse(PublicAddress.IsReachable(AddressKind.CarrierGradeNat));
            Assert.IsFalse(PublicAddress.IsReachable(AddressKind.None));
        }
    }
}
