using System.Threading;
using Pigeon.Net;
using Pigeon.Text;

namespace Pigeon.Portal
{
    /// <summary>
    /// The portal's socket loop over the platform's TCP seams, shared by board and host. One
    /// accept thread hands connections to a fixed, tiny number of worker slots (two on the
    /// board: sockets are scarce and the relay has priority); when all are busy, the new client
    /// gets a canned 503 and is closed at once. Each slot owns its request/response buffers.
    /// A reaper thread closes any connection past its deadline: <see cref="HeaderTimeoutMs"/>
    /// to deliver the whole request (slow-loris clients), then <see cref="ResponseTimeoutMs"/>
    /// to take the answer.
    /// </summary>
    public sealed class PortalServer
    {
        /// <summary>Slots on the board (each a socket of the ESP32's 16).</summary>
        public const int DeviceSlots = 2;

        /// <summary>Time for a client to send its request line, headers and body.</summary>
        public const int HeaderTimeoutMs = 10000;

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

        private const int ReaperIntervalMs = 250;

        private static readonly byte[] s_busy = Utf8.GetBytes(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nRetry-After: 1\r\nConnection: close\r\n\r\nbusy\n");

        private readonly ITransport _transport;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly IHttpHandler _handler;
        private readonly IConnection[] _connections;
        private readonly HttpRequest[] _requests;
        private readonly HttpResponse[] _responses;
        private readonly AutoResetEvent[] _go;
        private readonly long[] _deadline;
        private readonly bool[] _busy;
        private readonly Thread[] _workers;
        private readonly object _lock = new object();
        private IConnection _spare;
        private IListener _listener;
        private Thread _acceptThread;
        private Thread _reaperThread;
        private bool _stopping;
        private int _served;
        private int _refusedBusy;
        private int _timedOut;

        /// <summary>Creates the server with <paramref name="slots"/> concurrent connections.</summary>
        public PortalServer(ITransport transport, IClock clock, ILog log, IHttpHandler handler, int slots)
        {
            if (slots < 1)
            {
                slots = 1;
            }

            _transport = transport;
            _clock = clock;
            _log = log;
            _handler = handler;
            _connections = new IConnection[slots];
            _requests = new HttpRequest[slots];
            _responses = new HttpResponse[slots];
            _go = new AutoResetEvent[slots];
            _deadline = new long[slots];
            _busy = new bool[slots];
            _workers = new Thread[slots];
            for (int i = 0; i < slots; i++)
            {
                _connections[i] = transport.CreateConnection();
                _requests[i] = new HttpRequest();
                _responses[i] = new HttpResponse();
                _go[i] = new AutoResetEvent(false);
            }

            _spare = transport.CreateConnection();
        }

        /// <summary>Requests answered (any status) since start.</summary>
        public int Served
        {
            get { return _served; }
        }

        /// <summary>Clients sent away with 503 because every slot was busy.</summary>
        public int RefusedBusy
        {
            get { return _refusedBusy; }
        }

        /// <summary>Connections closed by the reaper (too slow).</summary>
        public int TimedOut
        {
            get { return _timedOut; }
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
            for (int i = 0; i < _workers.Length; i++)
            {
                int slot = i;
                _workers[i] = new Thread(() => Work(slot));
                _workers[i].Start();
            }

            _reaperThread = new Thread(Reap);
            _reaperThread.Start();
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
                for (int i = 0; i < _connections.Length; i++)
                {
                    _connections[i].Close();
                }
            }

            for (int i = 0; i < _go.Length; i++)
            {
                _go[i].Set();
            }

            Join(_acceptThread);
            Join(_reaperThread);
            for (int i = 0; i < _workers.Length; i++)
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
                if (!_listener.Accept(_spare))
                {
                    if (_stopping)
                    {
                        return;
                    }

                    Thread.Sleep(100); // a failed accept (out of sockets): back off, then retry
                    continue;
                }

                int slot = -1;
                lock (_lock)
                {
                    for (int i = 0; i < _busy.Length; i++)
                    {
                        if (!_busy[i])
                        {
                            slot = i;
                            break;
                        }
                    }

                    if (slot >= 0)
                    {
                        IConnection idle = _connections[slot];
                        _connections[slot] = _spare;
                        _spare = idle;
                        _busy[slot] = true;
                        _deadline[slot] = _clock.NowMilliseconds + HeaderTimeoutMs;
                    }
                }

                if (slot < 0)
                {
                    Interlocked.Increment(ref _refusedBusy);
                    _spare.Send(s_busy, 0, s_busy.Length);
                    _spare.Close();
                    continue;
                }

                _go[slot].Set();
            }
        }

        private void Work(int slot)
        {
            while (true)
            {
                _go[slot].WaitOne();
                if (_stopping)
                {
                    return;
                }

                IConnection connection;
                lock (_lock)
                {
                    connection = _connections[slot];
                }

                HttpRequest request = _requests[slot];
                HttpResponse response = _responses[slot];
                response.Clear();
                HttpReadResult result = HttpRequestReader.Read(connection, request);
                lock (_lock)
                {
                    _deadline[slot] = _clock.NowMilliseconds + ResponseTimeoutMs;
                }

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
                        Drain(slot, connection, request.Head);
                    }

                    Interlocked.Increment(ref _served);
                }

                lock (_lock)
                {
                    connection.Close();
                    _busy[slot] = false;
                }
            }
        }

        private void Drain(int slot, IConnection connection, byte[] scratch)
        {
            lock (_lock)
            {
                _deadline[slot] = _clock.NowMilliseconds + DrainMs; // the reaper ends a drain that takes longer
            }

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

        private void Reap()
        {
            while (!_stopping)
            {
                Thread.Sleep(ReaperIntervalMs);
                long now = _clock.NowMilliseconds;
                lock (_lock)
                {
                    for (int i = 0; i < _busy.Length; i++)
                    {
                        if (_busy[i] && now > _deadline[i] && _connections[i].IsOpen)
                        {
                            _connections[i].Close(); // unblocks the worker's Receive/Send
                            _timedOut++;
                        }
                    }
                }
            }
        }
    }
}
