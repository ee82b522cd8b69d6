using System.Threading;

namespace Pigeon.Net
{
    /// <summary>
    /// Closes a connection when its time is up, unless cancelled first: how a Receive, Send or
    /// Connect blocked on a slow or silent peer is cut short on both platforms (closing makes the
    /// blocked call return its failure value, see <see cref="IConnection"/>). One timer per
    /// deadline; for the router's HTTP, upstream checks and the portal's requests, which are few.
    /// </summary>
    public sealed class Deadline
    {
        private readonly object _lock = new object();
        private readonly IConnection _connection;
        private Timer _timer;
        private bool _done;
        private bool _expired;

        private Deadline(IConnection connection)
        {
            _connection = connection;
        }

        /// <summary>True once the time ran out and the connection was closed.</summary>
        public bool Expired
        {
            get
            {
                lock (_lock)
                {
                    return _expired;
                }
            }
        }

        /// <summary>Closes <paramref name="connection"/> in <paramref name="milliseconds"/> unless <see cref="Cancel"/> comes first.</summary>
        public static Deadline Start(IConnection connection, int milliseconds)
        {
            Deadline deadline = new Deadline(connection);
            deadline._timer = new Timer(Fire, deadline, milliseconds, Timeout.Infinite);
            return deadline;
        }

        /// <summary>Stops the clock: once this returns, the deadline never closes the connection.</summary>
        public void Cancel()
        {
            lock (_lock)
            {
                _done = true;
            }

            _timer.Dispose();
        }

        private static void Fire(object state)
        {
            Deadline deadline = (Deadline)state;
            lock (deadline._lock)
            {
                if (deadline._done)
                {
                    return;
                }

                deadline._done = true;
                deadline._expired = true;
            }

            deadline._connection.Close();
        }
    }
}
