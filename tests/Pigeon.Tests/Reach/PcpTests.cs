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
    public class PcpTests
    {
        // Answer header: version 2, R|MAP, reserved, result, lifetime 7200, epoch 1000, 12 reserved.
        private const string Header = "02 81 00 00 00001c20 000003e8 000000000000000000000000";

        // MAP body: nonce 01..0c, TCP, reserved, internal 5222, external 5222, ::ffff:81.2.69.82.
        private const string Body = "0102030405060708090a0b0c 06 000000 1466 1466 00000000000000000000ffff 51024552";

        private static byte[] Nonce()
        {
            byte[] nonce = new byte[Pcp.NonceLength];
            new CountingRandom().Fill(nonce, 0, nonce.Length);
            return nonce;
        }

        [TestMethod]
        public void BuildMapRequest_Tcp_RfcLayout()
        {
            byte[] request = new byte[Pcp.MapLength];
            Pcp.BuildMapRequest(request, 0, 0xC0A80117u /* 192.168.1.23 */, Nonce(), 5222, 5222, 7200);
            byte[] expected = Bytes.Hex(
                "02 01 0000 00001c20 00000000000000000000ffff c0a80117"
                + "0102030405060708090a0b0c 06 000000 1466 1466 00000000000000000000ffff 00000000");
            Assert.AreEqual(60, expected.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], request[i]);
            }
        }

        [TestMethod]
        public void ParseMapAnswer_Success_PortAddressLifetime()
        {
            byte[] answer = Bytes.Hex(Header + Body);
            NatPmpResult result = Pcp.ParseMapAnswer(answer, 0, answer.Length, Nonce(), 5222);
            Assert.IsTrue(result.Ok);
            Assert.AreEqual(5222, result.ExternalPort);
            Assert.AreEqual("81.2.69.82", IPv4.ToText(result.ExternalAddress));
            Assert.AreEqual(7200, result.LifetimeSeconds);
        }

        [TestMethod]
        [DataRow(1, "does not speak this PCP version")]
        [DataRow(2, "not allowed in its settings")]
        [DataRow(3, "malformed")]
        [DataRow(4, "does not support PCP port mapping")]
        [DataRow(5, "option we sent")]
        [DataRow(6, "option malformed")]
        [DataRow(7, "not connected to the internet")]
        [DataRow(8, "no free port mapping slots")]
        [DataRow(9, "cannot map TCP")]
        [DataRow(10, "quota")]
        [DataRow(11, "cannot give the outside port")]
        [DataRow(12, "address mismatch")]
        [DataRow(13, "too many remote peers")]
        [DataRow(99, "PCP result 99")]
        public void ParseMapAnswer_ResultCode_Sentence(int code, string words)
        {
            byte[] answer = Bytes.Hex(Header + Body);
            answer[3] = (byte)code;
            NatPmpResult result = Pcp.ParseMapAnswer(answer, 0, answer.Length, Nonce(), 5222);
            Assert.IsFalse(result.Ok);
            Assert.IsFalse(result.NoAnswer);
            Assert.AreEqual(code, result.ResultCode);
            Assert.IsTrue(result.Message.IndexOf(words) >= 0, result.Message);
        }

        [TestMethod]
        public void ParseMapAnswer_WrongNonce_Ignored()
        {
            byte[] answer = Bytes.Hex(Header + Body);
            answer[30] ^= 0xFF;
            NatPmpResult result = Pcp.ParseMapAnswer(answer, 0, answer.Length, Nonce(), 5222);
            Assert.IsFalse(result.Ok);
            Assert.AreEqual(-1, result.ResultCode);
            Assert.IsTrue(result.Message.IndexOf("another request") >= 0, result.Message);
        }

        [TestMethod]
        [DataRow(0x01)] // our own request echoed (R bit clear)
        [DataRow(0x82)] // a PEER answer
        [DataRow(0x80)] // an ANNOUNCE answer
        public void ParseMapAnswer_WrongOpcode_Ignored(int op)
        {
            byte[] answer = Bytes.Hex(Header + Body);
            answer[1] = (byte)op;
            NatPmpResult result = Pcp.ParseMapAnswer(answer, 0, answer.Length, Nonce(), 5222);
            Assert.IsFalse(result.Ok);
            Assert.AreEqual(-1, result.ResultCode);
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(3)]
        [DataRow(24)]
        [DataRow(59)]
        public void ParseMapAnswer_ShortPacket_Ignored(int count)
        {
            byte[] answer = Bytes.Hex(Header + Body);
            NatPmpResult result = Pcp.ParseMapAnswer(answer, 0, count, Nonce(), 5222);
            Assert.IsFalse(result.Ok);
            Assert.AreEqual(-1, result.ResultCode);
            Assert.IsTrue(result.Message.IndexOf("too short") >= 0, result.Message);
        }

        [TestMethod]
        public void ParseMapAnswer_CountBeyondBuffer_IgnoredNotThrown()
        {
            byte[] answer = Bytes.Hex(Header + Body);
            NatPmpResult result = Pcp.ParseMapAnswer(answer, 10, answer.Length, Nonce(), 5222);
            Assert.IsFalse(result.Ok);
            Assert.AreEqual(-1, result.ResultCode);
        }

        [TestMethod]
        public void ParseMapAnswer_OtherVersionUnsupported_ResultOne()
        {
            byte[] answer = Bytes.Hex("01 81 00 01 00000000 000003e8 000000000000000000000000");
            NatPmpResult result = Pcp.ParseMapAnswer(answer, 0, answer.Length, Nonce(), 5222);
            Assert.IsFalse(result.Ok);
            Assert.AreEqual(1, result.ResultCode);
        }

        [TestMethod]
        public void ParseMapAnswer_OtherInternalPort_Ignored()
        {
            byte[] answer = Bytes.Hex(Header + Body);
            answer[41] = 0x67;
            NatPmpResult result = Pcp.ParseMapAnswer(answer, 0, answer.Length, Nonce(), 5222);
            Assert.IsFalse(result.Ok);
            Assert.AreEqual(-1, result.ResultCode);
        }

        [TestMethod]
        public void ParseMapAnswer_ExternalAddressIPv6_Ignored()
        {
            byte[] answer = Bytes.Hex(Header + Body);
            answer[44] = 0x20;
            answer[45] = 0x01;
            NatPmpResult result = Pcp.ParseMapAnswer(answer, 0, answer.Length, Nonce(), 5222);
            Assert.IsFalse(result.Ok);
            Assert.IsTrue(result.Message.IndexOf("not IPv4") >= 0, result.Message);
        }

        [TestMethod]
        public void NatPmpParseAddressAnswer_PcpOnlyRouter_UnsupportedVersion()
        {
            byte[] answer = Bytes.Hex("02 80 00 01 00000000 000003e8 000000000000000000000000");
            NatPmpResult result = NatPmp.ParseAddressAnswer(answer, 0, answer.Length);
            Assert.IsFalse(result.Ok);
            Assert.AreEqual(1, result.ResultCode);
            Assert.IsTrue(result.Message.IndexOf("PCP") >= 0, result.Message);
        }
    }
}
