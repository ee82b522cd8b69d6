using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Pigeon.Host.Tls;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Routing;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// One session of the event-driven pump: it carries out the steps of the session's one
    /// sequence (<see cref="RelaySession"/>, the same as the board's) with non-blocking sockets
    /// driven by the runtime's event loop instead of two parked threads. Awaits complete on the
    /// runtime's few I/O and pool threads, whatever the session count; async state machines are
    /// pooled (<see cref="PoolingAsyncValueTaskMethodBuilder"/>) and the object is reused by the
    /// next client, so a session allocates only the runtime's own socket objects.
    /// </summary>
    /// <remarks>
    /// A buffer is held only while bytes move: the first step waits for the client with a
    /// zero-byte read, admission borrows a small buffer (a larger one once a ClientHello outgrows
    /// it) until the relay starts, and then each direction waits with a zero-byte read, borrows a
    /// relay buffer, reads and forwards until a read comes back short (the socket is drained),
    /// and returns it. On terminateTls routes the client side is an SslStream over the socket
    /// (fed the bytes admission already read first); the pump is the same.
    /// </remarks>
    internal sealed class EventSession : RelaySession
    {
        /// <summary>The most plaintext one TLS record carries (RFC 8446 §5.1).</summary>
        private const int TlsRecordPlaintext = 16384;

        /// <summary>How long one direction may keep the event loop's thread before it lets others have it (see PumpAsync).</summary>
        private const int YieldMilliseconds = 2;

        private static readonly long s_yieldTicks = Stopwatch.Frequency * YieldMilliseconds / 1000;

        private static readonly Func<object, bool> s_resolve = state => ((EventSession)state).Resolve();
        private readonly EventRelay _owner;
        private readonly Action _onRunCompleted;
        private readonly SocketOperation _forwardOp = new SocketOperation();
        private readonly SocketOperation _backwardOp = new SocketOperation();
        private Socket _client;
        private Socket _upstream;
        private SslStream _tls;
        private IPEndPoint _lastEndPoint;
        private ValueTask _running;
        private RefusalReason _refusal;

        internal EventSession(EventRelay owner)
            : base(owner)
        {
            _owner = owner;
            _onRunCompleted = RunCompleted;
        }

        /// <summary>Serves <paramref name="client"/>, admitted by the relay, until both sides are done.</summary>
        internal void Start(Route route, Socket client, ulong countedKey)
        {
            _client = client;
            IPEndPoint remote = client.RemoteEndPoint as IPEndPoint;
            IPEndPoint local = route.ProxyProtocol ? client.LocalEndPoint as IPEndPoint : null; // only a PROXY header needs it
            SessionStep first = Begin(route, EventRelay.Pack(remote), remote == null ? 0 : remote.Port, EventRelay.Pack(local), local == null ? 0 : local.Port, countedKey);
            _running = RunAsync(first);
            if (_running.IsCompleted)
            {
                RunCompleted();
            }
            else
            {
                _running.GetAwaiter().UnsafeOnCompleted(_onRunCompleted);
            }
        }

        /// <inheritdoc />
        protected override void CloseClientIO()
        {
            Socket client = _client;
            if (client != null)
            {
                try
                {
                    // A FIN, as a server closing on a timeout sends, not the reset .NET sends when
                    // a socket with an operation under way is disposed.
                    client.Shutdown(SocketShutdown.Both);
                }
                catch (Exception)
                {
                    // gone already
                }

                client.Dispose(); // a pending read, write or handshake on it fails at once
            }
        }

        /// <inheritdoc />
        protected override void CloseUpstreamIO()
        {
            Socket upstream = _upstream;
            if (upstream != null)
            {
                upstream.Dispose();
            }
        }

        /// <inheritdoc />
        protected override byte[] RentBuffer(int atLeast)
        {
            BufferPool pool = _owner.AdmissionPool.Size >= atLeast ? _owner.AdmissionPool
                : _owner.HelloPool.Size >= atLeast ? _owner.HelloPool
                : null;
            return pool == null ? null : pool.Rent();
        }

        /// <inheritdoc />
        protected override void ReturnBuffer(byte[] buffer)
        {
            (buffer.Length == _owner.AdmissionPool.Size ? _owner.AdmissionPool : _owner.HelloPool).Return(buffer);
        }

        private void RunCompleted()
        {
            try
            {
                _running.GetAwaiter().GetResult(); // returns the pooled state machine
            }
            catch (Exception e)
            {
                _owner.Log.Warn("session ended by an unexpected error: " + e.GetType().Name);
            }

            _running = default;
            _owner.Recycle(this);
        }

        // Carries out the session's steps, awaiting each, until it relays or is done.
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        private async ValueTask RunAsync(SessionStep step)
        {
            try
            {
                while (true)
                {
                    int result;
                    switch (step)
                    {
                        case SessionStep.WaitClient:
                            // Hold no buffer until the client sends something. Inside TLS the
                            // stream may hold decrypted bytes already: read at once instead.
                            result = _tls != null ? 0 : await _forwardOp.ReceiveAsync(_client, Memory<byte>.Empty).ConfigureAwait(false) < 0 ? -1 : 0;
                            break;
                        case SessionStep.ReadClient:
                            result = await ReadClientOrFailAsync(StepBuffer.AsMemory(StepOffset, StepCount)).ConfigureAwait(false);
                            break;
                        case SessionStep.Handshake:
                            if (!await HandshakeAsync().ConfigureAwait(false))
                            {
                                step = HandshakeFailed(_refusal);
                                continue;
                            }

                            result = 1;
                            break;
                        case SessionStep.Resolve:
                            // A name not in the cache is resolved off the event loop (rare: answers live 5 min).
                            result = await Task.Factory.StartNew(s_resolve, this, default, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default).ConfigureAwait(false) ? 1 : 0;
                            break;
                        case SessionStep.Connect:
                            result = await ConnectAsync().ConfigureAwait(false);
                            break;
                        case SessionStep.SendUpstream:
                            result = await SendAllAsync(_forwardOp, _upstream, StepBuffer.AsMemory(StepOffset, StepCount)).ConfigureAwait(false) ? 1 : 0;
                            break;
                        case SessionStep.SendClient:
                            result = await WriteClientOrFailAsync(StepBuffer.AsMemory(StepOffset, StepCount)).ConfigureAwait(false) ? 1 : 0;
                            break;
                        case SessionStep.ShutdownClient:
                            await ShutdownClientOrFailAsync().ConfigureAwait(false);
                            result = 1;
                            break;
                        case SessionStep.Relay:
                            ValueTask backward = PumpAsync(false);
                            await PumpAsync(true).ConfigureAwait(false);
                            await backward.ConfigureAwait(false);
                            return;
                        default:
                            return;
                    }

                    step = Completed(result);
                }
            }
            finally
            {
                End();
                SslStream tls = _tls;
                _tls = null;
                if (tls != null)
                {
                    tls.Dispose();
                }

                _client = null;
                _upstream = null;
            }
        }

        // The TLS handshake of a terminateTls route: false, with _refusal, when it failed.
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> HandshakeAsync()
        {
            CertificateStore certificates = _owner.Certificates;
            _refusal = RefusalReason.TlsFailed;
            if (certificates == null)
            {
                return false; // no certificate loaded
            }

            TlsHandshake handshake = new TlsHandshake(new NetworkStream(_client, false), StepBuffer, StepOffset, StepCount);
            _tls = handshake.Stream;
            if (await handshake.RunAsync(certificates).ConfigureAwait(false))
            {
                return true;
            }

            _tls = null;
            _refusal = handshake.Refusal;
            return false;
        }

        // 1 when connected, 0 when not (the session then tries the next upstream), -1 when no
        // socket could be made (the open-file limit).
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<int> ConnectAsync()
        {
            NetAddress target = TargetAddress;
            if (_lastEndPoint == null || !EventRelay.Pack(_lastEndPoint).SameAs(target) || _lastEndPoint.Port != TargetPort)
            {
                _lastEndPoint = new IPEndPoint(EventRelay.Unpack(target), TargetPort);
            }

            Socket upstream;
            try
            {
                upstream = new Socket(_lastEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            }
            catch (SocketException)
            {
                return -1; // out of descriptors: ours, not the upstream's failing
            }

            upstream.NoDelay = true;
            _upstream = upstream;
            return await _forwardOp.ConnectAsync(upstream, _lastEndPoint).ConfigureAwait(false) == 0 ? 1 : 0;
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<int> ReadClientOrFailAsync(Memory<byte> buffer)
        {
            try
            {
                return await ReadClientAsync(buffer).ConfigureAwait(false);
            }
            catch (Exception)
            {
                return -1; // a TLS stream that failed (the socket side answers -1 instead)
            }
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> WriteClientOrFailAsync(ReadOnlyMemory<byte> data)
        {
            try
            {
                return await WriteClientAsync(data).ConfigureAwait(false);
            }
            catch (Exception)
            {
                return false; // the prober went away; it was counted when the answer was written
            }
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        private async ValueTask ShutdownClientOrFailAsync()
        {
            try
            {
                await ShutdownClientAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // gone already
            }
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        private async ValueTask PumpAsync(bool forward)
        {
            BufferPool pool = _owner.Pool;
            byte[] buffer = null;
            long since = 0; // when this run of operations that all completed at once began (0: at the next one)
            try
            {
                while (true)
                {
                    if (buffer == null)
                    {
                        // Wait for data holding no buffer (an idle session costs its sockets only).
                        ValueTask<int> wait = ReadAsync(forward, Memory<byte>.Empty);
                        since = wait.IsCompleted ? since : 0;
                        if (await wait.ConfigureAwait(false) < 0)
                        {
                            break;
                        }

                        buffer = pool.Rent();
                    }

                    ValueTask<int> read = ReadAsync(forward, buffer);
                    since = read.IsCompleted ? since : 0;
                    int count = await read.ConfigureAwait(false);
                    if (count > 0)
                    {
                        Touched();
                        ValueTask<bool> write = WriteAsync(forward, buffer.AsMemory(0, count));
                        since = write.IsCompleted ? since : 0;
                        if (!await write.ConfigureAwait(false))
                        {
                            break;
                        }

                        Moved(forward, count);
                        if (count < FullRead(forward, buffer))
                        {
                            pool.Return(buffer); // drained for now
                            buffer = null;
                        }

                        // Socket continuations run on the event loop's own threads: a stream whose
                        // reads and writes keep completing at once would hold one for as long as it
                        // flows, and every other session on it would wait (measured: connections
                        // per second beside one bulk stream fell from 4,265 to 434). After
                        // YieldMilliseconds of that it moves to the thread pool; a direction that
                        // waits now and then has let the loop go already and never pays for it.
                        long now = Stopwatch.GetTimestamp();
                        if (since == 0)
                        {
                            since = now;
                        }
                        else if (now - since > s_yieldTicks)
                        {
                            since = 0;
                            await Task.Yield();
                        }

                        continue;
                    }

                    if (count < 0)
                    {
                        break; // reset, or closed by the reaper or the other direction
                    }

                    // This side finished: pass the FIN on and let the other direction run until
                    // it ends or goes quiet for the drain time.
                    pool.Return(buffer);
                    buffer = null;
                    await ShutdownAsync(forward).ConfigureAwait(false);
                    if (DirectionFinished(forward))
                    {
                        return;
                    }

                    break;
                }
            }
            catch (Exception)
            {
                // a TLS stream that failed (the socket side answers -1 instead)
            }
            finally
            {
                if (buffer != null)
                {
                    pool.Return(buffer);
                }
            }

            CloseAll(); // the other direction's pending call fails at once
        }

        // What one read gives when more is waiting: the whole buffer from a socket, one record's
        // plaintext (RFC 8446 §5.1: at most 16 KB) from the TLS. Less means the source is drained
        // for now, and the buffer goes back to the pool until the next zero-byte read wakes.
        private int FullRead(bool forward, byte[] buffer)
        {
            return forward && _tls != null && buffer.Length > TlsRecordPlaintext ? TlsRecordPlaintext : buffer.Length;
        }

        // Each direction has its own operation: the forward one reads the client and writes the
        // upstream (admission, connect and replay use it too, before the pumps start); the
        // backward one reads the upstream and writes the client.
        private ValueTask<int> ReadAsync(bool forward, Memory<byte> buffer)
        {
            return forward ? ReadClientAsync(buffer) : _backwardOp.ReceiveAsync(_upstream, buffer);
        }

        private ValueTask<bool> WriteAsync(bool forward, ReadOnlyMemory<byte> data)
        {
            return forward ? SendAllAsync(_forwardOp, _upstream, data) : WriteClientAsync(data);
        }

        private ValueTask ShutdownAsync(bool forward)
        {
            if (forward)
            {
                _upstream.Shutdown(SocketShutdown.Send);
                return default;
            }

            return ShutdownClientAsync();
        }

        private ValueTask<int> ReadClientAsync(Memory<byte> buffer)
        {
            SslStream tls = _tls;
            return tls != null ? tls.ReadAsync(buffer) : _forwardOp.ReceiveAsync(_client, buffer);
        }

        private ValueTask<bool> WriteClientAsync(ReadOnlyMemory<byte> data)
        {
            SslStream tls = _tls;
            return tls != null ? WriteTlsAsync(tls, data) : SendAllAsync(_backwardOp, _client, data);
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private static async ValueTask<bool> WriteTlsAsync(SslStream tls, ReadOnlyMemory<byte> data)
        {
            await tls.WriteAsync(data).ConfigureAwait(false);
            return true;
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        private async ValueTask ShutdownClientAsync()
        {
            SslStream tls = _tls;
            if (tls != null)
            {
                await tls.ShutdownAsync().ConfigureAwait(false); // close_notify, then the FIN
            }

            _client.Shutdown(SocketShutdown.Send);
        }

        private static ValueTask<bool> SendAllAsync(SocketOperation op, Socket socket, ReadOnlyMemory<byte> data)
        {
            ValueTask<int> send = op.SendAsync(socket, data);
            if (send.IsCompletedSuccessfully)
            {
                int sent = send.Result;
                if (sent == data.Length)
                {
                    return new ValueTask<bool>(true); // the usual case: the kernel took it all at once
                }

                if (sent <= 0)
                {
                    return new ValueTask<bool>(false);
                }

                return SendRestAsync(op, socket, data.Slice(sent), default);
            }

            return SendRestAsync(op, socket, data, send);
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private static async ValueTask<bool> SendRestAsync(SocketOperation op, Socket socket, ReadOnlyMemory<byte> data, ValueTask<int> pending)
        {
            int sent = 0;
            if (pending != default)
            {
                sent = await pending.ConfigureAwait(false);
                if (sent <= 0)
                {
                    return false;
                }
            }

            while (sent < data.Length)
            {
                int more = await op.SendAsync(socket, data.Slice(sent)).ConfigureAwait(false);
                if (more <= 0)
                {
                    return false;
                }

                sent += more;
            }

            return true;
        }
    }
}
