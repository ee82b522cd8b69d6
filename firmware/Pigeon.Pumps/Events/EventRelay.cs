using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Routing;
using Pigeon.Sockets;
using Pigeon.Host;
using Pigeon.Host.Tls;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// The host's event-driven pump: non-blocking sockets driven by the runtime's event loop (an
    /// epoll/kqueue thread and the thread pool), so the thread count does not grow with the
    /// sessions. Sessions (<see cref="EventSession"/>) are made on first use and reused, so a
    /// configured slot costs nothing until a client takes it; relay buffers are lent by a pool
    /// only while bytes move. Admission, dialing, timeouts and counters are the shared core's
    /// (<see cref="RelayServer"/>, <see cref="RelaySession"/>), exactly as on a board.
    /// </summary>
    public sealed class EventRelay : RelayServer
    {
        private readonly Socket[] _listeners;
        private readonly Task[] _acceptLoops;
        private readonly Stack<EventSession> _idle = new Stack<EventSession>();
        private readonly object _idleLock = new object();
        private readonly object _reserveLock = new object();
        private int _lastOutOfFilesWarning;
        private int _shedSinceWarning;
        private Socket _reserve; // a descriptor held back for when the open-file limit is reached

        /// <summary>How long a listener rests after its clients were shed at the open-file limit.</summary>
        public const int OutOfFilesPauseMs = 100;

        /// <summary>Most clients shed in one go (each is an accept and a close).</summary>
        public const int ShedBatch = 1024;

        /// <summary>Builds the relay from its config (see <see cref="RelayServer"/>).</summary>
        public EventRelay(RelayConfig config, IResolver resolver, IClock clock, ILog log)
            : base(config, resolver, clock, log)
        {
            Pool = new BufferPool(BufferBytes);
            int hello = NeedsHelloBuffer && MaxHelloBytes > BufferBytes ? MaxHelloBytes : BufferBytes;
            HelloPool = hello == BufferBytes ? Pool : new BufferPool(hello);
            AdmissionPool = new BufferPool(AdmissionBytes < hello ? AdmissionBytes : hello);
            _listeners = new Socket[RouteCount];
            _acceptLoops = new Task[RouteCount];
        }

        /// <summary>The certificates of terminateTls routes, chosen per ClientHello; null = those routes do not open.</summary>
        public CertificateStore Certificates { get; set; }

        /// <summary>
        /// The buffer admission starts with: 4 KB holds a PROXY v2 header (at most 512 bytes) and a
        /// chat client's first bytes (decided on 3), and most ClientHellos (1.7-2 KB). A larger hello
        /// moves to a <see cref="HelloPool"/> buffer; a chat client's first write beyond 4 KB simply
        /// stays in the socket until the pump reads it.
        /// </summary>
        public const int AdmissionBytes = 4096;

        /// <summary>Small buffers admission starts with (<see cref="AdmissionBytes"/>).</summary>
        public BufferPool AdmissionPool { get; }

        /// <summary>Relay buffers, lent while bytes move.</summary>
        public BufferPool Pool { get; }

        /// <summary>Admission buffers (a whole ClientHello); the same pool when a relay buffer holds one.</summary>
        public BufferPool HelloPool { get; }

        /// <summary>Session objects made so far (each is reused by later clients).</summary>
        public int SessionObjects { get; private set; }

        /// <inheritdoc />
        public override int BufferBytesPerSession
        {
            get { return 2 * BufferBytes; }
        }

        /// <inheritdoc />
        public override bool LendsBuffers
        {
            get { return true; }
        }

        /// <summary>An endpoint's address as the core holds it (IPv4, IPv6, an IPv4-mapped one as IPv4); none for null. Allocates nothing.</summary>
        internal static NetAddress Pack(IPEndPoint endPoint)
        {
            if (endPoint == null)
            {
                return new NetAddress();
            }

            IPAddress address = endPoint.Address;
            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                return NetAddress.FromIPv4(SocketConnection.FromIPAddress(address));
            }

            Span<byte> bytes = stackalloc byte[16];
            if (!address.TryWriteBytes(bytes, out int written) || written != 16)
            {
                return new NetAddress();
            }

            return NetAddress.FromHalves(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(8)));
        }

        /// <summary>The .NET address of <paramref name="address"/> (allocates: per new upstream address, not per session).</summary>
        internal static IPAddress Unpack(NetAddress address)
        {
            if (address.IsIPv4)
            {
                return SocketConnection.ToIPAddress(address.IPv4);
            }

            byte[] bytes = new byte[16];
            address.WriteIPv6Bytes(bytes, 0);
            return new IPAddress(bytes);
        }

        internal void Recycle(EventSession session)
        {
            lock (_idleLock)
            {
                _idle.Push(session);
            }
        }

        /// <inheritdoc />
        protected override int StartPump()
        {
            _reserve = NewReserve();
            int opened = 0;
            for (int i = 0; i < RouteCount; i++)
            {
                if (Open(i, false))
                {
                    opened++;
                }

                int index = i;
                _acceptLoops[i] = Task.Run(() => AcceptLoopAsync(index));
            }

            return opened;
        }

        /// <inheritdoc />
        protected override void StopPump()
        {
            for (int i = 0; i < _listeners.Length; i++)
            {
                Socket listener = _listeners[i];
                if (listener != null)
                {
                    listener.Dispose();
                }
            }

            Task.WaitAll(_acceptLoops, 2000);
            lock (_reserveLock)
            {
                _reserve?.Dispose();
                _reserve = null;
            }

            AbortAll();
            for (int i = 0; i < 200 && ActiveSessions > 0; i++)
            {
                Thread.Sleep(10);
            }
        }

        private bool Open(int index, bool again)
        {
            Route route = GetRoute(index);
            if (route.TerminateTls && Certificates == null)
            {
                GetListener(index).Never("no TLS certificate is loaded (terminateTls)");
                return false;
            }

            // "Every interface" takes IPv6 clients too where the host has IPv6: one dual-stack
            // socket, IPv4 clients arriving IPv4-mapped (the core reads those as IPv4).
            NetAddress address = route.ListenAddress;
            bool dual = address.IsAny && address.IsIPv4 && Socket.OSSupportsIPv6;
            IPAddress bind = dual ? IPAddress.IPv6Any : Unpack(address);
            Socket socket = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (dual)
                {
                    socket.DualMode = true;
                }

                SocketListener.AllowRebind(socket);
                socket.Bind(new IPEndPoint(bind, route.ListenPort));
                socket.Listen(); // the platform's own limit (SOMAXCONN): bursts of connects never wait for a SYN retry
            }
            catch (SocketException e)
            {
                socket.Dispose();
                GetListener(index).Failed(SocketListener.Describe(e, route.ListenPort), SocketListener.InUse(e));
                return false;
            }

            _listeners[index] = socket;
            ListenerOpened(index, again);
            return true;
        }

        // The accept loop both pumps share (RelayServer.NextAcceptStep), awaiting instead of blocking.
        private async Task AcceptLoopAsync(int index)
        {
            Route route = GetRoute(index);
            using SocketOperation accept = new SocketOperation(); // one per listener, reused for every client
            while (true)
            {
                AcceptStep step = NextAcceptStep(index, out int wait);
                if (step == AcceptStep.Stop)
                {
                    return;
                }

                if (step == AcceptStep.Reopen)
                {
                    await Task.Delay(wait).ConfigureAwait(false);
                    if (!Stopping)
                    {
                        Open(index, true);
                    }

                    continue;
                }

                Socket listener = _listeners[index];
                if (await accept.AcceptAsync(listener).ConfigureAwait(false) < 0)
                {
                    if (Stopping)
                    {
                        continue;
                    }

                    if (accept.LastError == SocketError.TooManyOpenSockets || accept.LastError == SocketError.NoBufferSpaceAvailable)
                    {
                        // Out of descriptors (the open-file limit): not the listener's fault.
                        // Answer the waiting clients with a close rather than leaving them to time
                        // out, count them, and rest a moment before accepting again.
                        WarnOutOfFiles(route, ShedBacklog(listener, route));
                        await Task.Delay(OutOfFilesPauseMs).ConfigureAwait(false);
                        continue;
                    }

                    ListenerBroke(index, accept.LastError.ToString());
                    listener.Dispose();
                    _listeners[index] = null;
                    continue;
                }

                Socket client = accept.AcceptSocket;
                accept.AcceptSocket = null;
                await AdmitAsync(route, client).ConfigureAwait(false);
            }
        }

        // At the open-file limit a pending client cannot even be accepted, so it would wait in the
        // backlog until its connect timed out. With the reserve descriptor given up, each one is
        // accepted and closed at once (the descriptor freed again), counted as out_of_files; then
        // the reserve is taken back (libuv's and nginx's way out of EMFILE).
        private int ShedBacklog(Socket listener, Route route)
        {
            int shed = 0;
            lock (_reserveLock)
            {
                _reserve?.Dispose();
                _reserve = null;
                try
                {
                    listener.Blocking = false;
                    while (shed < ShedBatch)
                    {
                        Socket client;
                        try
                        {
                            client = listener.Accept();
                        }
                        catch (SocketException)
                        {
                            break; // none waiting, or the freed descriptor was taken meanwhile
                        }

                        client.Dispose();
                        CountRefusal(route, RefusalReason.OutOfFiles);
                        shed++;
                    }
                }
                catch (ObjectDisposedException)
                {
                    // the listener closed (stopping)
                }

                _reserve = NewReserve();
            }

            return shed;
        }

        private static Socket NewReserve()
        {
            try
            {
                return new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            }
            catch (SocketException)
            {
                return null; // at the limit already: taken back at the next shed
            }
        }

        // Once a minute at most, with the limit and what to do about it.
        private void WarnOutOfFiles(Route route, int shed)
        {
            int now = Now;
            _shedSinceWarning += shed;
            if (_lastOutOfFilesWarning == 0 || unchecked(now - _lastOutOfFilesWarning) > 60000)
            {
                _lastOutOfFilesWarning = now == 0 ? 1 : now;
                long limit = FileLimit.Current();
                Log.Warn("route " + route.Name + ": out of open files (the limit is " + (limit < 0 ? "unknown" : limit.ToString()) + ", "
                    + ActiveSessions + " sessions): " + _shedSinceWarning + " new clients closed at once. "
                    + FileLimit.Describe(MaxSessions, RouteCount, limit));
                _shedSinceWarning = 0;
            }
        }

        private async ValueTask AdmitAsync(Route route, Socket client)
        {
            NetAddress address;
            try
            {
                client.NoDelay = true; // chat is small messages both ways: do not let Nagle hold them
                address = Pack(client.RemoteEndPoint as IPEndPoint);
            }
            catch (Exception)
            {
                client.Dispose(); // gone before we looked
                return;
            }

            Verdict verdict = TryAdmit(route, address);
            if (verdict == Verdict.NeedMore)
            {
                int since = Now;
                do
                {
                    await Task.Delay(EvictionPollMs).ConfigureAwait(false); // an evicted session closes within milliseconds
                    verdict = TryReserveAfterEviction(route, address, since);
                }
                while (verdict == Verdict.NeedMore);
            }

            if (verdict != Verdict.Go)
            {
                client.Dispose(); // refused and counted by TryAdmit
                return;
            }

            EventSession session = null;
            lock (_idleLock)
            {
                if (_idle.Count > 0)
                {
                    session = _idle.Pop();
                }
            }

            if (session == null)
            {
                session = new EventSession(this);
                SessionObjects++;
            }

            session.Start(route, client, CountedKey(route, address));
        }
    }
}
