// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using Pigeon.Net;
using Pigeon.Reach;
using Pigeon.Tests.Support;

namespace Pigeon.Tests.Reach
{
    [TestClass]
    public class NatPmpTests
    {
        [TestMethod]
        public void BuildMapRequest_Tcp_RfcLayout()
        {
            byte[] request = new byte[12];
            NatPmp.BuildMapRequest(request, 0, 5222, 5223, 7200);
            byte[] expected = Bytes.Hex("00 02 0000 1466 1467 00001c20");
            Assert.AreEqual(expected.Length, request.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], request[i]);
            }
        }

        [TestMethod]
        public void ParseAddressAnswer_Success_Address()
        {
            byte[] answer = Bytes.Hex("00 80 0000 00000e10 51024552");
            NatPmpResult result = NatPmp.ParseAddressAnswer(answer, 0, answer.Length);
            Assert.IsTrue(result.Ok);
            Assert.AreEqual("81.2.69.82", IPv4.ToText(result.ExternalAddress));
        }

        [TestMethod]
        public void ParseMapAnswer_Success_PortAndLifetime()
        {
            byte[] answer = Bytes.Hex("00 82 0000 00000e10 1466 1f90 00000e10");
            NatPmpResult result = NatPmp.ParseMapAnswer(answer, 0, answer.Length, 5222);
            Assert.IsTrue(result.Ok);
            Assert.AreEqual(8080, result.ExternalPort);
            Assert.AreEqual(3600, result.LifetimeSeconds);
        }

        [TestMethod]
        [DataRow(1, "version")]
        [DataRow(2, "off in its settings")]
        [DataRow(3, "not connected to the internet")]
        [DataRow(4, "no free port mapping slots")]
        [DataRow(5, "does not support")]
        [DataRow(77, "result 77")]
        public void ParseMapAnswer_ResultCode_Sentence(int code, string words)
        {
            byte[] answer = Bytes.Hex("00 82 0000 00000e10 1466 0000 00000000");
            answer[3] = (byte)code;
            NatPmpResult result = NatPmp.ParseMapAnswer(answer, 0, answer.Length, 5222);
            Assert.IsFalse(result.Ok);
            Assert.AreEqual(code, result.ResultCode);
            Assert.IsTrue(result.Message.IndexOf(words) >= 0);
        }

        [TestMethod]
        public void ParseMapAnswer_Hostile_Refused()
        {
            Assert.IsFalse(NatPmp.ParseMapAnswer(Bytes.Hex("00 82 00"), 0, 3, 5222).Ok);
            Assert.IsFalse(NatPmp.ParseMapAnswer(Bytes.Hex("00 82 0000 00000e10 1466"), 0, 10, 5222).Ok);
            Assert.IsFalse(NatPmp.ParseMapAnswer(Bytes.Hex("02 82 0000 00000e10 1466 1466 00000e10"), 0, 16, 5222).Ok);
            Assert.IsFalse(NatPmp.ParseMapAnswer(Bytes.Hex("00 81 0000 00000e10 1466 1466 00000e10"), 0, 16, 5222).Ok);
            Assert.IsFalse(NatPmp.ParseMapAnswer(Bytes.Hex("00 82 0000 00000e10 0050 1466 00000e10"), 0, 16, 5222).Ok);
            Assert.IsFalse(NatPmp.ParseMapAnswer(Bytes.Hex("00 82 0000"), 0, 40, 5222).Ok);
            Assert.IsFalse(NatPmp.ParseAddressAnswer(Bytes.Hex("00 80 0000 00000e10"), 0, 8).Ok);
        }
    }
}
