using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// One event loop of the Linux pump: a thread waiting in epoll_wait on its own epoll set,
    /// running every ready socket's continuation itself (as HAProxy runs each connection on one
    /// of its few threads). A session belongs to the loop that accepted it, and everything it does
    /// runs on that thread, so its sockets are never used from two threads at once. Other threads
    /// (the reaper, a DNS lookup on the pool) hand work over with <see cref="Post"/>.
    /// </summary>
    internal sealed unsafe class EpollLoop
    {
        private const int MaxEvents = 256;
        private const ulong WakeToken = ulong.MaxValue;

        private static readonly Action<object> s_runAction = state => ((Action)state)();

        private readonly EpollRegistry _registry;
        private readonly int _epoll;
        private readonly int _wake;
        private readonly Thread _thread;
        private readonly object _lock = new object();
        private Work[] _queue = new Work[64];
        private Work[] _running = new Work[64];
        private int _queued;
        private int _signaled;
        private volatile bool _stop;

        private struct Work
        {
            public Action<object> Callback;
            public object State;
        }

        /// <summary>A loop whose sockets' tokens resolve through <paramref name="registry"/>; <see cref="Start"/> runs it.</summary>
        public EpollLoop(EpollRegistry registry, int index)
        {
            _registry = registry;
            _epoll = Posix.epoll_create1(Posix.SOCK_CLOEXEC);
            if (_epoll < 0)
            {
                throw new InvalidOperationException("epoll_create1 failed: errno " + Posix.Errno);
            }

            _wake = Posix.eventfd(0, Posix.SOCK_NONBLOCK | Posix.SOCK_CLOEXEC);
            if (_wake < 0 || !Posix.Add(_epoll, _wake, Posix.EPOLLIN, WakeToken))
            {
                Posix.close(_epoll);
                throw new InvalidOperationException("eventfd failed: errno " + Posix.Errno);
            }

            _thread = new Thread(Run) { IsBackground = true, Name = "pigeon-loop-" + index };
        }

        /// <summary>The epoll set (sockets are added with <see cref="Posix.Add"/>).</summary>
        public int Epoll
        {
            get { return _epoll; }
        }

        /// <summary>True on the loop's own thread.</summary>
        public bool IsCurrent
        {
            get { return Thread.CurrentThread == _thread; }
        }

        /// <summary>Starts the loop's thread.</summary>
        public void Start()
        {
            _thread.Start();
        }

        /// <summary>Ends the loop's thread (after the work already posted) and closes its descriptors.</summary>
        public void Stop()
        {
            _stop = true;
            Wake(); // always: not trusting _signaled, so no wake-up it thought pending can leave the loop asleep
            if (Thread.CurrentThread != _thread && _thread.IsAlive)
            {
                _thread.Join(2000);
            }

            Posix.close(_wake);
            Posix.close(_epoll);
        }

        /// <summary>Runs <paramref name="callback"/>(<paramref name="state"/>) on the loop's thread, after the events it is handling now. Any thread; allocates nothing.</summary>
        public void Post(Action<object> callback, object state)
        {
            lock (_lock)
            {
                if (_queued == _queue.Length)
                {
                    Array.Resize(ref _queue, _queue.Length * 2); // grows to the busiest moment, then stays
                }

                _queue[_queued].Callback = callback;
                _queue[_queued].State = state;
                _queued++;
            }

            if (!IsCurrent)
            {
                Signal();
            }
        }

        /// <summary>Runs <paramref name="continuation"/> on the loop's thread (an awaiter's continuation).</summary>
        public void Post(Action continuation)
        {
            Post(s_runAction, continuation);
        }

        private void Signal()
        {
            if (Interlocked.Exchange(ref _signaled, 1) == 0)
            {
                Wake();
            }
        }

        private void Wake()
        {
            ulong one = 1;
            Posix.write(_wake, (byte*)&one, sizeof(ulong));
        }

        private void Run()
        {
            int stride = Posix.EventBytes;
            int dataOffset = Posix.EventDataOffset;
            byte* events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * stride));
            try
            {
                while (!_stop)
                {
                    int timeout;
                    lock (_lock)
                    {
                        timeout = _queued > 0 ? 0 : -1;
                    }

                    int count = Posix.epoll_wait(_epoll, events, MaxEvents, timeout);
                    if (count < 0)
                    {
                        if (Posix.Errno == Posix.EINTR)
                        {
                            continue;
                        }

                        break; // the epoll set is gone (stopping)
                    }

                    for (int i = 0; i < count; i++)
                    {
                        byte* ev = events + (i * stride);
                        ulong token = *(ulong*)(ev + dataOffset);
                        if (token == WakeToken)
                        {
                            // Drain first, then re-arm: the other way round, a post between the
                            // two saw "signaled", wrote nothing, and its wake-up was drained with
                            // this one; _signaled then stayed 1, no post woke the loop again, and
                            // an idle loop slept on its work (an evicted session never closed).
                            ulong value;
                            Posix.read(_wake, (byte*)&value, sizeof(ulong));
                            Interlocked.Exchange(ref _signaled, 0); // a full fence: _stop and the queue are read after it
                            continue;
                        }

                        IEpollHandler handler = _registry.Get((int)(uint)token);
                        if (handler != null && handler.Generation == (int)(token >> 32))
                        {
                            Dispatch(handler, *(uint*)ev);
                        }
                    }

                    RunPosted();
                }

                RunPosted();
            }
            finally
            {
                NativeMemory.Free(events);
            }
        }

        private static void Dispatch(IEpollHandler handler, uint events)
        {
            try
            {
                handler.OnEvents(events);
            }
            catch (Exception)
            {
                // A continuation's failure is its session's (each catches its own); the loop goes on.
            }
        }

        private void RunPosted()
        {
            int count;
            Work[] work;
            lock (_lock)
            {
                count = _queued;
                if (count == 0)
                {
                    return;
                }

                work = _queue;
                _queue = _running.Length >= work.Length ? _running : new Work[work.Length];
                _running = work;
                _queued = 0;
            }

            for (int i = 0; i < count; i++)
            {
                Action<object> callback = work[i].Callback;
                object state = work[i].State;
                work[i] = default;
                try
                {
                    callback(state);
                }
                catch (Exception)
                {
                    // as in Dispatch
                }
            }
        }
    }
}
