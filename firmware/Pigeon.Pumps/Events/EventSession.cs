using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Pigeon.Host.Tls;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Routing;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// One session of the event-driven pump: it carries out the steps of the session's one
    /// sequence (<see cref="RelaySession"/>, the same as the board's) on its two sides
    /// (<see cref="EventSide"/>: the client and the upstream), awaiting each operation instead of
    /// parking two threads. On Linux every await of a session completes on the epoll loop that
    /// accepted its client; elsewhere on the runtime's few I/O threads.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The object and its sides are reused by client after client, and so are its three async
    /// loops: one runs the steps, two pump the directions. Each is started once, when the object
    /// is made, and between clients waits on a <see cref="Signal"/>; so their state machines are
    /// allocated once per object, never per session (a pooled async method per session allocated
    /// again whenever more sessions ran at once than its pool held: 126 bytes per connection on
    /// average in the connection-rate loop).
    /// </para>
    /// <para>
    /// A buffer is held only while bytes move: the first step waits for the client with a
    /// zero-byte read, admission borrows a small buffer (a larger one once a ClientHello outgrows
    /// it) until the relay starts, and then each direction waits with a zero-byte read, borrows a
    /// relay buffer, reads and forwards until a read comes back short (the socket is drained),
    /// and returns it. On terminateTls routes the client side runs the TLS (fed the bytes
    /// admission already read first); the pump is the same.
    /// </para>
    /// </remarks>
    internal sealed class EventSession : RelaySession
    {
        /// <summary>How long one direction may keep the event loop's thread before it lets others have it (see PumpLoopAsync).</summary>
        private const int YieldMilliseconds = 2;

        private static readonly long s_yieldTicks = Stopwatch.Frequency * YieldMilliseconds / 1000;

        private static readonly Func<object, bool> s_resolve = state => ((EventSession)state).Resolve();
        private readonly EventRelay _owner;
        private readonly EventSide _client;
        private readonly EventSide _upstream;
        private readonly Signal _start = new Signal();
        private readonly Signal _forwardStart = new Signal();
        private readonly Signal _backwardStart = new Signal();
        private readonly Signal _pumpsDone = new Signal();
        private SessionStep _first;
        private int _pumpsRunning;

        internal EventSession(EventRelay owner)
            : base(owner)
        {
            _owner = owner;
            _client = owner.NewSide();
            _upstream = owner.NewSide();
            _ = RunLoopAsync();
            _ = PumpLoopAsync(true);
            _ = PumpLoopAsync(false);
        }

        /// <summary>Serves the client <paramref name="accepted"/>, admitted by the relay, until both sides are done (on Linux, on its loop's thread).</summary>
        internal void Start(Route route, in Accepted accepted, ulong countedKey)
        {
            bool attached = _owner.Attach(_client, _upstream, accepted);
            int localPort = 0;
            NetAddress local = attached && route.ProxyProtocol ? _client.LocalAddress(out localPort) : new NetAddress(); // only a PROXY header needs it
            SessionStep first = Begin(route, accepted.Address, accepted.Port, local, localPort, countedKey);
            _first = attached ? first : SessionStep.Done;
            _start.Set(); // the steps run from here, on this thread, until the first wait
        }

        /// <inheritdoc />
        protected override void CloseClientIO()
        {
            _client.Abort(true); // a pending read, write or handshake on it fails at once; the client sees a FIN
        }

        /// <inheritdoc />
        protected override void CloseUpstreamIO()
        {
            _upstream.Abort(false);
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

        // For each client: carries out the session's steps, awaiting each, until it relays or is
        // done; then ends it and waits for the next client.
        private async Task RunLoopAsync()
        {
            while (true)
            {
                await _start.Wait().ConfigureAwait(false);
                _start.Reset();
                try
                {
                    SessionStep step = _first;
                    while (step != SessionStep.Done)
                    {
                        int result;
                        switch (step)
                        {
                            case SessionStep.WaitClient:
                                // Hold no buffer until the client sends something. Inside TLS the
                                // library may hold decrypted bytes already: read at once instead.
                                result = _client.IsTls ? 0 : await _client.ReceiveAsync(Memory<byte>.Empty).ConfigureAwait(false) < 0 ? -1 : 0;
                                break;
                            case SessionStep.ReadClient:
                                result = await _client.ReceiveAsync(StepBuffer.AsMemory(StepOffset, StepCount)).ConfigureAwait(false);
                                break;
                            case SessionStep.Handshake:
                                RefusalReason refusal = RefusalReason.TlsFailed;
                                CertificateStore certificates = _owner.Certificates;
                                int tls = certificates == null ? EventSide.TlsFailed : _client.BeginTls(certificates, StepBuffer, StepOffset, StepCount);
                                while (tls == EventSide.TlsWantsRead || tls == EventSide.TlsWantsWrite)
                                {
                                    if (await _client.WaitAsync(tls == EventSide.TlsWantsWrite).ConfigureAwait(false) < 0)
                                    {
                                        tls = EventSide.TlsFailed;
                                        refusal = RefusalReason.ClosedEarly; // closed while waiting: the hello timeout, or the relay stopping
                                        break;
                                    }

                                    tls = _client.ContinueTls();
                                }

                                if (tls == EventSide.TlsNeedsStream)
                                {
                                    tls = await _client.StartTlsAsync(certificates, StepBuffer, StepOffset, StepCount).ConfigureAwait(false) ? EventSide.TlsDone : EventSide.TlsFailed;
                                }

                                if (tls != EventSide.TlsDone)
                                {
                                    step = HandshakeFailed(refusal == RefusalReason.ClosedEarly || certificates == null ? refusal : _client.TlsRefusal);
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
                            case SessionStep.SendClient:
                                EventSide to = step == SessionStep.SendUpstream ? _upstream : _client;
                                result = 1;
                                for (int sent = 0; sent < StepCount;)
                                {
                                    int more = await to.SendAsync(StepBuffer.AsMemory(StepOffset + sent, StepCount - sent)).ConfigureAwait(false);
                                    if (more <= 0)
                                    {
                                        result = 0;
                                        break;
                                    }

                                    sent += more;
                                }

                                break;
                            case SessionStep.ShutdownClient:
                                await _client.ShutdownAsync().ConfigureAwait(false);
                                result = 1;
                                break;
                            case SessionStep.Relay:
                                _pumpsDone.Reset();
                                _pumpsRunning = 2;
                                _forwardStart.Set();
                                _backwardStart.Set();
                                await _pumpsDone.Wait().ConfigureAwait(false);
                                step = SessionStep.Done;
                                continue;
                            default:
                                step = SessionStep.Done;
                                continue;
                        }

                        step = Completed(result);
                    }
                }
                catch (Exception e)
                {
                    _owner.Log.Warn("session ended by an unexpected error: " + e.GetType().Name);
                }
                finally
                {
                    End();
                    _client.Release();
                    _upstream.Release();
                }

                _owner.Recycle(this, _client.Loop); // then waits for its next client
            }
        }

        // One direction of every client's relay phase: the forward direction reads the client
        // and writes the upstream, the backward one reads the upstream and writes the client.
        private async Task PumpLoopAsync(bool forward)
        {
            Signal start = forward ? _forwardStart : _backwardStart;
            while (true)
            {
                await start.Wait().ConfigureAwait(false);
                start.Reset();
                EventSide source = forward ? _client : _upstream;
                EventSide target = forward ? _upstream : _client;
                BufferPool pool = _owner.Pool;
                byte[] buffer = null;
                bool halfClosed = false;
                long since = 0; // when this run of operations that all completed at once began (0: at the next one)
                try
                {
                    while (true)
                    {
                        if (buffer == null)
                        {
                            // Wait for data holding no buffer (an idle session costs its sockets only).
                            ValueTask<int> wait = source.ReceiveAsync(Memory<byte>.Empty);
                            since = wait.IsCompleted ? since : 0;
                            if (await wait.ConfigureAwait(false) < 0)
                            {
                                break;
                            }

                            buffer = pool.Rent();
                        }

                        ValueTask<int> read = source.ReceiveAsync(buffer);
                        since = read.IsCompleted ? since : 0;
                        int count = await read.ConfigureAwait(false);
                        if (count > 0)
                        {
                            Touched();
                            int sent = 0;
                            while (sent < count)
                            {
                                ValueTask<int> write = target.SendAsync(buffer.AsMemory(sent, count - sent));
                                since = write.IsCompleted ? since : 0;
                                int more = await write.ConfigureAwait(false);
                                if (more <= 0)
                                {
                                    break;
                                }

                                sent += more;
                            }

                            if (sent < count)
                            {
                                break;
                            }

                            Moved(forward, count);
                            if (count < source.FullRead(buffer.Length))
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
                                EpollLoop loop = source.Loop;
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
                        await target.ShutdownAsync().ConfigureAwait(false);
                        halfClosed = DirectionFinished(forward);
                        break;
                    }
                }
                catch (Exception)
                {
                    // a stream that failed (the sockets answer -1 instead)
                }
                finally
                {
                    if (buffer != null)
                    {
                        pool.Return(buffer);
                    }
                }

                if (!halfClosed)
                {
                    CloseAll(); // the other direction's pending call fails at once
                }

                if (Interlocked.Decrement(ref _pumpsRunning) == 0)
                {
                    _pumpsDone.Set();
                }
            }
        }
    }
}
