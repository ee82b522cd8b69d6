using System.Threading;
using Pigeon.Net;

namespace Pigeon.Portal
{
    /// <summary>
    /// The portal's socket loop over the platform's TCP seams, shared by board and host. One
    /// accept thread hands connections to a fixed, small number of slots (<see cref="PortalSlot"/>,
    /// two on the board: sockets are scarce and the relay has priority), each with a worker thread
    /// and its own buffers. A connection is accepted only when a slot is free: the next client
    /// waits in the listen queue, which holds no socket, so the portal never holds more than its
    /// listener, its slots and the one connection object it swaps in (docs/device.md, "Budget").
    /// The whole request must arrive within <see cref="RequestTimeoutMs"/> of the accept and the
    /// answer be taken within <see cref="ResponseTimeoutMs"/>. The client address is kept in its
    /// slot only while the connection lives.
    /// </summary>
    /// <remarks>
    /// Who gets a slot is the listener's choice. On the board it is the listen queue's order. On a
    /// host the listener is <c>Pigeon.Host.PortalGate</c>, which holds each connection without a
    /// slot until its whole request is in (so slow and idle strangers never hold one), caps the
    /// connections of one address and keeps a slot for the owner (issue 18, item 7).
    /// Why not the relay's slot mechanism: the portal's needs are small (a handful of short
    /// request/answer exchanges); a slot object per connection and a deadline timer per phase
    /// (<see cref="Deadline"/>) are enough.
    /// </remarks>
    public sealed class PortalServer
    {
        /// <summary>Time for a client to send its request line, headers and body, from the accept.</summary>
        public const int RequestTimeoutMs = 3000;

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

        // The listen queue asked for: lwIP's few on the board (a host's gate takes the most the kernel allows).
        private const int Backlog = 4;

        // How often the accept loop looks again for a free slot when no worker signalled one.
        private const int QueueCheckMs = 500;

        private readonly ITransport _transport;
        private readonly ILog _log;
        private readonly IHttpHandler _handler;
        private readonly PortalSlot[] _slots;
        private readonly AutoResetEvent _freed = new AutoResetEvent(false);
        private readonly object _lock = new object();
        private IConnection _spare;
        private IListener _listener;
        private Thread _acceptThread;
        private Thread[] _workers;
        private bool _stopping;
        private int _served;
        private int _timedOut;

        /// <summary>Creates the server with <paramref name="slots"/> concurrent connections.</summary>
        public PortalServer(ITransport transport, ILog log, IHttpHandler handler, int slots)
        {
            _transport = transport;
            _log = log;
            _handler = handler;
            _slots = new PortalSlot[slots < 1 ? 1 : slots];
            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i] = new PortalSlot(transport.CreateConnection());
            }

            _spare = transport.CreateConnection();
        }

        /// <summary>Requests answered (any status) since start.</summary>
        public int Served
        {
            get { return _served; }
        }

        /// <summary>Connections closed because their request or answer took too long.</summary>
        public int TimedOut
        {
            get { return _timedOut; }
        }

        /// <summary>Listens and starts the threads; false with a plain reason when it cannot listen.</summary>
        public bool Start(uint address, int port, out string error)
        {
            _listener = _transport.Listen(address, port, Backlog, out error);
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
                PortalSlot free = WaitForFreeSlot();
                if (free == null)
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
                lock (_lock)
                {
                    // Only this thread takes slots, so the free one is still free.
                    IConnection idle = free.Connection;
                    free.Connection = _spare;
                    _spare = idle;
                    free.Busy = true;
                    free.Client = client;
                    free.Deadline = Deadline.Start(free.Connection, RequestTimeoutMs);
                }

                free.Go.Set();
            }
        }

        // Blocks until a slot is free and returns it; null when the server stops meanwhile.
        private PortalSlot WaitForFreeSlot()
        {
            while (!_stopping)
            {
                lock (_lock)
                {
                    for (int i = 0; i < _slots.Length; i++)
                    {
                        if (!_slots[i].Busy)
                        {
                            return _slots[i];
                        }
                    }
                }

                _freed.WaitOne(QueueCheckMs, false);
            }

            return null;
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
