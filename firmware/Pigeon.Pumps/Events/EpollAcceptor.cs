using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Pigeon.Routing;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// A route's listening socket as one epoll loop sees it: every loop has one (EPOLLEXCLUSIVE:
    /// a new client wakes one waiting loop), accepts on its own thread with accept4 and starts
    /// the client's session there. Level-triggered, so a long backlog is taken a batch per wake-up
    /// and the loop's other sockets are served between batches.
    /// </summary>
    internal sealed class EpollAcceptor : IEpollHandler
    {
        private const int Batch = 64;

        private readonly EventRelay _relay;
        private readonly int _index;
        private readonly EpollLoop _loop;
        private readonly int _slot;
        private readonly Func<int, bool> _accept;
        private int _generation;
        private volatile bool _closed;

        public EpollAcceptor(EventRelay relay, int index, Route route, Socket listener, EpollLoop loop, EpollRegistry registry)
        {
            _relay = relay;
            _index = index;
            Route = route;
            Listener = listener;
            _loop = loop;
            _accept = Accept;
            _slot = registry.Add(this);
        }

        /// <summary>The route it accepts for.</summary>
        public Route Route { get; }

        /// <summary>The listening socket (the .NET socket owns the descriptor).</summary>
        public Socket Listener { get; }

        /// <inheritdoc />
        public int Generation
        {
            get { return Volatile.Read(ref _generation); }
        }

        /// <summary>Adds the listener to the loop's epoll set.</summary>
        public void Listen()
        {
            Use(fd => Posix.Add(_loop.Epoll, fd, Posix.EPOLLIN | Posix.EPOLLEXCLUSIVE, EpollRegistry.Token(_slot, _generation)));
        }

        /// <summary>Stops accepting here for good (the listener is closing).</summary>
        public void Close()
        {
            _closed = true;
            Interlocked.Increment(ref _generation); // an event already fetched is dropped
            Use(fd =>
            {
                Posix.Remove(_loop.Epoll, fd);
                return true;
            });
        }

        /// <summary>Stops accepting here for <paramref name="milliseconds"/> (out of descriptors).</summary>
        public void Pause(int milliseconds)
        {
            Hold();
            _ = ResumeAsync(milliseconds);
        }

        /// <summary>Stops accepting here until <see cref="Listen"/>.</summary>
        public void Hold()
        {
            Use(fd =>
            {
                Posix.Remove(_loop.Epoll, fd);
                return true;
            });
        }

        /// <inheritdoc />
        public void OnEvents(uint events)
        {
            Use(_accept);
        }

        private async Task ResumeAsync(int milliseconds)
        {
            await Task.Delay(milliseconds).ConfigureAwait(false);
            if (!_closed && !_relay.WaitingForEviction(_index))
            {
                Listen();
            }
        }

        // Runs with the listener's descriptor held open (a close meanwhile waits until it is done).
        private bool Use(Func<int, bool> action)
        {
            SafeHandle handle;
            try
            {
                handle = Listener.SafeHandle;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }

            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                return !_closed && action((int)handle.DangerousGetHandle());
            }
            catch (ObjectDisposedException)
            {
                return false; // closed already
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        private unsafe bool Accept(int listener)
        {
            byte* address = stackalloc byte[Posix.SockAddrBytes];
            for (int i = 0; i < Batch && !_closed && !_relay.WaitingForEviction(_index); i++)
            {
                int length = Posix.SockAddrBytes;
                int fd = Posix.accept4(listener, address, &length, Posix.SOCK_NONBLOCK | Posix.SOCK_CLOEXEC);
                if (fd < 0)
                {
                    int error = Posix.Errno;
                    if (error == Posix.EAGAIN)
                    {
                        return true; // none waiting
                    }

                    if (error == Posix.EINTR || error == Posix.ECONNABORTED)
                    {
                        continue; // a client that left before it was accepted
                    }

                    if (error == Posix.EMFILE || error == Posix.ENFILE || error == Posix.ENOBUFS || error == Posix.ENOMEM)
                    {
                        _relay.OutOfFiles(this); // the open-file limit: not the listener's fault
                        return false;
                    }

                    _relay.ListenerFailed(_index, Listener, error);
                    return false;
                }

                Posix.NoDelay(fd); // chat is small messages both ways: do not let Nagle hold them
                Accepted accepted = new Accepted { Fd = fd, Loop = _loop };
                accepted.Address = Posix.ReadAddress(address, out accepted.Port);
                _relay.Admit(Route, accepted);
            }

            return true;
        }
    }
}
