// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Portal;
using Pigeon.Tests.Support;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Portal
{
    /// <summary>
    /// Hostile DNS queries to the captive DNS (anyone on the setup network can send them), from a
    /// fixed seed (<see cref="Fuzz"/>; the same cases on .NET and nanoCLR): cut short, pointer
    /// loops, over-long names, retired label types, responses, flipped and random bytes. Each is
    /// dropped (0) when its kind says so; any answer is a well-formed reply to that query.
    /// </summary>
    [TestClass]
    public class CaptiveDnsFuzzTests
    {
        private const int Cases = 300;
        private const uint Ap = 0xC0A80401;

        [TestMethod]
        public void Answer_HostileQueries_DroppedOrAnsweredWellFormed()
        {
            Fuzz fuzz = new Fuzz(0xD25);
            byte[] answer = new byte[CaptiveDns.MaxAnswerBytes + 8];
            for (int i = 0; i < Cases; i++)
            {
                int nameBytes;
                byte[] query = Query(fuzz, out nameBytes);
                int questionEnd = 12 + nameBytes + 4;
                int count = query.Length;
                int kind = i % 9;
                bool drop = true;
                int exact = -1;
                if (kind == 0)
                {
                    count = fuzz.Below(questionEnd); // cut inside the header or the question
                }
                else if (kind == 1)
                {
                    query = fuzz.Flip(query, 6);
                    drop = false;
                }
                else if (kind == 2)
                {
                    // The name is a pointer to itself or forward: how loops start.
                    query[12] = (byte)(0xC0 | fuzz.Below(2));
                    query[13] = (byte)(fuzz.OneIn(2) ? 12 : 13 + fuzz.Below(200));
                }
                else if (kind == 3)
                {
                    query = fuzz.Bytes(fuzz.Below(120));
                    count = query.Length;
                    drop = false;
                }
                else if (kind == 4)
                {
                    query = LongName(fuzz, query);
                    count = query.Length;
                }
                else if (kind == 5)
                {
                    query[12] = (byte)((fuzz.OneIn(2) ? 0x40 : 0x80) | fuzz.Below(64)); // retired label types
                }
                else if (kind == 6)
                {
                    query[2] |= 0x80; // a response: answering could loop between two responders
                }
                else if (kind == 7)
                {
                    query[4 + (2 * fuzz.Below(4))] = (byte)(1 + fuzz.Below(255)); // QDCOUNT/ANCOUNT/NSCOUNT/ARCOUNT way off
                }
                else
                {
                    drop = false;
                    exact = questionEnd + 16; // a well-formed A query: the AP's address
                }

                int length = CaptiveDns.Answer(query, 0, count, Ap, answer, 0);
                string what = Fuzz.Describe(i, query, count) + " -> " + length.ToString();
                if (drop)
                {
                    Assert.AreEqual(0, length, what);
                    continue;
                }

                if (exact >= 0)
                {
                    Assert.AreEqual(exact, length, what);
                    Assert.AreEqual(0xC0A80401u, ((uint)answer[length - 4] << 24) | ((uint)answer[length - 3] << 16) | ((uint)answer[length - 2] << 8) | answer[length - 1], what);
                }

                if (length > 0)
                {
                    Assert.IsTrue(length >= 12 && length <= 12 + CaptiveDns.MaxName + 4 + 16, what);
                    Assert.IsTrue(answer[0] == query[0] && answer[1] == query[1], "the reply carries the query's ID: " + what);
                    Assert.IsTrue((answer[2] & 0x80) != 0, "QR set: " + what);
                }
            }

            byte[] small = new byte[CaptiveDns.MaxAnswerBytes - 1];
            int n;
            byte[] q = Query(fuzz, out n);
            Assert.AreEqual(0, CaptiveDns.Answer(q, 0, q.Length, Ap, small, 0), "an answer buffer under 512 bytes is refused, not overrun");
        }

        /// <summary>An A (or ANY) query for a random name of 1 to 4 labels, letters in random case.</summary>
        private static byte[] Query(Fuzz fuzz, out int nameBytes)
        {
            int labels = fuzz.Between(1, 4);
            byte[] name = new byte[0];
            for (int l = 0; l < labels; l++)
            {
                byte[] word = Bytes.Ascii(fuzz.Word(fuzz.Between(1, 20)));
                for (int c = 0; c < word.Length; c++)
                {
                    if (fuzz.OneIn(3))
                    {
                        word[c] = (byte)(word[c] - 32); // upper case
                    }
                }

                name = Bytes.Concat(name, Bytes.Concat(new byte[] { (byte)word.Length }, word));
            }

            name = Bytes.Concat(name, new byte[] { 0 });
            nameBytes = name.Length;
            byte[] header = new byte[] { (byte)fuzz.Next(), (byte)fuzz.Next(), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
            byte[] tail = new byte[] { 0, (byte)(fuzz.OneIn(4) ? 255 : 1), 0, 1 };
            return Bytes.Concat(header, Bytes.Concat(name, tail));
        }

        /// <summary>The query's header with a name of more than 255 bytes (labels of up to 63).</summary>
        private static byte[] LongName(Fuzz fuzz, byte[] query)
        {
            byte[] name = new byte[0];
            while (name.Length <= CaptiveDns.MaxName)
            {
                int len = fuzz.Between(30, CaptiveDns.MaxLabel);
                name = Bytes.Concat(name, Bytes.Concat(new byte[] { (byte)len }, Bytes.Ascii(fuzz.Word(len))));
            }

            return Bytes.Concat(Bytes.Prefix(query, 12), Bytes.Concat(name, new byte[] { 0, 0, 1, 0, 1 }));
        }
    }
}
