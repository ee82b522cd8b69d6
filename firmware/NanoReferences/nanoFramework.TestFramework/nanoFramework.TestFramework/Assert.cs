// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace nanoFramework.TestFramework
{
    public sealed class Assert
    {
        public static void AreEqual(bool expected, bool actual, [CallerArgumentExpression("actual")] string message = "")
        {
            throw new NotSupportedException();
        }

        public static void AreEqual(byte expected, byte actual, [CallerArgumentExpression("actual")] string message = "")
        {
            throw new NotSupportedException();
        }

        public static void AreEqual(int expected, int actual, [CallerArgumentExpression("actual")] string message = "")
        {
            throw new NotSupportedException();
        }

        public static void AreEqual(object expected, object actual, [CallerArgumentExpression("actual")] string message = "")
        {
            throw new NotSupportedException();
        }

        public static void AreEqual(string expected, string actual, [CallerArgumentExpression("actual")] string message = "")
        {
            throw new NotSupportedException();
        }

        public static void AreEqual(uint expected, uint actual, [CallerArgumentExpression("actual")] string message = "")
        {
            throw new NotSupportedException();
        }

        public static void AreNotEqual(int notExpected, int actual, [CallerArgumentExpression("actual")] string message = "")
        {
            throw new NotSupportedException();
        }

        public static void IsTrue(bool condition, [CallerArgumentExpression("condition")] string message = "")
        {
            throw new NotSupportedException();
        }

        public static void IsFalse(bool condition, [CallerArgumentExpression("condition")] string message = "")
        {
            throw new NotSupportedException();
        }

        public static void IsNull(object value, [CallerArgumentExpression("value")] string message = "")
        {
            throw new NotSupportedException();
        }

        public static void IsNotNull([NotNull] object value, [CallerArgumentExpression("value")] string message = "")
        {
            throw new NotSupportedException();
        }

        public static void SkipTest(string message = null)
        {
            throw new NotSupportedException();
        }
    }
}
