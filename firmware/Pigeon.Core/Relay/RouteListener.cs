using Pigeon.Routing;

namespace Pigeon.Relay
{
    /// <summary>
    /// The state of one route's listening port, as the status page shows it, and the backoff a
    /// pump follows to reopen a port that failed while running (the network went away, say):
    /// 1 s, doubling to 30 s.
    /// </summary>
    public sealed class RouteListener
    {
        private const int FirstRetryMs = 1000;
        private const int MaxRetryMs = 30000;

        private readonly Route _route;
        private int _retryMs = FirstRetryMs;

        internal RouteListener(Route route)
        {
            _route = route;
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

        /// <summary>The port opened (at start, or again after a failure).</summary>
        public void Opened(bool again)
        {
            IsListening = true;
            Error = null;
            PortInUse = false;
            if (again)
            {
                Restarts++;
            }
        }

        /// <summary>The port could not be opened, or failed while open.</summary>
        public void Failed(string error)
        {
            Failed(error, false);
        }

        /// <summary>The listener could not open; <paramref name="inUse"/>: because something else listens on its port.</summary>
        public void Failed(string error, bool inUse)
        {
            IsListening = false;
            Error = error;
            PortInUse = inUse;
        }

        /// <summary>True when the last open failed because another program (another Pigeon, say) listens on the port.</summary>
        public bool PortInUse { get; private set; }

        /// <summary>True when this route can never listen on this platform (its loop stops instead of retrying).</summary>
        public bool Impossible { get; private set; }

        /// <summary>The route cannot listen here at all (terminateTls with no TLS): <paramref name="error"/> says why.</summary>
        public void Never(string error)
        {
            Failed(error);
            Impossible = true;
        }

        /// <summary>A client was accepted: the next failure starts the backoff afresh.</summary>
        public void Accepted()
        {
            _retryMs = FirstRetryMs;
        }

        /// <summary>How long to wait before the next attempt to reopen; doubles each call up to 30 s.</summary>
        public int NextRetryMs()
        {
            int wait = _retryMs;
            _retryMs = _retryMs * 2 > MaxRetryMs ? MaxRetryMs : _retryMs * 2;
            return wait;
        }
    }
}
