using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Pigeon.Host.Tls;
using Pigeon.Relay;
using Pigeon.Routing;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// One session of the event-driven pump: it carries out the steps of the session's one
    /// sequence (<see cref="RelaySession"/>, the same as the board's) on its two sides
    /// (<see cref="EventSide"/>: the client and the upstream), awaiting each operation instead of
    /// parking two threads. On Linux every await of a session completes on the epoll loop that
    /// accepted its client; elsewhere on the runtime's few I/O threads. Async state machines are
    /// pooled (<see cref="PoolingAsyncValueTaskMethodBuilder"/>) and the object and its sides are
    /// reused by the next client, so a session allocates nothing of its own.
    /// </summary>
    /// <remarks>
    /// A buffer is held only while bytes move: the first step waits for the client with a
    /// zero-byte read, admission borrows a small buffer (a larger one once a ClientHello outgrows
    /// it) until the relay starts, and then each direction waits with a zero-byte read, borrows a
    /// relay buffer, reads and forwards until a read comes back short (the socket is drained),
    /// and returns it. On terminateTls routes the client side runs the TLS (fed the bytes
    /// admission already read first); the pump is the same.
    /// </remarks>
    internal sealed class EventSession : RelaySession
    {
        /// <summary>How long one direction may keep the event loop's thread before it lets others have it (see PumpAsync).</summary>
        private const int YieldMilliseconds = 2;

        private static readonly long s_yieldTicks = Stopwatch.Frequency * YieldMilliseconds / 1000;

        private static readonly Func<object, bool> s_resolve = state => ((EventSession)state).Resolve();
        private readonly EventRelay _owner;
        private readonly Action _onRunCompleted;
        private readonly EventSide _client;
        private readonly EventSide _upstream;
        private ValueTask _running;

        internal EventSession(EventRelay owner)
            : base(owner)
        {
            _owner = owner;
            _onRunCompleted = RunCompleted;
            _client = owner.NewSide();
            _upstream = owner.NewSide();
        }

        /// <summary>Serves the client <paramref name="accepted"/>, admitted by the relay, until both sides are done (on Linux, on its loop's thread).</summary>
        internal void Start(Route route, in Accepted accepted, ulong countedKey)
        {
            bool attached = _owner.Attach(_client, _upstream, accepted);
            int localPort = 0;
            Pigeon.Net.NetAddress local = attached && route.ProxyProtocol ? _client.LocalAddress(out localPort) : new Pigeon.Net.NetAddress(); // only a PROXY header needs it
            SessionStep first = Begin(route, accepted.Address, accepted.Port, local, localPort, countedKey);
            _running = RunAsync(attached ? first : SessionStep.Done);
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
            _client.Abort(); // a pending read, write or handshake on it fails at once
        }

        /// <inheritdoc />
        protected override void CloseUpstreamIO()
        {
            _upstream.Abort();
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
            _owner.Recycle(this, _client.Loop);
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
                            // Hold no buffer until the client sends something.
                            result = await _client.ReceiveAsync(Memory<byte>.Empty).ConfigureAwait(false) < 0 ? -1 : 0;
                            break;
                        case SessionStep.ReadClient:
                            result = await _client.ReceiveAsync(StepBuffer.AsMemory(StepOffset, StepCount)).ConfigureAwait(false);
                            break;
                        case SessionStep.Handshake:
                            if (!await HandshakeAsync().ConfigureAwait(false))
                            {
                                step = HandshakeFailed(_client.TlsRefusal);
                                continue;
                            }

                            result = 1;
                            break;
                        case SessionStep.Resolve:
                            // A name not in the cache is resolved off the event loop (rare: answers live 5 min),
                            // and the session comes back to its loop after.
                            result = await Task.Factory.StartNew(s_resolve, this, default, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default).ConfigureAwait(false) ? 1 : 0;
                            if (_client.Loop != null)
                            {
                                await new LoopAwaitable(_client.Loop);
                            }

                            break;
                        case SessionStep.Connect:
                            // 1 when connected, 0 when not (the session then tries the next upstream), -1 when no
                            // socket could be made (the open-file limit).
                            result = await _upstream.ConnectAsync(TargetAddress, TargetPort).ConfigureAwait(false);
                            break;
                        case SessionStep.SendUpstream:
                            result = await SendAllAsync(_upstream, StepBuffer.AsMemory(StepOffset, StepCount)).ConfigureAwait(false) ? 1 : 0;
                            break;
                        case SessionStep.SendClient:
                            result = await SendAllAsync(_client, StepBuffer.AsMemory(StepOffset, StepCount)).ConfigureAwait(false) ? 1 : 0;
                            break;
                        case SessionStep.ShutdownClient:
                            await _client.ShutdownAsync().ConfigureAwait(false);
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
                _client.Release();
                _upstream.Release();
            }
        }

        // The TLS handshake of a terminateTls route: false, with the client side's refusal, when it failed.
        private ValueTask<bool> HandshakeAsync()
        {
            CertificateStore certificates = _owner.Certificates;
            if (certificates == null)
            {
                return new ValueTask<bool>(false); // no certificate loaded (counted as tls_failed)
            }

            return _client.StartTlsAsync(certificates, StepBuffer, StepOffset, StepCount);
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
                        // YieldMilliseconds of that it goes to the back of its loop's queue (the
                        // thread pool on the portable pump); a direction that waits now and then
                        // has let the loop go already and never pays for it.
                        long now = Stopwatch.GetTimestamp();
                        if (since == 0)
                        {
                            since = now;
                        }
                        else if (now - since > s_yieldTicks)
                        {
                            since = 0;
                            EpollLoop loop = _client.Loop;
                            if (loop != null)
                            {
                                await new LoopAwaitable(loop); // after the other sockets the loop has ready
                            }
                            else
                            {
                                await Task.Yield();
                            }
                        }

                        continue;
                    }

                    if (count < 0)
                    {
                        break; // reset, closed by the reaper or the other direction, or a TLS failure
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

        // What one read gives when more is waiting (the side knows: a socket fills the buffer, a
        // TLS record carries at most 16 KB). Less means the source is drained for now, and the
        // buffer goes back to the pool until the next zero-byte read wakes.
        private int FullRead(bool forward, byte[] buffer)
        {
            return (forward ? _client : _upstream).FullRead(buffer.Length);
        }

        // The forward direction reads the client and writes the upstream (admission, connect and
        // replay come before it, on the same sides); the backward one reads the upstream and
        // writes the client.
        private ValueTask<int> ReadAsync(bool forward, Memory<byte> buffer)
        {
            return (forward ? _client : _upstream).ReceiveAsync(buffer);
        }

        private ValueTask<bool> WriteAsync(bool forward, ReadOnlyMemory<byte> data)
        {
            return SendAllAsync(forward ? _upstream : _client, data);
        }

        private ValueTask ShutdownAsync(bool forward)
        {
            return (forward ? _upstream : _client).ShutdownAsync();
        }

        private static ValueTask<bool> SendAllAsync(EventSide side, ReadOnlyMemory<byte> data)
        {
            ValueTask<int> send = side.SendAsync(data);
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

                return SendRestAsync(side, data.Slice(sent), default);
            }

            return SendRestAsync(side, data, send);
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private static async ValueTask<bool> SendRestAsync(EventSide side, ReadOnlyMemory<byte> data, ValueTask<int> pending)
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
                int more = await side.SendAsync(data.Slice(sent)).ConfigureAwait(false);
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
