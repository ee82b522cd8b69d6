using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using Pigeon.Host.Tls;
using Pigeon.Net;
using Pigeon.Relay;

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
    /// <para>
    /// On a terminateTls route the client's TLS is OpenSSL's own, over this socket
    /// (<see cref="TlsBio"/>, <see cref="TlsContext"/>): the same reads and writes, each an
    /// SSL_read or SSL_write, parked the same way when OpenSSL wants the socket. A read takes
    /// every record already there, up to the buffer (so a 64 KB buffer leaves in one send, not
    /// four). Where OpenSSL cannot be bound, SslStream runs over the socket instead.
    /// </para>
    /// </remarks>
    internal sealed class EpollSide : EventSide, IEpollHandler
    {
        private const int WouldBlock = -2;
        private const uint Interest = Posix.EPOLLIN | Posix.EPOLLOUT | Posix.EPOLLRDHUP | Posix.EPOLLET;
        private const uint ReadEvents = Posix.EPOLLIN | Posix.EPOLLERR | Posix.EPOLLHUP | Posix.EPOLLRDHUP;
        private const uint WriteEvents = Posix.EPOLLOUT | Posix.EPOLLERR | Posix.EPOLLHUP;

        private static readonly Action<object> s_abort = state => ((EpollSide)state).AbortPosted();

        private readonly int _slot;
        private readonly bool _openSsl;
        private readonly Operation _read = new Operation();
        private readonly Operation _write = new Operation();
        private EpollLoop _loop;
        private int _fd = -1;
        private int _generation;
        private int _abortGeneration = -1;
        private volatile bool _abortFin;
        private bool _readReady;
        private bool _writeReady;
        private bool _peerFinished; // the peer's FIN (or an error) is known: reads never block again
        private bool _readPending;
        private bool _writePending;
        private bool _connecting;
        private Memory<byte> _readBuffer;
        private ReadOnlyMemory<byte> _writeData;
        private IntPtr _ssl;
        private unsafe TlsBio.State* _bio;
        private bool _readWantsWrite; // SSL_read needs the socket writable (a TLS 1.3 key update answered)
        private bool _writeWantsRead; // SSL_write needs the socket readable
        private bool _tlsFinished;    // close_notify or the FIN was read: reads answer 0
        private bool _tlsFailed;      // a fatal TLS error: no close_notify may follow

        /// <summary>A side numbered in <paramref name="registry"/> (its epoll events carry the number); TLS through OpenSSL when <paramref name="openSsl"/>.</summary>
        public EpollSide(EpollRegistry registry, bool openSsl)
        {
            _slot = registry.Add(this);
            _openSsl = openSsl;
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

        /// <inheritdoc />
        public override bool IsTls
        {
            get { return _ssl != IntPtr.Zero || base.IsTls; }
        }

        /// <inheritdoc />
        public override int FullRead(int bufferLength)
        {
            return _ssl != IntPtr.Zero ? bufferLength : base.FullRead(bufferLength); // a TLS read fills the buffer while records are there
        }

        /// <inheritdoc />
        public override unsafe int BeginTls(CertificateStore certificates, byte[] first, int offset, int count)
        {
            TlsContext context = _fd >= 0 && _openSsl ? TlsContext.For(certificates.Choose(first, offset, count, null)) : null;
            if (context == null)
            {
                return TlsNeedsStream; // SslStream over this socket
            }

            TlsRefusal = RefusalReason.TlsFailed;
            _bio = TlsBio.NewState(_fd, new ReadOnlySpan<byte>(first, offset, count));
            IntPtr bio = TlsBio.Create(_bio);
            _ssl = bio == IntPtr.Zero ? IntPtr.Zero : OpenSsl.SSL_new(context.Handle);
            if (_ssl == IntPtr.Zero)
            {
                OpenSsl.ERR_clear_error();
                return TlsFailed; // out of memory; the BIO, if made, is freed with the session's state
            }

            OpenSsl.SSL_set_bio(_ssl, bio, bio); // the SSL owns the BIO from here
            OpenSsl.SSL_set_accept_state(_ssl);
            return ContinueTls();
        }

        /// <inheritdoc />
        public override ValueTask<int> WaitAsync(bool writable)
        {
            return writable ? SocketSendAsync(ReadOnlyMemory<byte>.Empty) : SocketReceiveAsync(Memory<byte>.Empty);
        }

        /// <inheritdoc />
        public override unsafe ValueTask ShutdownAsync()
        {
            if (_ssl == IntPtr.Zero)
            {
                return base.ShutdownAsync();
            }

            if (_fd >= 0 && !_tlsFailed)
            {
                OpenSsl.ERR_clear_error();
                OpenSsl.SSL_shutdown(_ssl); // close_notify; best effort when the socket's buffer is full
                TakeBioFlags();
            }

            SocketShutdown();
            return default;
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
        public override unsafe NetAddress LocalAddress(out int port)
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
        public override unsafe ValueTask<int> ConnectAsync(NetAddress address, int port)
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
        public override void Abort(bool fin)
        {
            EpollLoop loop = _loop;
            if (loop != null)
            {
                _abortFin = fin;
                Volatile.Write(ref _abortGeneration, Volatile.Read(ref _generation));
                loop.Post(s_abort, this); // the loop closes it: no call on the descriptor is under way there
            }
        }

        /// <inheritdoc />
        public override unsafe void Release()
        {
            base.Release();
            CloseNow();
            if (_ssl != IntPtr.Zero)
            {
                OpenSsl.SSL_free(_ssl); // and its BIO
                _ssl = IntPtr.Zero;
            }

            if (_bio != null)
            {
                TlsBio.FreeState(_bio);
                _bio = null;
            }

            _readWantsWrite = false;
            _writeWantsRead = false;
            _tlsFinished = false;
            _tlsFailed = false;
        }

        /// <inheritdoc />
        public void OnEvents(uint events)
        {
            int generation = _generation;
            if ((events & ReadEvents) != 0)
            {
                _readReady = true;
                _peerFinished |= (events & (Posix.EPOLLRDHUP | Posix.EPOLLHUP | Posix.EPOLLERR)) != 0;
                if (_readPending && !_readWantsWrite)
                {
                    CompleteRead();
                }

                if (_writePending && _writeWantsRead && generation == _generation)
                {
                    CompleteWrite();
                }
            }

            // A continuation above may have ended the session and let go of the socket.
            if ((events & WriteEvents) != 0 && generation == _generation)
            {
                _writeReady = true;
                if (_writePending && !_writeWantsRead)
                {
                    CompleteWrite();
                }

                if (_readPending && _readWantsWrite && generation == _generation)
                {
                    CompleteRead();
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
        protected override unsafe ValueTask<int> SocketReceiveAsync(Memory<byte> buffer)
        {
            if (_fd < 0)
            {
                return new ValueTask<int>(Failed);
            }

            if (_readReady || (_ssl != IntPtr.Zero && OpenSsl.SSL_pending(_ssl) > 0))
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

        private unsafe int TryReceive(Span<byte> buffer)
        {
            if (_ssl != IntPtr.Zero)
            {
                return TlsReceive(buffer);
            }

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

        private unsafe int TrySend(ReadOnlySpan<byte> data)
        {
            if (_ssl != IntPtr.Zero)
            {
                return TlsSend(data);
            }

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

        private unsafe void CompleteWrite()
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

        /// <inheritdoc />
        public override unsafe int ContinueTls()
        {
            for (int spins = 0; ; spins++)
            {
                OpenSsl.ERR_clear_error();
                int result = OpenSsl.SSL_do_handshake(_ssl);
                int flags = TakeBioFlags();
                if (result == 1)
                {
                    return TlsDone;
                }

                int error = OpenSsl.SSL_get_error(_ssl, result);
                if (error == OpenSsl.SSL_ERROR_WANT_READ && ((flags & TlsBio.ReadBlocked) != 0 || spins >= 4))
                {
                    _readReady = false;
                    return TlsWantsRead;
                }

                if (error == OpenSsl.SSL_ERROR_WANT_WRITE && ((flags & TlsBio.WriteBlocked) != 0 || spins >= 4))
                {
                    _writeReady = false;
                    return TlsWantsWrite;
                }

                if (error != OpenSsl.SSL_ERROR_WANT_READ && error != OpenSsl.SSL_ERROR_WANT_WRITE)
                {
                    // The client went away (its FIN, a reset, our close at the hello timeout), or its
                    // TLS was refused (no common version or cipher, a malformed message).
                    _tlsFailed = true;
                    OpenSsl.ERR_clear_error();
                    TlsRefusal = (flags & (TlsBio.PeerClosed | TlsBio.Broken)) != 0 || _fd < 0 ? RefusalReason.ClosedEarly : RefusalReason.TlsFailed;
                    return TlsFailed;
                }

                // OpenSSL moved on without the socket: ask again.
            }
        }

        // Reads every record's plaintext already there, up to the buffer.
        private unsafe int TlsReceive(Span<byte> buffer)
        {
            if (_tlsFinished)
            {
                return 0;
            }

            int total = 0;
            int spins = 0;
            fixed (byte* p = buffer)
            {
                while (total < buffer.Length)
                {
                    OpenSsl.ERR_clear_error();
                    int count = OpenSsl.SSL_read(_ssl, p + total, buffer.Length - total);
                    int flags = TakeBioFlags();
                    if (count > 0)
                    {
                        total += count;
                        continue;
                    }

                    int error = OpenSsl.SSL_get_error(_ssl, count);
                    if (error == OpenSsl.SSL_ERROR_WANT_READ)
                    {
                        if ((flags & TlsBio.ReadBlocked) == 0 && ++spins <= 4)
                        {
                            continue; // a record that was not data (a ticket, a key update): read on
                        }

                        _readReady = false;
                        break;
                    }

                    if (error == OpenSsl.SSL_ERROR_WANT_WRITE)
                    {
                        _readWantsWrite = true;
                        break;
                    }

                    // close_notify, the FIN without one (as SslStream, an end, not an error), or a failure.
                    OpenSsl.ERR_clear_error();
                    _tlsFinished = error == OpenSsl.SSL_ERROR_ZERO_RETURN || (flags & TlsBio.PeerClosed) != 0;
                    _tlsFailed |= error != OpenSsl.SSL_ERROR_ZERO_RETURN;
                    if (total > 0)
                    {
                        return total; // the end comes with the next read
                    }

                    return _tlsFinished ? 0 : Failed;
                }
            }

            if (total > 0)
            {
                _readWantsWrite = false;
                return total;
            }

            return WouldBlock;
        }

        private unsafe int TlsSend(ReadOnlySpan<byte> data)
        {
            if (data.IsEmpty)
            {
                return 0;
            }

            int count;
            OpenSsl.ERR_clear_error();
            fixed (byte* p = data)
            {
                count = OpenSsl.SSL_write(_ssl, p, data.Length);
            }

            TakeBioFlags();
            if (count > 0)
            {
                _writeWantsRead = false;
                return count; // whole records sent (partial-write mode: perhaps not all of data)
            }

            int error = OpenSsl.SSL_get_error(_ssl, count);
            if (error == OpenSsl.SSL_ERROR_WANT_WRITE)
            {
                _writeReady = false;
                return WouldBlock; // retried with the same bytes when the socket is writable
            }

            if (error == OpenSsl.SSL_ERROR_WANT_READ)
            {
                _writeWantsRead = true;
                return WouldBlock;
            }

            OpenSsl.ERR_clear_error();
            _tlsFailed = true;
            return Failed;
        }

        // What the BIO saw during the last OpenSSL call, cleared for the next; the socket's
        // readiness follows it.
        private unsafe int TakeBioFlags()
        {
            int flags = _bio->Flags;
            _bio->Flags = 0;
            if ((flags & TlsBio.ReadBlocked) != 0)
            {
                _readReady = false;
            }

            if ((flags & TlsBio.WriteBlocked) != 0)
            {
                _writeReady = false;
            }

            return flags;
        }

        private void AbortPosted()
        {
            if (Volatile.Read(ref _abortGeneration) == _generation)
            {
                if (_abortFin && _fd >= 0)
                {
                    Posix.shutdown(_fd, Posix.SHUT_RDWR); // the FIN goes out before close() (a reset follows only if bytes were left unread)
                }

                CloseNow();
            }
        }

        // Closes the descriptor (leaving epoll with it) and fails whatever waited on it.
        private unsafe void CloseNow()
        {
            int fd = _fd;
            if (fd < 0)
            {
                return;
            }

            _fd = -1;
            Volatile.Write(ref _generation, _generation + 1); // events still queued for it are dropped
            if (_bio != null)
            {
                _bio->Fd = -1; // OpenSSL never touches the number again (another socket may get it)
            }

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
