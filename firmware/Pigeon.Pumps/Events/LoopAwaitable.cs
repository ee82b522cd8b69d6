using System;
using System.Runtime.CompilerServices;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// Awaiting it moves the rest of a method onto an <see cref="EpollLoop"/>'s thread, after the
    /// events the loop is handling now: a long transfer's turn ends so other sessions run, and
    /// work done elsewhere (a DNS lookup on the pool) comes home. Allocates nothing.
    /// </summary>
    internal readonly struct LoopAwaitable : ICriticalNotifyCompletion
    {
        private readonly EpollLoop _loop;

        public LoopAwaitable(EpollLoop loop)
        {
            _loop = loop;
        }

        public bool IsCompleted
        {
            get { return false; }
        }

        public LoopAwaitable GetAwaiter()
        {
            return this;
        }

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation)
        {
            _loop.Post(continuation);
        }

        public void UnsafeOnCompleted(Action continuation)
        {
            _loop.Post(continuation);
        }
    }
}
