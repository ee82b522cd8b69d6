// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using System;
using Pigeon.Tests.Support;
using Pigeon.Tls;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Tls
{
    [TestClass]
    public class ClientHelloReaderTests
    {
        private static string Host(ClientHelloReader reader)
        {
            return Bytes.Text(reader.HostBuffer, reader.HostOffset, reader.HostLength);
        }

        [TestMethod]
        public void Read_WholeHello_FindsHostInPlace()
        {
            byte[] hello = new HelloBuilder().Build();
            ClientHelloReader reader = new ClientHelloReader();
            Assert.AreEqual(HelloResult.Found, reader.Read(hello, 0, hello.Length));
            Assert.AreEqual("media.whatsapp.net", Host(reader));
            Assert.IsTrue(reader.HostInInput);
            Assert.AreEqual(HelloBuilder.IndexOf(hello, "media.whatsapp.net"), reader.HostOffset);
            Assert.AreEqual(hello.Length, reader.HelloLength);
        }

        [TestMethod]
        public void Read_AtOffsetWithTrailingBytes_FindsHost()
        {
            byte[] hello = new HelloBuilder().Build();
            byte[] buffer = new byte[hello.Length + 20];
            Array.Copy(hello, 0, buffer, 7, hello.Length);
            ClientHelloReader reader = new ClientHelloReader();
            Assert.AreEqual(HelloResult.Found, reader.Read(buffer, 7, hello.Length + 13));
            Assert.AreEqual("media.whatsapp.net", Host(reader));
            Assert.AreEqual(hello.Length, reader.HelloLength);
        }

        [TestMethod]
        public void Read_EveryPrefix_IsNeedMoreUntilComplete()
        {
            byte[] hello = new HelloBuilder { SniLast = true, Padding = 1500 }.Build();
            ClientHelloReader reader = new ClientHelloReader();
            for (int n = 0; n < hello.Length; n++)
            {
                Assert.AreEqual(HelloResult.NeedMore, reader.Read(hello, 0, n), "prefix " + n.ToString());
            }

            Assert.AreEqual(HelloResult.Found, reader.Read(hello, 0, hello.Length));
        }

        [TestMethod]
        public void Read_SplitIntoRecordsAtEveryOffset_FindsHost()
        {
            byte[] handshake = new HelloBuilder().Handshake();
            ClientHelloReader reader = new ClientHelloReader();
            for (int cut = 1; cut < handshake.Length; cut++)
            {
                byte[] framed = HelloBuilder.Frame(handshake, new int[] { cut });
                Assert.AreEqual(HelloResult.Found, reader.Read(framed, 0, framed.Length), "cut " + cut.ToString());
                Assert.AreEqual("media.whatsapp.net", Host(reader));
            }
        }

        [TestMethod]
        public void Read_HostSplitAcrossRecords_CopiesIntoScratch()
        {
            byte[] handshake = new HelloBuilder().Handshake();
            int at = HelloBuilder.IndexOf(handshake, "media.whatsapp.net");
            byte[] framed = HelloBuilder.Frame(handshake, new int[] { at + 3, at + 9 });
            ClientHelloReader reader = new ClientHelloReader();
            Assert.AreEqual(HelloResult.Found, reader.Read(framed, 0, framed.Length));
            Assert.IsFalse(reader.HostInInput);
            Assert.AreEqual("media.whatsapp.net", Host(reader));
        }

        [TestMethod]
        public void Read_OneByteRecords_FindsHost()
        {
            byte[] handshake = new HelloBuilder { Grease = false }.Handshake();
            int[] cuts = new int[handshake.Length - 1];
            for (int i = 0; i < cuts.Length; i++)
            {
                cuts[i] = i + 1;
            }

            byte[] framed = HelloBuilder.Frame(handshake, cuts);
            ClientHelloReader reader = new ClientHelloReader();
            Assert.AreEqual(HelloResult.Found, reader.Read(framed, 0, framed.Length));
            Assert.AreEqual("media.whatsapp.net", Host(reader));
        }

        [TestMethod]
        public void Read_TwoKilobyteHello_Found()
        {
            byte[] hello = new HelloBuilder { Padding = 1900 }.Build();
            Assert.IsTrue(hello.Length > 2000);
            ClientHelloReader reader = new ClientHelloReader();
            Assert.AreEqual(HelloResult.Found, reader.Read(hello, 0, hello.Length));
        }

        [TestMethod]
        public void Read_HelloOverCap_Malformed()
        {
            byte[] hello = new HelloBuilder { Padding = 5000 }.Build();
            ClientHelloReader reader = new ClientHelloReader(4096);
            Assert.AreEqual(HelloResult.Malformed, reader.Read(hello, 0, 100), "declared length already over the cap");
            Assert.AreEqual(HelloResult.Found, new ClientHelloReader(16384).Read(hello, 0, hello.Length));
        }

        [TestMethod]
        public void Read_ManyTinyRecordsPastCap_Malformed()
        {
            byte[] handshake = new HelloBuilder { Padding = 600 }.Handshake();
            int[] cuts = new int[handshake.Length - 1];
            for (int i = 0; i < cuts.Length; i++)
            {
                cuts[i] = i + 1;
            }

            byte[] framed = HelloBuilder.Frame(handshake, cuts); // 6 bytes per handshake byte
            ClientHelloReader reader = new ClientHelloReader(2048);
            Assert.AreEqual(HelloResult.Malformed, reader.Read(framed, 0, framed.Length));
            Assert.AreEqual(HelloResult.Malformed, reader.Read(framed, 0, 2048), "waiting at the cap is refused");
        }

        [TestMethod]
        public void Read_NoServerName_NoServerName()
        {
            byte[] hello = new HelloBuilder { Names = null }.Build();
            Assert.AreEqual(HelloResult.NoServerName, new ClientHelloReader().Read(hello, 0, hello.Length));
            byte[] old = new HelloBuilder { NoExtensions = true }.Build();
            Assert.AreEqual(HelloResult.NoServerName, new ClientHelloReader().Read(old, 0, old.Length));
        }

        [TestMethod]
        public void Read_NotTls_NotTls()
        {
            ClientHelloReader reader = new ClientHelloReader();
            byte[] get = Bytes.Ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.AreEqual(HelloResult.NotTls, reader.Read(get, 0, 1), "one byte decides");
            Assert.AreEqual(HelloResult.NotTls, reader.Read(get, 0, get.Length));
            byte[] wa = new byte[] { 0x57, 0x41, 0x06, 0x02 }; // WhatsApp chat prologue "WA"
            Assert.AreEqual(HelloResult.NotTls, reader.Read(wa, 0, wa.Length));
            byte[] sslv2ish = new byte[] { 0x16, 0x02, 0x00 };
            Assert.AreEqual(HelloResult.NotTls, reader.Read(sslv2ish, 0, 3));
            Assert.AreEqual(HelloResult.NeedMore, reader.Read(new byte[] { 0x16 }, 0, 1));
            Assert.AreEqual(HelloResult.NeedMore, reader.Read(new byte[0], 0, 0));
        }

        [TestMethod]
        [DataRow("a")]
        [DataRow("mmg.whatsapp.net")]
        [DataRow("MEDIA-FRA5-1.CDN.WhatsApp.NET")]
        [DataRow("under_score.example")]
        public void Read_ValidNames_Found(string name)
        {
            byte[] hello = new HelloBuilder { Names = new string[] { name } }.Build();
            ClientHelloReader reader = new ClientHelloReader();
            Assert.AreEqual(HelloResult.Found, reader.Read(hello, 0, hello.Length));
            Assert.AreEqual(name, Host(reader));
        }

        [TestMethod]
        [DataRow("whatsapp.net.")]
        [DataRow(".whatsapp.net")]
        [DataRow("whats..app")]
        [DataRow("whats app.net")]
        [DataRow("whatsapp.net:443")]
        [DataRow("a/b")]
        public void Read_BadNames_Malformed(string name)
        {
            byte[] hello = new HelloBuilder { Names = new string[] { name } }.Build();
            Assert.AreEqual(HelloResult.Malformed, new ClientHelloReader().Read(hello, 0, hello.Length));
        }

        [TestMethod]
        public void Read_EmptyNulNonAsciiAndLongNames_Malformed()
        {
            Assert.AreEqual(HelloResult.Malformed, ReadRaw(new byte[0]), "empty");
            Assert.AreEqual(HelloResult.Malformed, ReadRaw(new byte[] { (byte)'a', 0, (byte)'b' }), "NUL");
            Assert.AreEqual(HelloResult.Malformed, ReadRaw(new byte[] { (byte)'a', 0xC3, 0xA9 }), "UTF-8");
            byte[] label64 = new byte[64];
            for (int i = 0; i < label64.Length; i++)
            {
                label64[i] = (byte)'a';
            }

            Assert.AreEqual(HelloResult.Malformed, ReadRaw(label64), "label of 64");
            byte[] long254 = new byte[254];
            for (int i = 0; i < long254.Length; i++)
            {
                long254[i] = (i % 10) == 9 ? (byte)'.' : (byte)'a';
            }

            Assert.AreEqual(HelloResult.Malformed, ReadRaw(long254), "254 bytes");
            Assert.AreEqual(HelloResult.Found, ReadRaw(Bytes.Prefix(long254, 253)), "253 bytes is the limit");
        }

        private static HelloResult ReadRaw(byte[] name)
        {
            byte[] hello = new HelloBuilder { RawName = name }.Build();
            return new ClientHelloReader().Read(hello, 0, hello.Length);
        }

        [TestMethod]
        public void Read_TwoNames_Malformed()
        {
            byte[] hello = new HelloBuilder { Names = new string[] { "a.whatsapp.net", "evil.example" } }.Build();
            Assert.AreEqual(HelloResult.Malformed, new ClientHelloReader().Read(hello, 0, hello.Length));
        }

        [TestMethod]
        public void Read_DuplicateSniExtension_Malformed()
        {
            byte[] hello = new HelloBuilder { DuplicateSni = true }.Build();
            Assert.AreEqual(HelloResult.Malformed, new ClientHelloReader().Read(hello, 0, hello.Length));
        }

        [TestMethod]
        public void Read_NonHostNameType_Malformed()
        {
            byte[] hello = new HelloBuilder { NameType = 1 }.Build();
            Assert.AreEqual(HelloResult.Malformed, new ClientHelloReader().Read(hello, 0, hello.Length));
        }

        [TestMethod]
        [DataRow(1)]
        [DataRow(-1)]
        public void Read_WrongLengths_Malformed(int delta)
        {
            byte[] a = new HelloBuilder { ExtensionsLengthDelta = delta }.Build();
            Assert.AreEqual(HelloResult.Malformed, new ClientHelloReader().Read(a, 0, a.Length), "extensions length");
            byte[] b = new HelloBuilder { ListLengthDelta = delta }.Build();
            Assert.AreEqual(HelloResult.Malformed, new ClientHelloReader().Read(b, 0, b.Length), "list length");
        }

        [TestMethod]
        public void Read_HandshakeLongerThanRecords_NeedMoreThenMalformedAtCap()
        {
            byte[] hello = new HelloBuilder { HandshakeLengthDelta = 10 }.Build();
            ClientHelloReader reader = new ClientHelloReader();
            HelloResult r = reader.Read(hello, 0, hello.Length);
            Assert.IsTrue(r == HelloResult.NeedMore || r == HelloResult.Malformed);
            byte[] shorter = new HelloBuilder { HandshakeLengthDelta = -3 }.Build();
            Assert.AreEqual(HelloResult.Malformed, reader.Read(shorter, 0, shorter.Length));
        }

        [TestMethod]
        public void Read_SessionIdOver32_Malformed()
        {
            byte[] hello = new HelloBuilder { SessionIdLength = 33 }.Build();
            Assert.AreEqual(HelloResult.Malformed, new ClientHelloReader().Read(hello, 0, hello.Length));
        }

        [TestMethod]
        public void Read_OtherRecordTypeInsideHello_Malformed()
        {
            byte[] handshake = new HelloBuilder().Handshake();
            byte[] framed = HelloBuilder.Frame(handshake, new int[] { 40 });
            int second = 5 + 40;
            framed[second] = 0x17; // application data where the hello continues
            Assert.AreEqual(HelloResult.Malformed, new ClientHelloReader().Read(framed, 0, framed.Length));
        }

        [TestMethod]
        public void Read_ZeroLengthRecord_Malformed()
        {
            byte[] hello = new HelloBuilder().Build();
            byte[] bad = Bytes.Concat(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x00 }, hello);
            Assert.AreEqual(HelloResult.Malformed, new ClientHelloReader().Read(bad, 0, bad.Length));
        }

        [TestMethod]
        public void Read_NotAClientHello_Malformed()
        {
            byte[] serverHello = new byte[] { 0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00 };
            Assert.AreEqual(HelloResult.Malformed, new ClientHelloReader().Read(serverHello, 0, serverHello.Length));
        }

        [TestMethod]
        public void Read_BadArguments_MalformedNoThrow()
        {
            ClientHelloReader reader = new ClientHelloReader();
            Assert.AreEqual(HelloResult.Malformed, reader.Read(null, 0, 0));
            Assert.AreEqual(HelloResult.Malformed, reader.Read(new byte[4], 3, 2));
            Assert.AreEqual(HelloResult.Malformed, reader.Read(new byte[4], -1, 2));
        }

        [TestMethod]
        public void Read_RandomBytesAfterTlsHeader_NeverThrows()
        {
            // A deterministic fuzz: every answer is one of the enum's values, nothing throws (the
            // same inputs on both runtimes: Support/Fuzz, not System.Random).
            Fuzz fuzz = new Fuzz(1234);
            ClientHelloReader reader = new ClientHelloReader(4096);
            byte[] seed = new HelloBuilder { Padding = 200 }.Build();
            for (int round = 0; round < 3000; round++)
            {
                byte[] data = fuzz.Flip(seed, 4);
                HelloResult r = reader.Read(data, 0, fuzz.Below(data.Length + 1));
                Assert.IsTrue((int)r >= 0 && (int)r <= 4);
            }
        }
    }
}
