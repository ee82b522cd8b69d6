// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Relay;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Relay
{
    [TestClass]
    public class ClientCountsTests
    {
        [TestMethod]
        public void Add_CountsPerAddress_LargestFound()
        {
            ClientCounts c = new ClientCounts(4);
            int count;
            Assert.IsTrue(c.Largest(out count) == 0 && count == 0, "empty");
            c.Add(0x0A000001);
            c.Add(0x0A000001);
            c.Add(0x0A000002);
            Assert.AreEqual(2, c.CountOf(0x0A000001));
            Assert.AreEqual(1, c.CountOf(0x0A000002), "another address has its own count");
            Assert.IsTrue(c.Largest(out count) == 0x0A000001);
            Assert.AreEqual(2, count);
            c.Remove(0x0A000001);
            c.Remove(0x0A000001);
            c.Add(0x0A000002);
            Assert.IsTrue(c.Largest(out count) == 0x0A000002);
        }

        [TestMethod]
        public void Remove_LastSession_ForgetsTheAddress()
        {
            ClientCounts c = new ClientCounts(4);
            c.Add(0x0A000001);
            Assert.AreEqual(1, c.Addresses);
            c.Remove(0x0A000001);
            Assert.AreEqual(0, c.Addresses);
            Assert.AreEqual(0, c.CountOf(0x0A000001));
            c.Remove(0x0A000001); // a second remove is harmless
            Assert.AreEqual(0, c.Addresses);
        }

        [TestMethod]
        public void ManyAddresses_GrowAndDeleteInAnyOrder_CountsStayRight()
        {
            // A whole subnet (neighbouring keys collide in a naive hash), added, grown past the
            // initial table, then removed from the middle out: every lookup must still find its key.
            ClientCounts c = new ClientCounts(2);
            const int n = 600;
            for (int i = 0; i < n; i++)
            {
                c.Add(0xC0A80000u + (uint)i);
                if (i % 3 == 0)
                {
                    c.Add(0xC0A80000u + (uint)i);
                }
            }

            Assert.AreEqual(n, c.Addresses);
            for (int i = 0; i < n; i += 2)
            {
                c.Remove(0xC0A80000u + (uint)i);
            }

            for (int i = 0; i < n; i++)
            {
                int expected = (i % 2 == 0 ? -1 : 0) + 1 + (i % 3 == 0 ? 1 : 0);
                Assert.AreEqual(expected, c.CountOf(0xC0A80000u + (uint)i), "address " + i.ToString());
            }

            for (int i = 0; i < n; i++)
            {
                while (c.CountOf(0xC0A80000u + (uint)i) > 0)
                {
                    c.Remove(0xC0A80000u + (uint)i);
                }
            }

            Assert.AreEqual(0, c.Addresses);
        }
    }
}
