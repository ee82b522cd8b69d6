// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using System;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Support
{
    /// <summary>
    /// The one helper the two test frameworks need: MSTest's ThrowsException is generic,
    /// nanoFramework's takes a Type, and generics cannot run on the board.
    /// </summary>
    public static class Expect
    {
        /// <summary>Fails unless <paramref name="action"/> throws <paramref name="type"/> (or a subclass).</summary>
        public static void Throws(Type type, Action action)
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                if (!type.IsInstanceOfType(e) && e.GetType() != type)
                {
                    Assert.IsTrue(false, "expected " + type.Name + " but got " + e.GetType().Name + ": " + e.Message); // not Assert.Fail: nanoFramework.TestFramework 3.x has none
                }

                return;
            }

            Assert.IsTrue(false, "expected " + type.Name + " but nothing was thrown");
        }
    }
}
