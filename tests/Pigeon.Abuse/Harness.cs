using System;
using System.Threading;

namespace Pigeon.Abuse
{
    /// <summary>
    /// Exceptions the suite's own threads did not expect. They are counted and reported as one
    /// failed check at the end instead of ending the process (an unhandled exception on a
    /// background thread would kill the run and leave its Pigeon.Host children running).
    /// </summary>
    public static class Harness
    {
        private static int s_count;
        private static string s_first;

        /// <summary>Unexpected exceptions so far.</summary>
        public static int Count => Volatile.Read(ref s_count);

        /// <summary>The first one, with where it happened.</summary>
        public static string First => Volatile.Read(ref s_first);

        /// <summary>
        /// A background thread (not started) named <paramref name="name"/> running
        /// <paramref name="body"/>; an exception it does not handle is recorded, not fatal.
        /// </summary>
        public static Thread Background(string name, Action body)
        {
            return new Thread(() =>
            {
                try
                {
                    body();
                }
                catch (Exception e)
                {
                    Failed(name, e);
                }
            }) { IsBackground = true, Name = name };
        }

        /// <summary>Records an unexpected exception on <paramref name="where"/>.</summary>
        public static void Failed(string where, Exception e)
        {
            Interlocked.Increment(ref s_count);
            Interlocked.CompareExchange(ref s_first, where + ": " + e, null);
        }
    }
}
