// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Tests.Support;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Text
{
    /// <summary>The fuzz generator draws the same numbers on .NET and on nanoCLR (the fuzz tests' inputs are replayable on either).</summary>
    [TestClass]
    public class FuzzSequenceTests
    {
        [TestMethod]
        public void Next_Seed17_IsXorshift32()
        {
            // Reference values from xorshift32 (13, 17, 5) computed outside .NET.
            Fuzz fuzz = new Fuzz(17);
            Assert.AreEqual(4596240u, fuzz.Next());
            Assert.AreEqual(1150042706u, fuzz.Next());
            Assert.AreEqual(1409999377u, fuzz.Next());
            uint sum = 1409999377u + 1150042706u + 4596240u;
            uint last = 0;
            for (int i = 3; i < 1000; i++)
            {
                last = fuzz.Next();
                sum += last;
            }

            Assert.AreEqual(3620382339u, last);
            Assert.AreEqual(3340306006u, sum);
        }

        [TestMethod]
        public void Below_StaysInRange()
        {
            Fuzz fuzz = new Fuzz(0);
            for (int i = 0; i < 500; i++)
            {
                int v = fuzz.Between(-3, 3);
                Assert.IsTrue(v >= -3 && v <= 3, v.ToString());
                Assert.IsTrue(fuzz.Below(7) < 7);
            }
        }
    }
}
