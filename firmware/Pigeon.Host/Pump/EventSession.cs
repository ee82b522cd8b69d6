using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Pigeon.Relay;
using Pigeon.Routing;

namespace Pigeon.Host.Pump
{
    /// <summary>
    /// One session of the event-driven pump: the same decisions as the board's
    /// (<see cref="RelaySession"/>), with non-blocking sockets driven by the runtime's event loop
    /// instead of two parked threads. Awaits complete on the runtime's few I/O and pool threads,
    /// whatever the session count; async state machines are pooled
    /// (<see cref="PoolingAsyncValueTaskMethodBuilder"/>) and the object is reused by the next
    /// client, so a session allocates only the runtime's own socket objects.
    /// </summary>
    /// <remarks>
    /// A buffer is held only while bytes move: each direction waits for readability with a
    /// zero-byte read, borrows a buffer from the pool, reads and forwards until a read comes back
    /// short (the socket is drained), then returns it. Admission holds one from the first byte
    /// to the verdict. On terminateTls routes the client side is an SslStream over the socket
    /// (fed the bytes admission already read first); the pump is the same.
    /// </remarks>
    internal sealed class EventSession : RelaySession
    {
        private readonly EventRelay _owner;
        private readonly byte[] _small = new byte[DecoyPage.MaxHeadLength]; // PROXY header, decoy head
        private readonly Action _onRunCompleted;
        /// <summary>The most plaintext one TLS record carries (RFC 8446 §5.1).</summary>
        private const int TlsRecordPlaintext = 16384;

        /// <summary>How long one direction may keep the event loop's thread before it lets others have it (see PumpAsync).</summary>
        private const int YieldMilliseconds = 2;

        private static readonly long s_yieldTicks = Stopwatch.Frequency * YieldMilliseconds / 1000;

        private static readonly Func<object, bool> s_lookup = state => ((EventSession)state).LookupTarget();
        private readonly SocketOperation _forwardOp = new SocketOperation();
        private readonly SocketOperation _backwardOp = new SocketOperation();
        private Socket _client;
        private Socket _upstream;
        private SslStream _tls;
        private IPEndPoint _lastEndPoint;
        private ValueTask _running;
        private byte[] _admission; // lent from the first byte to the verdict (AdmissionPool, or HelloPool once a hello outgrows it)
        private BufferPool _admissionPool;

        internal EventSession(EventRelay owner)
            : base(owner)
        {
            _owner = owner;
            _onRunCompleted = RunCompleted;
        }

