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
    /// <summary>
    /// The reader over ClientHellos recorded from real clients on loopback (CapturedHellos,
    /// re-recorded by tests/tools/capture-hellos.sh): whole, arriving byte by byte, in two TCP
    /// segments split anywhere, and re-framed into several TLS records (also cutting the host name).
    /// Index: 0 chromium, 1 curl, 2 dotnet-sslstream, 3 node, 4 openssl.
    /// </summary>
    [TestClass]
    public class ClientHelloCaptureTests
    {
        private const byte Filler = 0xEE; // bytes "not yet received": a reader peeking past count would see these

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        [DataRow(2)]
        [DataRow(3)]
        [DataRow(4)]
        public void Read_WholeCapture_FindsHostInPlace(int index)
        {
            byte[] hello = CapturedHellos.Bytes(index);
            ClientHelloReader reader = new ClientHelloReader();
            Assert.AreEqual(HelloResult.Found, reader.Read(hello, 0, hello.Length), CapturedHellos.Names()[index]);
            Assert.AreEqual(CapturedHellos.Hosts()[index], Host(reader));
            Assert.IsTrue(reader.HostInInput);
            Assert.AreEqual(HelloBuilder.IndexOf(hello, CapturedHellos.Hosts()[index]), reader.HostOffset);
            Assert.AreEqual(hello.Length, reader.HelloLength);
        }

        [TestMethod]
        public void Captures_Chromium_IsLargePostQuantumHelloWithGreaseAndEch()
        {
            // The fixture must keep exercising what it was recorded for: a ~2 KB hello with an
            // X25519MLKEM768 key share (0x11EC), GREASE extensions and an ECH-GREASE extension.
            byte[] hello = CapturedHellos.Bytes(0);
            Assert.AreEqual("chromium", CapturedHellos.Names()[0]);
            Assert.IsTrue(hello.Length >= 1700 && hello.Length <= 2100, "size " + hello.Length.ToString());
            byte[] handshake = Handshake(hello);
            Assert.IsTrue(HasExtension(handshake, 0xFE0D), "ECH (GREASE) extension");
            Assert.IsTrue(HasGreaseExtension(handshake), "GREASE extension");
            Assert.IsTrue(IndexOf(handshake, new byte[] { 0x11, 0xEC, 0x04, 0xC0 }) > 0, "X25519MLKEM768 key share (1216 bytes)");
        }

        [TestMethod]
        [DataRow(0, 0)]
        [DataRow(1, 0)]
        [DataRow(2, 0)]
        [DataRow(3, 0)]
        [DataRow(4, 0)]
        [DataRow(0, 13)]
        [DataRow(4, 13)]
        public void Read_ByteByByte_NeedMoreUntilComplete(int index, int offset)
        {
            ExpectNeedMoreUntilComplete(CapturedHellos.Bytes(index), offset, CapturedHellos.Hosts()[index]);
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        [DataRow(2)]
        [DataRow(3)]
        [DataRow(4)]
        public void Read_TwoSegmentsSplitAnywhere_FindsHost(int index)
        {
            byte[] hello = CapturedHellos.Bytes(index);
            string host = CapturedHellos.Hosts()[index];
            ClientHelloReader reader = new ClientHelloReader(); // one reader for every connection, as a session slot uses it
            byte[] buffer = new byte[hello.Length + 8];
            for (int split = 1; split < hello.Length; split++)
            {
                Fill(buffer, Filler);
                Array.Copy(hello, 0, buffer, 0, split); // first segment
                if (reader.Read(buffer, 0, split) != HelloResult.NeedMore)
                {
                    Assert.IsTrue(false, "split " + split.ToString() + ": first segment not NeedMore"); // not Assert.Fail: nanoFramework.TestFramework 3.x has none
                }

                Array.Copy(hello, split, buffer, split, hello.Length - split); // second segment
                if (reader.Read(buffer, 0, hello.Length) != HelloResult.Found || Host(reader) != host)
                {
                    Assert.IsTrue(false, "split " + split.ToString() + ": whole hello not Found"); // not Assert.Fail: nanoFramework.TestFramework 3.x has none
                }
            }
        }

        [TestMethod]
        [DataRow(0, 2)]
        [DataRow(0, 3)]
        [DataRow(0, 7)]
        [DataRow(0, 64)]
        [DataRow(1, 2)]
        [DataRow(1, 5)]
        [DataRow(2, 3)]
        [DataRow(3, 4)]
        [DataRow(4, 6)]
        public void Read_ReframedIntoRecords_FindsHost(int index, int records)
        {
            byte[] handshake = Handshake(CapturedHellos.Bytes(index));
            byte[] hello = HelloBuilder.Frame(handshake, EvenCuts(handshake.Length, records));
            Assert.AreEqual(handshake.Length + (5 * records), hello.Length);
            ClientHelloReader reader = new ClientHelloReader();
            Assert.AreEqual(HelloResult.Found, reader.Read(hello, 0, hello.Length));
            Assert.AreEqual(CapturedHellos.Hosts()[index], Host(reader));
            Assert.AreEqual(hello.Length, reader.HelloLength);
            ExpectNeedMoreUntilComplete(hello, 0, CapturedHellos.Hosts()[index]);
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        [DataRow(2)]
        [DataRow(3)]
        [DataRow(4)]
        public void Read_RecordBoundaryInsideHostName_FindsHostInScratch(int index)
        {
            byte[] handshake = Handshake(CapturedHellos.Bytes(index));
            string host = CapturedHellos.Hosts()[index];
            int at = HelloBuilder.IndexOf(handshake, host);
            ClientHelloReader reader = new ClientHelloReader();

            // A cut after every byte of the name: the name straddles two records each time.
            for (int cut = 1; cut < host.Length; cut++)
            {
                byte[] hello = HelloBuilder.Frame(handshake, new int[] { at + cut });
                if (reader.Read(hello, 0, hello.Length) != HelloResult.Found)
                {
                    Assert.IsTrue(false, "cut " + cut.ToString() + " into the name: not Found"); // not Assert.Fail: nanoFramework.TestFramework 3.x has none
                }

                Assert.AreEqual(host, Host(reader));
                Assert.IsFalse(reader.HostInInput);
            }

            // And three records, two cuts inside the name, arriving byte by byte.
            byte[] three = HelloBuilder.Frame(handshake, new int[] { at + 1, at + host.Length - 1 });
            ExpectNeedMoreUntilComplete(three, 0, host);
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(4)]
        public void Read_OneByteRecords_FindsHost(int index)
        {
            // Every handshake byte in its own record (6x the bytes: Chromium's becomes ~12 KB,
            // still under the 16 KB default cap).
            byte[] handshake = Handshake(CapturedHellos.Bytes(index));
            byte[] hello = HelloBuilder.Frame(handshake, EvenCuts(handshake.Length, handshake.Length));
            Assert.AreEqual(handshake.Length * 6, hello.Length);
            ClientHelloReader reader = new ClientHelloReader();
            Assert.AreEqual(HelloResult.Found, reader.Read(hello, 0, hello.Length));
            Assert.AreEqual(CapturedHellos.Hosts()[index], Host(reader));
            Assert.AreEqual(hello.Length, reader.HelloLength);
        }

        [TestMethod]
        public void Read_ChromiumUnderDeviceCap_FoundButOverSmallCap_Malformed()
        {
            // The device waits for at most 4 KB (ConfigDefaults.DeviceMaxHelloBytes): Chromium's
            // ~2 KB hello fits; a cap below its size refuses it instead of waiting forever.
            byte[] hello = CapturedHellos.Bytes(0);
            Assert.AreEqual(HelloResult.Found, new ClientHelloReader(4096).Read(hello, 0, hello.Length));
            Assert.AreEqual(HelloResult.Malformed, new ClientHelloReader(1024).Read(hello, 0, hello.Length));
        }

        // Feeds the hello into a buffer one byte at a time, as a slow TCP stream would: every
        // prefix must be NeedMore, the whole must be Found with the right name. Bytes not yet
        // "received" hold a filler, so a reader that looked past count would trip.
        private static void ExpectNeedMoreUntilComplete(byte[] hello, int offset, string host)
        {
            ClientHelloReader reader = new ClientHelloReader();
            byte[] buffer = new byte[offset + hello.Length + 8];
            Fill(buffer, Filler);
            for (int n = 0; n < hello.Length; n++)
            {
                HelloResult result = reader.Read(buffer, offset, n);
                if (result != HelloResult.NeedMore)
                {
                    Assert.IsTrue(false, "prefix of " + n.ToString() + " of " + hello.Length.ToString() + " bytes: " + ((int)result).ToString()); // not Assert.Fail: nanoFramework.TestFramework 3.x has none
                }

                buffer[offset + n] = hello[n];
            }

            Assert.AreEqual(HelloResult.Found, reader.Read(buffer, offset, hello.Length));
            Assert.AreEqual(host, Host(reader));
            Assert.AreEqual(hello.Length, reader.HelloLength);
            if (reader.HostInInput)
            {
                Assert.AreEqual(offset + HelloBuilder.IndexOf(hello, host), reader.HostOffset);
            }
        }

        private static string Host(ClientHelloReader reader)
        {
            return Bytes.Text(reader.HostBuffer, reader.HostOffset, reader.HostLength);
        }

        private static void Fill(byte[] buffer, byte value)
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = value;
            }
        }

        // The handshake bytes of a capture: its records' fragments joined (record headers dropped).
        private static byte[] Handshake(byte[] records)
        {
            int total = 0;
            for (int pos = 0; pos + 5 <= records.Length; pos += 5 + ((records[pos + 3] << 8) | records[pos + 4]))
            {
                total += (records[pos + 3] << 8) | records[pos + 4];
            }

            byte[] handshake = new byte[total];
            int n = 0;
            for (int pos = 0; pos + 5 <= records.Length;)
            {
                int length = (records[pos + 3] << 8) | records[pos + 4];
                Array.Copy(records, pos + 5, handshake, n, length);
                n += length;
                pos += 5 + length;
            }

            return handshake;
        }

        // records - 1 cut points spreading the bytes evenly.
        private static int[] EvenCuts(int length, int records)
        {
            int[] cuts = new int[records - 1];
            for (int i = 1; i < records; i++)
            {
                cuts[i - 1] = (int)((long)length * i / records);
            }

            return cuts;
        }

        // Walks the ClientHello's extensions (offsets per RFC 8446 §4.1.2) for a type.
        private static bool HasExtension(byte[] handshake, int type)
        {
            int p = ExtensionsStart(handshake);
            while (p + 4 <= handshake.Length)
            {
                if (((handshake[p] << 8) | handshake[p + 1]) == type)
                {
                    return true;
                }

                p += 4 + ((handshake[p + 2] << 8) | handshake[p + 3]);
            }

            return false;
        }

        // GREASE extension types are 0x?A?A with both bytes equal (RFC 8701 §2).
        private static bool HasGreaseExtension(byte[] handshake)
        {
            int p = ExtensionsStart(handshake);
            while (p + 4 <= handshake.Length)
            {
                if (handshake[p] == handshake[p + 1] && (handshake[p] & 0x0F) == 0x0A)
                {
                    return true;
                }

                p += 4 + ((handshake[p + 2] << 8) | handshake[p + 3]);
            }

            return false;
        }

        private static int ExtensionsStart(byte[] handshake)
        {
            int p = 4 + 2 + 32;
            p += 1 + handshake[p];
            p += 2 + ((handshake[p] << 8) | handshake[p + 1]);
            p += 1 + handshake[p];
            return p + 2;
        }

        private static int IndexOf(byte[] data, byte[] pattern)
        {
            for (int i = 0; i + pattern.Length <= data.Length; i++)
            {
                int j = 0;
                while (j < pattern.Length && data[i + j] == pattern[j])
                {
                    j++;
                }

                if (j == pattern.Length)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
