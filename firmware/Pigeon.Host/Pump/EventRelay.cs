using System;
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

namespace Pigeon.Host.Pump
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
        private int _lastOutOfFilesWarning;

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
        public Tls.CertificateStore Certificates { get; set; }

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

        internal static uint Pack(IPEndPoint endPoint)
        {
            return endPoint == null ? 0 : SocketConnection.FromIPAddress(endPoint.Address);
        }

        internal static IPAddress Unpack(uint address)
        {
            return SocketConnection.ToIPAddress(address);
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
            AbortAll();
            for (int i = 0; i < 200 && ActiveSessions > 0; i++)
            {
                Thread.Sleep(10);
            }
        }

        private bool Open(int index, bool again)
        {
            Route route = GetRoute(index);
            RouteListener status = GetListener(index);
            if (route.TerminateTls && Certificates == null)
            {
                status.Failed("no TLS certificate is loaded (terminateTls)");
                return false;
            }

            Socket socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(new IPEndPoint(Unpack(route.ListenAddress), route.ListenPort));
                socket.Listen(); // the platform's own limit (SOMAXCONN): bursts of connects never wait for a SYN retry
            }
            catch (SocketException e)
            {
                socket.Dispose();
                status.Failed(SocketListener.Describe(e, route.ListenPort));
                return false;
            }

            _listeners[index] = socket;
            status.Opened(again);
            return true;
        }

        private async Task AcceptLoopAsync(int index)
        {
            Route route = GetRoute(index);
            RouteListener status = GetListener(index);
            using SocketOperation accept = new SocketOperation(); // one per listener, reused for every client
            while (!Stopping)
            {
                Socket listener = _listeners[index];
                if (listener == null)
                {
                    if (route.TerminateTls && Certificates == null)
                    {
                        return; // never opens here
                    }

                    await Task.Delay(status.NextRetryMs()).ConfigureAwait(false);
                    if (!Stopping && Open(index, true))
                    {
                        Log.Info("route " + route.Name + ": listening again on port " + route.ListenPort.ToString());
                    }

                    continue;
                }

                if (await accept.AcceptAsync(listener).ConfigureAwait(false) < 0)
                {
                    if (Stopping)
                    {
                        break;
                    }

                    if (accept.LastError == SocketError.TooManyOpenSockets || accept.LastError == SocketError.NoBufferSpaceAvailable)
                    {
                        // Out of descriptors (the open-file limit): not the listener's fault. The
                        // client waits in the backlog; try again once sessions have ended.
                        WarnOutOfFiles(route);
                        await Task.Delay(100).ConfigureAwait(false);
                        continue;
                    }

                    // The listening socket failed (the network went away, say): reopen it.
                    status.Failed("the listening socket failed; reopening");
                    Log.Warn("route " + route.Name + ": " + status.Error + " (" + accept.LastError + ")");
                    listener.Dispose();
                    _listeners[index] = null;
                    continue;
                }

                Socket client = accept.AcceptSocket;
                accept.AcceptSocket = null;

                status.Accepted();
                await AdmitAsync(route, client).ConfigureAwait(false);
            }
        }

        private void WarnOutOfFiles(Route route)
        {
            int now = Now;
            if (_lastOutOfFilesWarning == 0 || unchecked(now - _lastOutOfFilesWarning) > 60000)
            {
                _lastOutOfFilesWarning = now == 0 ? 1 : now;
                Log.Warn("route " + route.Name + ": out of open files (" + ActiveSessions + " sessions): new clients wait until sessions end. "
                    + FileLimit.Describe(MaxSessions, RouteCount, ActiveSessions * 2L));
            }
        }

        private async ValueTask AdmitAsync(Route route, Socket client)
        {
            uint address;
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

            int verdict = TryAdmit(route, address);
            if (verdict == Verdict.NeedMore)
            {
                int since = Now;
                do
                {
                    await Task.Delay(5).ConfigureAwait(false); // an evicted session closes within milliseconds
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

            session.Start(route, client, route.AcceptProxy ? 0 : address);
        }
    }
}
