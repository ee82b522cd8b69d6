using System.Threading;
using Pigeon.Net;
using Pigeon.Text;

namespace Pigeon.Portal
{
    /// <summary>
    /// The portal's socket loop over the platform's TCP seams, shared by board and host. One
    /// accept thread hands connections to a fixed, small number of slots (<see cref="PortalSlot"/>,
    /// two on the board: sockets are scarce and the relay has priority), each with a worker thread
    /// and its own buffers. A browser sends its whole request within milliseconds of connecting, so
    /// slow or idle clients get little (issue 13, item 6):
    /// <list type="bullet">
    /// <item>the whole request must arrive within <see cref="RequestTimeoutMs"/> of the connect;</item>
    /// <item>a connection still without its request after <see cref="SlowAfterMs"/> loses its slot
    /// to a new client when every slot is busy (the longest waiting first);</item>
    /// <item>one client address holds at most the server's per-client share of the slots; beyond
    /// it, and when no slot can be had, the client gets a canned 503 at once.</item>
    /// </list>
    /// With <see cref="QueueWhenBusy"/> (the board) a connection is accepted only when a slot is
    /// free: the next client waits in the listen queue, which holds no socket, so the portal never
    /// holds more than its listener and its slots. Nothing is evicted then (no newcomer is known
    /// to be waiting); a slow connection still loses its slot at <see cref="RequestTimeoutMs"/>.
    /// The client address is kept in its slot only while the connection lives.
    /// </summary>
    /// <remarks>
    /// Why not the relay's slot mechanism: it is being replaced by an event-driven pump, and the
    /// portal's needs are small (a handful of short request/answer exchanges); a slot object per
    /// connection and a deadline timer per phase (<see cref="Deadline"/>) replace the parallel
    /// arrays and the reaper thread this server had.
    /// </remarks>
    public sealed class PortalServer
    {
        /// <summary>Time for a client to send its request line, headers and body, from the connect.</summary>
        public const int RequestTimeoutMs = 3000;

        /// <summary>A connection still without its whole request after this may lose its slot to a new client.</summary>
        public const int SlowAfterMs = 1000;

        /// <summary>Time to handle and send the answer.</summary>
        public const int ResponseTimeoutMs = 20000;

        /// <summary>
        /// After an error answer, how long the rest of a refused request is read and thrown away
        /// before closing. Closing a socket with unread bytes makes TCP send a reset, and a
        /// client can lose the 431/413 it was just sent (measured on Linux loopback: the test
        /// client got "connection reset" instead of the 431 without this drain).
        /// </summary>
        public const int DrainMs = 1000;

        /// <summary>Most bytes thrown away in a drain.</summary>
        public const int DrainBytes = 16384;

        // How long the accept loop waits for a slot it has just taken from a slow connection.
        private const int EvictWaitMs = 500;

        // How often a queueing accept loop looks again for a free slot when no worker signalled one.
        private const int QueueCheckMs = 500;

        private static readonly byte[] s_busy = Utf8.GetBytes(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nRetry-After: 1\r\nConnection: close\r\n\r\nbusy\n");

        private readonly ITransport _transport;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly IHttpHandler _handler;
        private readonly PortalSlot[] _slots;
        private readonly int _perClient;
        private readonly AutoResetEvent _freed = new AutoResetEvent(false);
        private readonly object _lock = new object();
        private IConnection _spare;
        private IListener _listener;
        private Thread _acceptThread;
        private Thread[] _workers;
        private bool _stopping;
        private int _served;
        private int _refusedBusy;
        private int _timedOut;
        private int _evicted;

        /// <summary>
        /// Creates the server with <paramref name="slots"/> concurrent connections, at most
        /// <paramref name="perClient"/> of them from one client address.
        /// </summary>
        public PortalServer(ITransport transport, IClock clock, ILog log, IHttpHandler handler, int slots, int perClient)
        {
            _transport = transport;
            _clock = clock;
            _log = log;
            _handler = handler;
            _slots = new PortalSlot[slots < 1 ? 1 : slots];
            _perClient = perClient < 1 ? 1 : perClient;
            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i] = new PortalSlot(transport.CreateConnection());
            }

