using System;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// A reusable one-shot event to await without allocating: what a session's long-lived loops
    /// wait on between clients (a new client, the relay phase, both pumps done). Set runs the
    /// waiter's continuation at once, on the setting thread.
    /// </summary>
    internal sealed class Signal : IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> _core;

        public Signal()
        {
            _core.RunContinuationsAsynchronously = false;
        }

        /// <summary>Completes when <see cref="Set"/> is called (at once if it was, since the last <see cref="Reset"/>).</summary>
        public ValueTask Wait()
        {
            return new ValueTask(this, _core.Version);
        }

        /// <summary>Makes ready for the next <see cref="Set"/> (after the last wait completed).</summary>
        public void Reset()
        {
            _core.Reset();
        }

        /// <summary>Wakes the waiter (once per <see cref="Reset"/>).</summary>
        public void Set()
        {
            _core.SetResult(true);
        }

        void IValueTaskSource.GetResult(short token)
        {
            _core.GetResult(token);
        }

        ValueTaskSourceStatus IValueTaskSource.GetStatus(short token)
        {
            return _core.GetStatus(token);
        }

        void IValueTaskSource.OnCompleted(Action<object> continuation, object state, short token, ValueTaskSourceOnCompletedFlags flags)
        {
            _core.OnCompleted(continuation, state, token, flags);
        }
    }
}
