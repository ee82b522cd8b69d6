// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
namespace Pigeon.Tests.Support
{
    /// <summary>
    /// How exhaustive the long loops are. The host tries every cut point; the board's interpreter
    /// is ~1000x slower, so it tries every 16th plus the last 8 steps (where the file operations
    /// other than the byte writes sit).
    /// </summary>
    public static class TestScale
    {
#if NANOFRAMEWORK_1_0
        /// <summary>Step between the power-cut points tried.</summary>
        public const int PowerCutStride = 16;
#else
        /// <summary>Step between the power-cut points tried.</summary>
        public const int PowerCutStride = 1;
#endif

        /// <summary>True when cut point <paramref name="cut"/> of <paramref name="total"/> is tried.</summary>
        public static bool Tries(int cut, int total)
        {
            return cut % PowerCutStride == 0 || cut >= total - 8 || cut < 8;
        }
    }
}