            _spare = transport.CreateConnection();
        }

        /// <summary>
        /// True: accept a connection only when a slot is free (no socket held to answer "busy");
        /// false (default): accept at once and answer 503 when no slot can be had. Set before
        /// <see cref="Start"/>.
        /// </summary>
        public bool QueueWhenBusy { get; set; }

        /// <summary>Requests answered (any status) since start.</summary>
        public int Served
        {
            get { return _served; }
        }

        /// <summary>Clients sent away with 503: no slot free, or their address already holds its share.</summary>
        public int RefusedBusy
        {
            get { return _refusedBusy; }
        }

        /// <summary>Connections closed because their request or answer took too long.</summary>
        public int TimedOut
        {
            get { return _timedOut; }
        }

        /// <summary>Slow connections closed to give their slot to a new client.</summary>
        public int Evicted
        {
            get { return _evicted; }
        }

        /// <summary>Listens and starts the threads; false with a plain reason when it cannot listen.</summary>
        public bool Start(uint address, int port, out string error)
        {
            _listener = _transport.Listen(address, port, 4, out error);
            if (_listener == null)
            {
                return false;
            }

            _stopping = false;
            _workers = new Thread[_slots.Length];
            for (int i = 0; i < _slots.Length; i++)
            {
                PortalSlot slot = _slots[i];
                _workers[i] = new Thread(() => Work(slot));
                _workers[i].Start();
            }

            _acceptThread = new Thread(AcceptLoop);
            _acceptThread.Start();
            if (_log != null)
            {
                _log.Info("portal: listening on http://" + IPv4.ToText(address) + ":" + port.ToString() + "/");
            }

            return true;
        }

