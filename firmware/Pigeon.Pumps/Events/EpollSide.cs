using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using Pigeon.Net;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// A session's side on the Linux pump: a non-blocking descriptor registered once with its
    /// loop's epoll set (edge-triggered, in and out). A read or send is tried at once when the
    /// socket is known ready and parked until epoll says so otherwise; everything runs on the
    /// loop's thread, so no operation needs a lock, and nothing is allocated per operation.
    /// Another thread (the reaper) only asks for an <see cref="Abort"/>, which the loop carries out.
    /// </summary>
    /// <remarks>
    /// Readiness is remembered per direction: set by an epoll event, cleared when a call would
    /// block, and, for reads, when a read came back short (the socket was drained: whatever
    /// arrives later raises a new edge). So an idle session's wait parks without a system call
    /// and holds no buffer.
    /// </remarks>
    internal sealed unsafe class EpollSide : EventSide, IEpollHandler
    {
        private const int WouldBlock = -2;
        private const uint Interest = Posix.EPOLLIN | Posix.EPOLLOUT | Posix.EPOLLRDHUP | Posix.EPOLLET;
        private const uint ReadEvents = Posix.EPOLLIN | Posix.EPOLLERR | Posix.EPOLLHUP | Posix.EPOLLRDHUP;
        private const uint WriteEvents = Posix.EPOLLOUT | Posix.EPOLLERR | Posix.EPOLLHUP;

        private static readonly Action<object> s_abort = state => ((EpollSide)state).AbortPosted();

        private readonly int _slot;
        private readonly Operation _read = new Operation();
        private readonly Operation _write = new Operation();
        private EpollLoop _loop;
        private int _fd = -1;
        private int _generation;
        private int _abortGeneration = -1;
        private bool _readReady;
        private bool _writeReady;
        private bool _peerFinished; // the peer's FIN (or an error) is known: reads never block again
        private bool _readPending;
        private bool _writePending;
        private bool _connecting;
        private Memory<byte> _readBuffer;
        private ReadOnlyMemory<byte> _writeData;

        /// <summary>A side numbered in <paramref name="registry"/> (its epoll events carry the number).</summary>
        public EpollSide(EpollRegistry registry)
        {
            _slot = registry.Add(this);
        }

        /// <inheritdoc />
        public override EpollLoop Loop
        {
            get { return _loop; }
        }

        /// <inheritdoc />
        public int Generation
        {
            get { return Volatile.Read(ref _generation); }
        }

        /// <summary>Takes the accepted client <paramref name="accepted"/> (on its loop's thread); false when epoll would not take it (the client is closed).</summary>
        public bool Attach(in Accepted accepted)
        {
            _loop = accepted.Loop;
            return Register(accepted.Fd, true);
        }

        /// <summary>Runs on <paramref name="loop"/> (the upstream side, on its client's loop).</summary>
        public void Join(EpollLoop loop)
        {
            _loop = loop;
        }

        /// <inheritdoc />
        public override NetAddress LocalAddress(out int port)
        {
            port = 0;
            if (_fd < 0)
            {
                return new NetAddress();
            }

            byte* address = stackalloc byte[Posix.SockAddrBytes];
            int length = Posix.SockAddrBytes;
            return Posix.getsockname(_fd, address, &length) == 0 ? Posix.ReadAddress(address, out port) : new NetAddress();
        }

        /// <inheritdoc />
        public override ValueTask<int> ConnectAsync(NetAddress address, int port)
        {
            CloseNow(); // an earlier attempt's socket
            int fd = Posix.socket(address.IsIPv4 ? Posix.AF_INET : Posix.AF_INET6, Posix.SOCK_STREAM | Posix.SOCK_NONBLOCK | Posix.SOCK_CLOEXEC, Posix.IPPROTO_TCP);
            if (fd < 0)
            {
                return new ValueTask<int>(-1); // out of descriptors: ours, not the upstream's failing
            }

            Posix.NoDelay(fd);
            if (!Register(fd, false))
            {
                return new ValueTask<int>(-1);
            }

            byte* target = stackalloc byte[Posix.SockAddrBytes];
            int length = Posix.WriteAddress(address, port, target);
            if (Posix.connect(fd, target, length) == 0)
            {
                _writeReady = true;
                return new ValueTask<int>(1);
            }

            if (Posix.Errno != Posix.EINPROGRESS)
            {
                return new ValueTask<int>(0); // refused, unreachable
            }

            _connecting = true;
            return Park(_write, ref _writePending);
        }

        /// <inheritdoc />
        public override void Abort()
        {
            EpollLoop loop = _loop;
            if (loop != null)
            {
                Volatile.Write(ref _abortGeneration, Volatile.Read(ref _generation));
                loop.Post(s_abort, this); // the loop closes it: no call on the descriptor is under way there
            }
        }

        /// <inheritdoc />
        public override void Release()
        {
            base.Release();
            CloseNow();
        }

        /// <inheritdoc />
        public void OnEvents(uint events)
        {
            int generation = _generation;
            if ((events & ReadEvents) != 0)
            {
                _readReady = true;
                _peerFinished |= (events & (Posix.EPOLLRDHUP | Posix.EPOLLHUP | Posix.EPOLLERR)) != 0;
                if (_readPending)
                {
                    CompleteRead();
                }
            }

            // A continuation above may have ended the session and let go of the socket.
            if ((events & WriteEvents) != 0 && generation == _generation)
            {
                _writeReady = true;
                if (_writePending)
                {
                    CompleteWrite();
                }
            }
        }

        /// <summary>Reads the socket (for the TLS stream).</summary>
        internal ValueTask<int> ReceiveRawAsync(Memory<byte> buffer)
        {
            return SocketReceiveAsync(buffer);
        }

        /// <summary>Sends on the socket (for the TLS stream).</summary>
        internal ValueTask<int> SendRawAsync(ReadOnlyMemory<byte> data)
        {
            return SocketSendAsync(data);
        }

        /// <inheritdoc />
        protected override ValueTask<int> SocketReceiveAsync(Memory<byte> buffer)
        {
            if (_fd < 0)
            {
                return new ValueTask<int>(Failed);
            }

            if (_readReady)
            {
                if (buffer.IsEmpty)
                {
                    return new ValueTask<int>(0);
                }

                int result = TryReceive(buffer.Span);
                if (result != WouldBlock)
                {
                    return new ValueTask<int>(result);
                }
            }

            _readBuffer = buffer;
            return Park(_read, ref _readPending);
        }

        /// <inheritdoc />
        protected override ValueTask<int> SocketSendAsync(ReadOnlyMemory<byte> data)
        {
            if (_fd < 0)
            {
                return new ValueTask<int>(Failed);
            }

            if (_writeReady)
            {
                int result = TrySend(data.Span);
                if (result != WouldBlock)
                {
                    return new ValueTask<int>(result);
                }
            }

            _writeData = data;
            return Park(_write, ref _writePending);
        }

        /// <inheritdoc />
        protected override void SocketShutdown()
        {
            if (_fd >= 0)
            {
                Posix.shutdown(_fd, Posix.SHUT_WR);
            }
        }

        /// <inheritdoc />
        protected override Stream OpenStream()
        {
            return new EpollStream(this);
        }

        private static ValueTask<int> Park(Operation operation, ref bool pending)
        {
            pending = true;
            operation.Core.Reset();
            return new ValueTask<int>(operation, operation.Core.Version);
        }

        private bool Register(int fd, bool accepted)
        {
            _fd = fd;
            _generation++;
            _readReady = false; // epoll reports data already waiting as soon as the socket is added
            _writeReady = accepted;
            _peerFinished = false;
            if (Posix.Add(_loop.Epoll, fd, Interest, EpollRegistry.Token(_slot, _generation)))
            {
                return true;
            }

            CloseNow();
            return false;
        }

        private int TryReceive(Span<byte> buffer)
        {
            while (true)
            {
                nint count;
                fixed (byte* p = buffer)
                {
                    count = Posix.recv(_fd, p, buffer.Length, 0);
                }

                if (count >= 0)
                {
                    if (count < buffer.Length && !_peerFinished)
                    {
                        _readReady = false; // drained: what comes next raises a new edge (a FIN already in raised its own)
                    }

                    return (int)count;
                }

                int error = Posix.Errno;
                if (error == Posix.EINTR)
                {
                    continue;
                }

                if (error == Posix.EAGAIN)
                {
                    _readReady = false;
                    return WouldBlock;
                }

                _peerFinished = true;
                return Failed; // reset
            }
        }

        private int TrySend(ReadOnlySpan<byte> data)
        {
            while (true)
            {
                nint count;
                fixed (byte* p = data)
                {
                    count = Posix.send(_fd, p, data.Length, Posix.MSG_NOSIGNAL);
                }

                if (count >= 0)
                {
                    if (count < data.Length)
                    {
                        _writeReady = false; // the socket's buffer is full
                    }

                    return (int)count;
                }

                int error = Posix.Errno;
                if (error == Posix.EINTR)
                {
                    continue;
                }

                if (error == Posix.EAGAIN)
                {
                    _writeReady = false;
                    return WouldBlock;
                }

                return Failed; // reset, or the peer is gone
            }
        }

        private void CompleteRead()
        {
            int result = 0;
            if (!_readBuffer.IsEmpty)
            {
                result = TryReceive(_readBuffer.Span);
                if (result == WouldBlock)
                {
                    return; // not for us after all; the next edge will say
                }
            }

            _readPending = false;
            _readBuffer = default;
            _read.Core.SetResult(result);
        }

        private void CompleteWrite()
        {
            int result;
            if (_connecting)
            {
                int error = 0;
                int length = sizeof(int);
                Posix.getsockopt(_fd, Posix.SOL_SOCKET, Posix.SO_ERROR, (byte*)&error, &length);
                _connecting = false;
                result = error == 0 ? 1 : 0;
            }
            else
            {
                result = TrySend(_writeData.Span);
                if (result == WouldBlock)
                {
                    return;
                }
            }

            _writePending = false;
            _writeData = default;
            _write.Core.SetResult(result);
        }

        private void AbortPosted()
        {
            if (Volatile.Read(ref _abortGeneration) == _generation)
            {
                CloseNow();
            }
        }

        // Closes the descriptor (leaving epoll with it) and fails whatever waited on it.
        private void CloseNow()
        {
            int fd = _fd;
            if (fd < 0)
            {
                return;
            }

            _fd = -1;
            Volatile.Write(ref _generation, _generation + 1); // events still queued for it are dropped
            Posix.close(fd);
            if (_readPending)
            {
                _readPending = false;
                _readBuffer = default;
                _read.Core.SetResult(Failed);
            }

            if (_writePending)
            {
                int result = _connecting ? 0 : Failed; // a connect given up on is "not connected": the next upstream is tried
                _writePending = false;
                _connecting = false;
                _writeData = default;
                _write.Core.SetResult(result);
            }
        }

        /// <summary>One parked read or write, awaitable without allocating.</summary>
        private sealed class Operation : IValueTaskSource<int>
        {
            public ManualResetValueTaskSourceCore<int> Core;

            public Operation()
            {
                Core.RunContinuationsAsynchronously = false; // continue on the loop's thread, at once
            }

            public int GetResult(short token)
            {
                return Core.GetResult(token);
            }

            public ValueTaskSourceStatus GetStatus(short token)
            {
                return Core.GetStatus(token);
            }

            public void OnCompleted(Action<object> continuation, object state, short token, ValueTaskSourceOnCompletedFlags flags)
            {
                Core.OnCompleted(continuation, state, token, flags);
            }
        }
    }
}
