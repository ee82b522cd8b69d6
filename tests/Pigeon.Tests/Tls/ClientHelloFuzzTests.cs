// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
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
    /// Hostile ClientHellos from a fixed seed (<see cref="Fuzz"/>; the same cases on .NET and
    /// nanoCLR): cut short, split into odd records, with lying lengths, bad or oversized names,
    /// flipped bytes, or not TLS at all. Each gets the answer its kind calls for, and whatever
    /// the reader answers, a host it reports is a valid host name inside the buffer.
    /// </summary>
    [TestClass]
    public class ClientHelloFuzzTests
    {
        private const int Cases = 300;
        private const int Cap = 4096;

        [TestMethod]
        public void Read_HostileHellos_RefusedOrReadSafely()
        {
            Fuzz fuzz = new Fuzz(0xC11E);
            ClientHelloReader reader = new ClientHelloReader(Cap);
            for (int i = 0; i < Cases; i++)
            {
                string name = fuzz.Word(fuzz.Between(1, 12)) + "." + fuzz.Word(fuzz.Between(1, 8));
                HelloBuilder builder = new HelloBuilder { Names = new string[] { name }, Grease = fuzz.OneIn(2), Padding = fuzz.Below(3) * fuzz.Below(300) };
                int kind = i % 8;
                int expected = -1; // any answer, checked for safety only
                if (kind == 1)
                {
                    builder.HandshakeLengthDelta = NonZero(fuzz, 40);
                }
                else if (kind == 2)
                {
                    builder.ExtensionsLengthDelta = NonZero(fuzz, 40);
                }
                else if (kind == 3)
                {
                    builder.RawName = Hostile(fuzz);
                    expected = (int)HelloResult.Malformed;
                }

                byte[] handshake = builder.Handshake();
                byte[] hello = HelloBuilder.Frame(handshake, Cuts(fuzz, handshake.Length));
                int count = hello.Length;
                if (kind == 0)
                {
                    count = fuzz.Below(hello.Length); // a strict prefix of a valid hello
                    expected = (int)HelloResult.NeedMore;
                }
                else if (kind == 4)
                {
                    hello = fuzz.Flip(hello, 8);
                }
                else if (kind == 5)
                {
                    hello = fuzz.Bytes(fuzz.Between(1, 300));
                    hello[0] = (byte)(0x17 + fuzz.Below(200)); // not a handshake record
                    count = fuzz.Between(1, hello.Length);
                    expected = (int)HelloResult.NotTls;
                }
                else if (kind == 6)
                {
                    hello = Bytes.Concat(new byte[] { 0x16, 0x03, (byte)fuzz.Below(4), (byte)(0x40 + fuzz.Below(0xC0)), (byte)fuzz.Next() }, fuzz.Bytes(fuzz.Below(200)));
                    count = hello.Length;
                    expected = (int)HelloResult.Malformed; // a record over 16 KB
                }
                else if (kind == 7)
                {
                    hello = Bytes.Concat(hello, fuzz.Bytes(fuzz.Below(64))); // trailing bytes after the hello
                    count = hello.Length;
                    expected = (int)HelloResult.Found;
                }

                HelloResult r = reader.Read(hello, 0, count);
                string what = Fuzz.Describe(i, hello, count) + ": " + ((int)r).ToString();
                Assert.IsTrue((int)r >= 0 && (int)r <= 4, what);
                if (expected >= 0)
                {
                    Assert.AreEqual(expected, (int)r, what);
                }

                if (r == HelloResult.Found)
                {
                    Assert.IsTrue(reader.HostLength >= 1 && reader.HostLength <= ClientHelloReader.MaxHostLength, what);
                    Assert.IsTrue(reader.HostOffset >= 0 && reader.HostOffset + reader.HostLength <= reader.HostBuffer.Length, what);
                    Assert.IsTrue(HostName.IsValid(reader.HostBuffer, reader.HostOffset, reader.HostLength), what);
                    Assert.IsTrue(reader.HelloLength <= count, what);
                    if (kind == 7)
                    {
                        Assert.AreEqual(name, Bytes.Text(reader.HostBuffer, reader.HostOffset, reader.HostLength), what);
                    }
                }
            }
        }

        [TestMethod]
        public void Read_EndlessTinyRecords_MalformedAtTheCap()
        {
            // A hello that claims to go on and arrives one byte per record: refused once it
            // reaches the cap, never waited for forever.
            Fuzz fuzz = new Fuzz(0x7E5);
            ClientHelloReader reader = new ClientHelloReader(Cap);
            for (int i = 0; i < 20; i++)
            {
                byte[] handshake = new HelloBuilder { HandshakeLengthDelta = fuzz.Between(Cap, 3 * Cap) }.Handshake();
                int[] cuts = new int[handshake.Length - 1];
                for (int c = 0; c < cuts.Length; c++)
                {
                    cuts[c] = c + 1;
                }

                byte[] framed = HelloBuilder.Frame(handshake, cuts);
                Assert.AreEqual((int)HelloResult.Malformed, (int)reader.Read(framed, 0, framed.Length), "case " + i.ToString());
            }
        }

        private static int NonZero(Fuzz fuzz, int most)
        {
            int d = fuzz.Between(1, most);
            return fuzz.OneIn(2) ? d : -d;
        }

        /// <summary>Record cuts at random offsets into the handshake (ascending).</summary>
        private static int[] Cuts(Fuzz fuzz, int length)
        {
            int n = fuzz.Below(4);
            int[] cuts = new int[n];
            int at = 0;
            for (int c = 0; c < n; c++)
            {
                at += fuzz.Between(1, 1 + (length / 4));
                cuts[c] = at < length ? at : length;
            }

            return cuts;
        }

        /// <summary>A server name no host can have: too long, a bad byte, an empty or over-long label.</summary>
        private static byte[] Hostile(Fuzz fuzz)
        {
            int k = fuzz.Below(4);
            if (k == 0)
            {
                byte[] longName = Bytes.Ascii(fuzz.Word(fuzz.Between(254, 300)));
                for (int i = 50; i < longName.Length; i += 50)
                {
                    longName[i] = (byte)'.';
                }

                return longName;
            }

            byte[] name = Bytes.Ascii(fuzz.Word(fuzz.Between(3, 20)));
            if (k == 1)
            {
                byte[] bad = new byte[] { 0, (byte)' ', (byte)'/', (byte)':', 0xC3, 0x7F, (byte)'@', (byte)'\\' };
                name[fuzz.Below(name.Length)] = bad[fuzz.Below(bad.Length)];
            }
            else if (k == 2)
            {
                name[fuzz.OneIn(2) ? 0 : name.Length - 1] = (byte)'.';
            }
            else
            {
                name = Bytes.Ascii(fuzz.Word(fuzz.Between(64, 80)) + ".net"); // a label over 63
            }

            return name;
        }
    }
}
