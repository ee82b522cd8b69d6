using System.Threading;
using Pigeon.Net;
using Pigeon.Routing;

namespace Pigeon.Relay
{
    /// <summary>
    /// Accepts clients for one route on its own thread and hands each to a free session slot, or
    /// closes it at once when every slot is busy (existing sessions keep flowing). A listener that
    /// fails while running is reopened with backoff.
    /// </summary>
    public sealed class RouteListener
    {
        private const int Backlog = 8;
        private const int FirstRetryMs = 1000;
        private const int MaxRetryMs = 30000;

        private readonly RelayServer _relay;
        private readonly Route _route;
        private readonly ITransport _transport;
        private IConnection _spare;
        private IListener _listener;
        private Thread _thread;

        internal RouteListener(RelayServer relay, Route route, ITransport transport)
        {
            _relay = relay;
            _route = route;
            _transport = transport;
            _spare = transport.CreateConnection();
        }

        /// <summary>The route served.</summary>
        public Route Route
        {
            get { return _route; }
        }

        /// <summary>True while the port is open.</summary>
        public bool IsListening { get; private set; }

        /// <summary>Why the port is not open (plain words), or null.</summary>
        public string Error { get; private set; }

        /// <summary>How many times the listener was reopened after a failure.</summary>
        public int Restarts { get; private set; }

        /// <summary>Binds the port now; on failure records <see cref="Error"/> and returns false.</summary>
        internal bool Open()
        {
            string error;
            _listener = _transport.Listen(_route.ListenAddress, _route.ListenPort, Backlog, out error);
            IsListening = _listener != null;
            Error = error;
            return IsListening;
        }

        internal void Start()
        {
            _thread = new Thread(AcceptLoop);
            _thread.Start();
        }

        internal void Close()
        {
            IListener listener = _listener;
            if (listener != null)
            {
                listener.Close();
            }
        }

        internal void Join(int milliseconds)
        {
            if (_thread != null)
            {
                _thread.Join(milliseconds);
            }
        }

        private void AcceptLoop()
        {
            int retryMs = FirstRetryMs;
            while (!_relay.Stopping)
            {
                if (_listener == null)
                {
                    Thread.Sleep(retryMs);
                    retryMs = retryMs * 2 > MaxRetryMs ? MaxRetryMs : retryMs * 2;
                    if (_relay.Stopping || !Open())
                    {
                        continue;
                    }

                    Restarts++;
                    _relay.Log.Info("route " + _route.Name + ": listening again on port " + _route.ListenPort.ToString());
                }

                if (!_listener.Accept(_spare))
                {
                    if (_relay.Stopping)
                    {
                        break;
                    }

                    // The listening socket failed (the network went away, say): reopen it.
                    IsListening = false;
                    Error = "the listening socket failed; reopening";
                    _relay.Log.Warn("route " + _route.Name + ": " + Error);
                    _listener.Close();
                    _listener = null;
                    continue;
                }

                retryMs = FirstRetryMs;
                Session slot = _relay.TryReserve();
                if (slot == null)
                {
                    _route.Counters.OnRefused(RefusalReason.Full); // counted before the client can see the close
                    _spare.Close();
                    continue;
                }

                _spare = slot.Begin(_route, _spare);
            }

            IsListening = false;
        }
    }
}