        /// <summary>Serves <paramref name="client"/>, admitted by the relay, until both sides are done.</summary>
        internal void Start(Route route, Socket client, uint countedAddress)
        {
            _client = client;
            IPEndPoint remote = client.RemoteEndPoint as IPEndPoint;
            IPEndPoint local = route.ProxyProtocol ? client.LocalEndPoint as IPEndPoint : null; // only a PROXY header needs it
            Begin(route, EventRelay.Pack(remote), remote == null ? 0 : remote.Port, EventRelay.Pack(local), local == null ? 0 : local.Port, countedAddress);
            _running = RunAsync();
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

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        private async ValueTask RunAsync()
        {
            try
            {
                int received = await AdmitAsync().ConfigureAwait(false);
                if (received < 0)
                {
                    return;
                }

                if (!await DialAsync().ConfigureAwait(false))
                {
                    UpstreamFailed();
                    return;
                }

                int payload = PayloadOffset;
                if (!await ReplayAsync(_admission, payload, received).ConfigureAwait(false))
                {
                    UpstreamFailed();
                    return;
                }

                ReturnAdmission();
                if (!StartRelaying(received - payload))
                {
                    return; // closed meanwhile (relay stopping)
                }

                ValueTask backward = PumpAsync(false);
                await PumpAsync(true).ConfigureAwait(false);
                await backward.ConfigureAwait(false);
            }
            finally
            {
                ReturnAdmission();
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

        // Reads and decides until admitted; returns the bytes held in the buffer, or -1 when the
        // client was refused (counted), answered as a probe, or gone.
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<int> AdmitAsync()
        {
            // Hold no buffer until the client sends something.
            if (await _forwardOp.ReceiveAsync(_client, Memory<byte>.Empty).ConfigureAwait(false) < 0)
            {
                RefuseUnfinished();
                return -1;
            }

            _admissionPool = _owner.AdmissionPool;
            byte[] buffer = _admissionPool.Rent();
            _admission = buffer;
            int received = 0;
            while (true)
            {
                int count;
                try
                {
                    count = await ReadClientAsync(buffer.AsMemory(received)).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    count = -1;
                }

                if (count <= 0)
                {
                    RefuseUnfinished();
                    return -1;
                }

                received += count;
                int verdict = Admit(buffer, 0, received);
                if (verdict == Verdict.Go)
                {
                    return received;
                }

                if (verdict == Verdict.NeedMore)
                {
                    if (received == buffer.Length)
                    {
                        if (_admissionPool == _owner.HelloPool || _owner.HelloPool.Size <= buffer.Length)
                        {
                            Refuse((int)RefusalReason.Malformed); // larger than admission may hold
                            return -1;
                        }

                        // A ClientHello larger than the small buffer (rare): carry on in a hello-sized one.
                        byte[] bigger = _owner.HelloPool.Rent();
                        Buffer.BlockCopy(buffer, 0, bigger, 0, received);
                        ReturnAdmission();
                        _admissionPool = _owner.HelloPool;
                        _admission = bigger;
                        buffer = bigger;
                    }

                    continue;
                }

                if (verdict == Verdict.StartTls)
                {
                    if (!await StartTlsAsync(buffer, received).ConfigureAwait(false))
                    {
                        return -1;
                    }

                    received = 0;
                    continue;
                }

                if (verdict == Verdict.Decoy)
                {
                    await AnswerProbeAsync(buffer, received).ConfigureAwait(false);
                    return -1;
                }

                Refuse(verdict);
                return -1;
            }
        }

        private void ReturnAdmission()
        {
            byte[] buffer = _admission;
            _admission = null;
            if (buffer != null)
            {
                _admissionPool.Return(buffer);
            }
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> StartTlsAsync(byte[] buffer, int received)
        {
            Tls.CertificateStore certificates = _owner.Certificates;
            if (certificates == null)
            {
                Refuse((int)RefusalReason.TlsFailed);
                return false;
            }

            int payload = PayloadOffset;
            byte[] prefix = new byte[received - payload]; // the ClientHello so far; per TLS session, not per byte
            Buffer.BlockCopy(buffer, payload, prefix, 0, prefix.Length);
            PrefixedStream transport = new PrefixedStream(prefix, new NetworkStream(_client, false));
            SslStream tls = new SslStream(transport, false);
            _tls = tls;
            try
            {
                await tls.AuthenticateAsServerAsync(certificates.Select, prefix, default).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Refuse(TimedOut ? (int)RefusalReason.HelloTimeout : TlsRefusal.Classify(e, transport.PeerGone));
                return false;
            }

            TlsStarted();
            return true;
        }

        // A request inside the TLS: read its head (bounded by the buffer and the hello timeout),
        // answer as a small web server, close. Nothing is dialled.
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        private async ValueTask AnswerProbeAsync(byte[] buffer, int received)
        {
            try
            {
                while (!HttpProbe.HeadComplete(buffer, 0, received) && received < buffer.Length)
                {
                    int count = await ReadClientAsync(buffer.AsMemory(received)).ConfigureAwait(false);
                    if (count <= 0)
                    {
                        break;
                    }

                    received += count;
                }

                int head = WriteDecoyHead(buffer, 0, received, _small, 0);
                DecoyPage decoy = _owner.Decoy;
                await WriteClientAsync(_small.AsMemory(0, head)).ConfigureAwait(false);
                if (decoy.BodyLength > 0)
                {
                    await WriteClientAsync(decoy.Body.AsMemory(0, decoy.BodyLength)).ConfigureAwait(false);
                }

                await ShutdownClientAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // the prober went away; it was counted when the head was written
            }
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> DialAsync()
        {
            while (true)
            {
                int target = NextTarget();
                if (target == TargetNone)
                {
                    return false;
                }

                // A name not in the cache is resolved off the event loop (rare: answers live 5 min).
                if (target == TargetLookup && !await Task.Factory.StartNew(s_lookup, this, default, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default).ConfigureAwait(false))
                {
                    continue;
                }

                if (_lastEndPoint == null || EventRelay.Pack(_lastEndPoint) != TargetAddress || _lastEndPoint.Port != TargetPort)
                {
                    _lastEndPoint = new IPEndPoint(EventRelay.Unpack(TargetAddress), TargetPort);
                }

                Socket upstream;
                try
                {
                    upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                }
                catch (SocketException)
                {
                    return false; // out of descriptors: counted as an upstream failure
                }

                upstream.NoDelay = true;
                _upstream = upstream;
                if (await _forwardOp.ConnectAsync(upstream, _lastEndPoint).ConfigureAwait(false) == 0 && Connected())
                {
                    return true;
                }

                upstream.Dispose(); // refused, unreachable, or closed by the reaper at the connect timeout
            }
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> ReplayAsync(byte[] buffer, int payload, int received)
        {
            int header = WriteProxyHeader(_small, 0);
            if (header > 0 && !await SendAllAsync(_forwardOp, _upstream, _small.AsMemory(0, header)).ConfigureAwait(false))
            {
                return false;
            }

            return received <= payload || await SendAllAsync(_forwardOp, _upstream, buffer.AsMemory(payload, received - payload)).ConfigureAwait(false);
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
