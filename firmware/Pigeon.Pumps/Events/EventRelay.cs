using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;
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
    /// The host's event-driven pump: non-blocking sockets and a fixed handful of threads whatever
    /// the session count. On Linux it runs its own epoll loops (one per core, <see cref="EpollLoop"/>)
    /// over raw descriptors, as HAProxy does; elsewhere it drives .NET sockets on the runtime's
    /// event loop (<see cref="SocketSide"/>). Sessions (<see cref="EventSession"/>) are made on
    /// first use and reused, so a configured slot costs nothing until a client takes it; relay
    /// buffers are lent by a pool only while bytes move. Admission, dialing, timeouts and counters
    /// are the shared core's (<see cref="RelayServer"/>, <see cref="RelaySession"/>), exactly as on a board.
    /// </summary>
    public sealed class EventRelay : RelayServer
    {
        private readonly Socket[] _listeners;
        private readonly Task[] _acceptLoops;
        private readonly EpollAcceptor[][] _acceptors;
        private readonly int[] _waitingForEviction; // per route: clients waiting for an evicted session's place (the Linux pump)
        private readonly Stack<EventSession> _idle = new Stack<EventSession>();
        private readonly object _idleLock = new object();
        private readonly object _reserveLock = new object();
        private readonly object _listenerLock = new object();
        private readonly Action<object> _recycle;
        private EpollRegistry _registry;
        private EpollLoop[] _loops;
        private int _lastOutOfFilesWarning;
        private int _shedSinceWarning;
        private Socket _reserve; // a descriptor held back for when the open-file limit is reached

        /// <summary>How long a listener rests after its clients were shed at the open-file limit.</summary>
        public const int OutOfFilesPauseMs = 100;

        /// <summary>Most clients shed in one go (each is an accept and a close).</summary>
        public const int ShedBatch = 1024;

        /// <summary>
        /// The buffer admission starts with: 4 KB holds a PROXY v2 header (at most 512 bytes) and a
        /// chat client's first bytes (decided on 3), and most ClientHellos (1.7-2 KB). A larger hello
        /// moves to a <see cref="HelloPool"/> buffer; a chat client's first write beyond 4 KB simply
        /// stays in the socket until the pump reads it.
        /// </summary>
        public const int AdmissionBytes = 4096;

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
            _acceptors = new EpollAcceptor[RouteCount][];
            _waitingForEviction = new int[RouteCount];
            _recycle = state => Recycle((EventSession)state);
            UsesEpoll = Posix.Supported;
        }

        /// <summary>The certificates of terminateTls routes, chosen per ClientHello; null = those routes do not open.</summary>
        public CertificateStore Certificates { get; set; }

        /// <summary>
        /// True when the relay runs its own epoll loops (Linux, the default there); false: .NET
        /// sockets on the runtime's event loop (every other OS; settable before Start so the tests
        /// run that pump on Linux too).
        /// </summary>
        public bool UsesEpoll { get; set; }

        /// <summary>
        /// True when the Linux pump terminates TLS with OpenSSL itself (the default); false: with
        /// SslStream over its sockets, as where OpenSSL cannot be bound (settable before Start, for the tests).
        /// </summary>
        public bool UsesOpenSsl { get; set; } = true;

        /// <summary>Small buffers admission starts with (<see cref="AdmissionBytes"/>).</summary>
        public BufferPool AdmissionPool { get; }

        /// <summary>Relay buffers, lent while bytes move.</summary>
        public BufferPool Pool { get; }

        /// <summary>Admission buffers (a whole ClientHello); the same pool when a relay buffer holds one.</summary>
        public BufferPool HelloPool { get; }

        /// <summary>Session objects made so far (each is reused by later clients).</summary>
        public int SessionObjects { get; private set; }

        /// <summary>The epoll loops (Linux; empty before Start and on the portable pump).</summary>
        internal int LoopCount
        {
            get { return _loops == null ? 0 : _loops.Length; }
        }

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

        /// <summary>A new session side of this relay's kind (made once per session object).</summary>
        internal EventSide NewSide()
        {
            return _registry != null ? new EpollSide(_registry, UsesOpenSsl) : new SocketSide();
        }

        /// <summary>Gives a session's sides the client <paramref name="accepted"/>; false when it could not be taken (then it is closed).</summary>
        internal bool Attach(EventSide client, EventSide upstream, in Accepted accepted)
        {
            if (client is EpollSide epoll)
            {
                ((EpollSide)upstream).Join(accepted.Loop);
                return epoll.Attach(accepted);
            }

            ((SocketSide)client).Attach(accepted);
            return true;
        }

        // Back on the idle stack once its run has unwound: on a loop, after the events at hand,
        // so nothing of the old client is still on the stack when another thread takes it.
        internal void Recycle(EventSession session, EpollLoop loop)
        {
            if (loop != null)
            {
                loop.Post(_recycle, session);
                return;
            }

            Recycle(session);
        }

        private void Recycle(EventSession session)
        {
            lock (_idleLock)
            {
                _idle.Push(session);
            }
        }

        /// <inheritdoc />
        protected override int StartPump()
        {
            if (UsesEpoll && !StartLoops())
            {
                UsesEpoll = false; // .NET's sockets then, as on other systems
            }

            if (UsesEpoll && UsesOpenSsl && Certificates != null)
            {
                // OpenSSL bound and the first context built now, not under the first client's load
                // (TlsWarmUp's reason: nothing to open later, at the open-file limit).
                if (TlsContext.For(Certificates.Options) == null)
                {
                    Log.Warn("relay: TLS runs through SslStream: " + (OpenSsl.Problem ?? "OpenSSL would not take the certificate"));
                }
            }

            _reserve = NewReserve();
            int opened = 0;
            for (int i = 0; i < RouteCount; i++)
            {
                bool listening = Open(i, false);
                if (listening)
                {
                    opened++;
                }

                int index = i;
                _acceptLoops[i] = UsesEpoll ? (listening ? Task.CompletedTask : ReopenAsync(index)) : Task.Run(() => AcceptLoopAsync(index));
            }

            return opened;
        }

        // One loop per core (at most 8: past that the kernel's TCP work, not the loops, is the limit).
        private bool StartLoops()
        {
            EpollRegistry registry = new EpollRegistry();
            EpollLoop[] loops = new EpollLoop[Math.Clamp(Environment.ProcessorCount, 1, 8)];
            try
            {
                for (int i = 0; i < loops.Length; i++)
                {
                    loops[i] = new EpollLoop(registry, i);
                }
            }
            catch (Exception e) when (e is InvalidOperationException || e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                Log.Warn("relay: epoll is not available (" + e.Message + "); using .NET sockets");
                foreach (EpollLoop loop in loops)
                {
                    loop?.Stop();
                }

                return false;
            }

            foreach (EpollLoop loop in loops)
            {
                loop.Start();
            }

            _registry = registry;
            _loops = loops;
            return true;
        }

        /// <inheritdoc />
        protected override void StopPump()
        {
            for (int i = 0; i < _listeners.Length; i++)
            {
                CloseListener(i, _listeners[i]);
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

            if (_loops != null)
            {
                foreach (EpollLoop loop in _loops)
                {
                    loop.Stop();
                }
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

            lock (_listenerLock)
            {
                _listeners[index] = socket;
                if (UsesEpoll)
                {
                    // Every loop accepts (EPOLLEXCLUSIVE wakes one of those waiting), and a
                    // session runs on the loop that accepted its client.
                    socket.Blocking = false;
                    EpollAcceptor[] acceptors = new EpollAcceptor[_loops.Length];
                    for (int i = 0; i < _loops.Length; i++)
                    {
                        acceptors[i] = new EpollAcceptor(this, index, route, socket, _loops[i], _registry);
                    }

                    _acceptors[index] = acceptors;
                    foreach (EpollAcceptor acceptor in acceptors)
                    {
                        acceptor.Listen();
                    }
                }
            }

            ListenerOpened(index, again);
            return true;
        }

        // Closes route index's listener if it is still socket (a failure seen by several loops closes it once).
        private bool CloseListener(int index, Socket socket)
        {
            lock (_listenerLock)
            {
                if (socket == null || _listeners[index] != socket)
                {
                    return false;
                }

                _listeners[index] = null;
                EpollAcceptor[] acceptors = _acceptors[index];
                _acceptors[index] = null;
                if (acceptors != null)
                {
                    foreach (EpollAcceptor acceptor in acceptors)
                    {
                        acceptor.Close();
                    }
                }

                socket.Dispose();
                return true;
            }
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
                if (listener == null)
                {
                    await Task.Delay(OutOfFilesPauseMs).ConfigureAwait(false); // closed this moment (stopping)
                    continue;
                }

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
                    CloseListener(index, listener);
                    continue;
                }

                Socket client = accept.AcceptSocket;
                accept.AcceptSocket = null;
                Accepted accepted = new Accepted { Socket = client, Fd = -1 };
                try
                {
                    client.NoDelay = true; // chat is small messages both ways: do not let Nagle hold them
                    IPEndPoint remote = client.RemoteEndPoint as IPEndPoint;
                    accepted.Address = Pack(remote);
                    accepted.Port = remote == null ? 0 : remote.Port;
                }
                catch (Exception)
                {
                    client.Dispose(); // gone before we looked
                    continue;
                }

                await AdmitAsync(route, accepted).ConfigureAwait(false);
            }
        }

        // The Linux pump's listener after it failed, or could not open at start: reopened by the
        // same schedule the accept loop follows elsewhere.
        private async Task ReopenAsync(int index)
        {
            while (true)
            {
                AcceptStep step = NextAcceptStep(index, out int wait);
                if (step != AcceptStep.Reopen)
                {
                    return; // stopping, never possible, or listening again
                }

                await Task.Delay(wait).ConfigureAwait(false);
                if (!Stopping)
                {
                    Open(index, true);
                }
            }
        }

        /// <summary>An epoll loop's accept failed with <paramref name="error"/> (errno): the listener is closed and reopened later.</summary>
        internal void ListenerFailed(int index, Socket socket, int error)
        {
            if (Stopping || !CloseListener(index, socket))
            {
                return;
            }

            ListenerBroke(index, "errno " + error);
            _ = ReopenAsync(index);
        }

        /// <summary>An epoll loop ran out of descriptors accepting on <paramref name="acceptor"/>: shed the waiting clients, rest, go on.</summary>
        internal void OutOfFiles(EpollAcceptor acceptor)
        {
            WarnOutOfFiles(acceptor.Route, ShedBacklog(acceptor.Listener, acceptor.Route));
            acceptor.Pause(OutOfFilesPauseMs);
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
            lock (_reserveLock)
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
        }

        /// <summary>True while a client of route <paramref name="index"/> waits for an evicted session's place: its acceptors accept no one meanwhile.</summary>
        internal bool WaitingForEviction(int index)
        {
            return Volatile.Read(ref _waitingForEviction[index]) > 0;
        }

        /// <summary>A client an epoll loop accepted (on that loop's thread): admitted, refused, or left to wait for an evicted session's place.</summary>
        internal void Admit(Route route, in Accepted accepted)
        {
            Verdict verdict = TryAdmit(route, accepted.Address);
            if (verdict == Verdict.NeedMore)
            {
                // As the accept loop of the portable pump awaits it: the route accepts no one else
                // until this client has the evicted session's place (or gave up), so one newcomer
                // evicts one session, not one more for every client that arrives meanwhile.
                HoldAccepting(route.Index, true);
                _ = AdmitAfterEvictionAsync(route, accepted);
                return;
            }

            if (verdict != Verdict.Go)
            {
                accepted.Close(); // refused and counted by TryAdmit
                return;
            }

            StartSession(route, accepted);
        }

        private async ValueTask AdmitAsync(Route route, Accepted accepted)
        {
            Verdict verdict = TryAdmit(route, accepted.Address);
            if (verdict == Verdict.NeedMore)
            {
                verdict = await AfterEvictionAsync(route, accepted.Address).ConfigureAwait(false);
            }

            if (verdict != Verdict.Go)
            {
                accepted.Close(); // refused and counted by TryAdmit
                return;
            }

            StartSession(route, accepted);
        }

        // Rare (the relay is full and a session is being evicted for this client): allocates.
        private async Task AdmitAfterEvictionAsync(Route route, Accepted accepted)
        {
            Verdict verdict = await AfterEvictionAsync(route, accepted.Address).ConfigureAwait(false);
            if (verdict != Verdict.Go)
            {
                accepted.Close();
            }
            else
            {
                accepted.Loop.Post(_ => StartSession(route, accepted), null); // its session runs on its loop
            }

            HoldAccepting(route.Index, false);
        }

        // Takes route index's listener out of every loop while a client waits (hold), back after.
        private void HoldAccepting(int index, bool hold)
        {
            lock (_listenerLock)
            {
                int waiting = _waitingForEviction[index] + (hold ? 1 : -1);
                Volatile.Write(ref _waitingForEviction[index], waiting);
                EpollAcceptor[] acceptors = _acceptors[index];
                if (acceptors == null || (hold ? waiting != 1 : waiting != 0))
                {
                    return;
                }

                foreach (EpollAcceptor acceptor in acceptors)
                {
                    if (hold)
                    {
                        acceptor.Hold();
                    }
                    else
                    {
                        acceptor.Listen();
                    }
                }
            }
        }

        private async ValueTask<Verdict> AfterEvictionAsync(Route route, NetAddress address)
        {
            int since = Now;
            Verdict verdict;
            do
            {
                await Task.Delay(EvictionPollMs).ConfigureAwait(false); // an evicted session closes within milliseconds
                verdict = TryReserveAfterEviction(route, address, since);
            }
            while (verdict == Verdict.NeedMore);
            return verdict;
        }

        private void StartSession(Route route, in Accepted accepted)
        {
            EventSession session = null;
            lock (_idleLock)
            {
                if (_idle.Count > 0)
                {
                    session = _idle.Pop();
                }
                else
                {
                    SessionObjects++;
                }
            }

            if (session == null)
            {
                session = new EventSession(this);
            }

            session.Start(route, accepted, CountedKey(route, accepted.Address));
        }
    }
}