        /// <summary>Stops listening, closes open connections and waits for the threads.</summary>
        public void Stop()
        {
            _stopping = true;
            if (_listener != null)
            {
                _listener.Close();
            }

            lock (_lock)
            {
                for (int i = 0; i < _slots.Length; i++)
                {
                    _slots[i].Connection.Close();
                }
            }

            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i].Go.Set();
            }

            _freed.Set();
            Join(_acceptThread);
            for (int i = 0; _workers != null && i < _workers.Length; i++)
            {
                Join(_workers[i]);
            }
        }

        private static void Join(Thread thread)
        {
            if (thread != null)
            {
                thread.Join();
            }
        }

        private void AcceptLoop()
        {
            while (!_stopping)
            {
                if (QueueWhenBusy && !WaitForFreeSlot())
                {
                    return;
                }

                if (!_listener.Accept(_spare))
                {
                    if (_stopping)
                    {
                        return;
                    }

                    Thread.Sleep(100); // a failed accept (out of sockets): back off, then retry
                    continue;
                }

                uint client = _spare.RemoteAddress;
                bool evicting;
                PortalSlot slot = Take(client, true, out evicting);
                if (slot == null && evicting)
                {
                    _freed.WaitOne(EvictWaitMs, false); // the slow connection's worker lets its slot go at once
                    slot = Take(client, false, out evicting);
                }

                if (slot == null)
                {
                    Interlocked.Increment(ref _refusedBusy);
                    _spare.Send(s_busy, 0, s_busy.Length);
                    _spare.Close();
                    continue;
                }

                slot.Go.Set();
            }
        }

        // A free slot for a client at `client` (the connection in _spare moves into it), or null:
        // the address holds its share, or every slot is busy; then, when `evict` and a slot's
        // client is slow, that connection is closed and `evicting` says a slot is coming free.
        private PortalSlot Take(uint client, bool evict, out bool evicting)
        {
            evicting = false;
            lock (_lock)
            {
                long now = _clock.NowMilliseconds;
                int mine = 0;
                PortalSlot free = null;
                PortalSlot slowest = null;
                for (int i = 0; i < _slots.Length; i++)
                {
                    PortalSlot s = _slots[i];
                    if (!s.Busy)
                    {
                        free = free ?? s;
                        continue;
                    }

                    if (client != 0 && s.Client == client)
                    {
                        mine++;
                    }

                    if (s.Reading && now - s.Since >= SlowAfterMs && (slowest == null || s.Since < slowest.Since))
                    {
                        slowest = s;
                    }
                }

                if (mine >= _perClient)
                {
                    return null;
                }

                if (free == null)
                {
                    if (evict && slowest != null && slowest.Connection.IsOpen)
                    {
                        _freed.Reset(); // a signal left from an earlier free must not end the wait for this one
                        slowest.Connection.Close(); // its worker sees Receive fail and frees the slot
                        _evicted++;
                        evicting = true;
                    }

                    return null;
                }

                IConnection idle = free.Connection;
                free.Connection = _spare;
                _spare = idle;
                free.Busy = true;
                free.Reading = true;
                free.Since = now;
                free.Client = client;
                free.Deadline = Deadline.Start(free.Connection, RequestTimeoutMs);
                return free;
            }
        }

        // Blocks until a slot is free; false when the server stops meanwhile.
        private bool WaitForFreeSlot()
        {
            while (!_stopping)
            {
                lock (_lock)
                {
                    for (int i = 0; i < _slots.Length; i++)
                    {
                        if (!_slots[i].Busy)
                        {
                            return true;
                        }
                    }
                }

                _freed.WaitOne(QueueCheckMs, false);
            }

            return false;
        }

        private void Work(PortalSlot slot)
        {
            while (true)
            {
                slot.Go.WaitOne();
                if (_stopping)
                {
                    return;
                }

                IConnection connection = slot.Connection;
                HttpRequest request = slot.Request;
                HttpResponse response = slot.Response;
                response.Clear();
                HttpReadResult result = HttpRequestReader.Read(connection, request);
                request.ClientAddress = slot.Client;
                Phase(slot, ResponseTimeoutMs);
                if (result == HttpReadResult.Ok)
                {
                    try
                    {
                        _handler.Handle(request, response);
                    }
                    catch (System.Exception)
                    {
                        // A bug in a handler must not take the portal down; the message may hold
                        // request data, so it is not logged.
                        response.Clear();
                        response.SetText(500, "internal error");
                    }

                    response.Send(connection, request.Method == "HEAD");
                    Interlocked.Increment(ref _served);
                }
                else if (result != HttpReadResult.Closed)
                {
                    response.SetText(HttpResponse.StatusFor(result), HttpResponse.Reason(HttpResponse.StatusFor(result)));
                    if (response.Send(connection, false))
                    {
                        Phase(slot, DrainMs); // the drain ends when the client stops, or at this deadline
                        Drain(connection, request.Head);
                    }

                    Interlocked.Increment(ref _served);
                }

                Phase(slot, 0);
                lock (_lock)
                {
                    connection.Close();
                    slot.Busy = false;
                    slot.Client = 0;
                }

                _freed.Set();
            }
        }

        // Ends the slot's current deadline (counting it when it ran out) and starts the next one (0 = none).
        private void Phase(PortalSlot slot, int milliseconds)
        {
            Deadline next = milliseconds > 0 ? Deadline.Start(slot.Connection, milliseconds) : null;
            Deadline done;
            lock (_lock)
            {
                done = slot.Deadline;
                slot.Deadline = next;
                slot.Reading = false;
            }

            if (done != null)
            {
                done.Cancel();
                if (done.Expired)
                {
                    Interlocked.Increment(ref _timedOut);
                }
            }
        }

        private static void Drain(IConnection connection, byte[] scratch)
        {
            connection.ShutdownSend(); // FIN after the answer where the platform can (not on nanoFramework)
            int drained = 0;
            while (drained < DrainBytes)
            {
                int n = connection.Receive(scratch, 0, scratch.Length);
                if (n <= 0)
                {
                    return;
                }

                drained += n;
            }
        }
    }
}
