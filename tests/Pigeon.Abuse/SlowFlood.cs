using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>
    /// Thousands of slow or idle connections to one port, spread over the given source addresses
    /// (127.0.0.x), as a slowloris keeps them: every other connection starts a request and then
    /// sends one more header byte every second without ever finishing it; the others connect and
    /// say nothing. A connection the server closes (or that fails to connect) is opened again
    /// after <see cref="ReopenMs"/>. Async sockets, so 5,000 of them cost the suite a few
    /// threads, not 5,000.
    /// </summary>
    public sealed class SlowFlood : IDisposable
    {
        /// <summary>Pause before a closed connection is opened again.</summary>
        public const int ReopenMs = 100;

        private const int DripMs = 1000;

        // Linux: let connect() pick the source port per destination (IP_BIND_ADDRESS_NO_PORT), so
        // thousands of connections from one address do not run out of ports at bind().
        private const int SolIp = 0;
        private const int BindAddressNoPort = 24;

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly List<Task> _loops = new List<Task>();
        private readonly IPEndPoint _target;
        private readonly byte[] _start;
        private int _attempts;
        private int _opened;
        private int _open;

        /// <summary>Starts <paramref name="connections"/> connections to 127.0.0.1:<paramref name="port"/>, dealt round-robin over <paramref name="from"/>.</summary>
        public SlowFlood(int port, int connections, string[] from)
        {
            _target = new IPEndPoint(IPAddress.Loopback, port);
            _start = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUser-Agent: slowloris\r\nX-Slow: ");
            for (int i = 0; i < connections; i++)
            {
                IPAddress source = IPAddress.Parse(from[i % from.Length]);
                bool slow = i % 2 == 0;
                _loops.Add(Task.Run(() => Hold(source, slow)));
            }
        }

        /// <summary>Connects tried so far (a connection reset at once by the server counts here, not in <see cref="Opened"/>).</summary>
        public int Attempts => Volatile.Read(ref _attempts);

        /// <summary>Connections made so far.</summary>
        public int Opened => Volatile.Read(ref _opened);

        /// <summary>Connections open right now (as this side sees them: a connection in the server's listen queue counts).</summary>
        public int Open => Volatile.Read(ref _open);

        /// <summary>Waits until <paramref name="count"/> connects were tried or <paramref name="ms"/> passed.</summary>
        public bool WaitAttempts(int count, int ms)
        {
            return Loopback.WaitUntil(() => Attempts >= count, ms);
        }

        /// <summary>Closes every connection and stops reopening them.</summary>
        public void Dispose()
        {
            _stop.Cancel();
            try
            {
                Task.WaitAll(_loops.ToArray(), 15000);
            }
            catch (AggregateException)
            {
                // each loop ends on cancellation; nothing else is expected, and the harness counts the rest
            }

            _stop.Dispose();
        }

        private async Task Hold(IPAddress source, bool slow)
        {
            CancellationToken stop = _stop.Token;
            byte[] sink = new byte[256];
            while (!stop.IsCancellationRequested)
            {
                Socket s = null;
                bool connected = false;
                try
                {
                    s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp); // fails when the suite is out of descriptors
                    s.SetRawSocketOption(SolIp, BindAddressNoPort, BitConverter.GetBytes(1));
                    s.Bind(new IPEndPoint(source, 0));
                    Interlocked.Increment(ref _attempts);
                    await s.ConnectAsync(_target, stop).ConfigureAwait(false); // no timer of its own: the flood should cost the suite little

                    connected = true;
                    Interlocked.Increment(ref _opened);
                    Interlocked.Increment(ref _open);
                    if (slow)
                    {
                        await s.SendAsync(_start, SocketFlags.None, stop).ConfigureAwait(false);
                    }

                    // Until the server closes it: its answer (a 503) or its FIN ends the read.
                    Task<int> closed = s.ReceiveAsync(sink, SocketFlags.None, stop).AsTask();
                    while (!closed.IsCompleted)
                    {
                        Task tick = Task.Delay(DripMs, stop);
                        if (await Task.WhenAny(closed, tick).ConfigureAwait(false) == closed)
                        {
                            break;
                        }

                        stop.ThrowIfCancellationRequested(); // the delay ends at once then: no spinning until the read notices

                        if (slow)
                        {
                            await s.SendAsync(new[] { (byte)'a' }, SocketFlags.None, stop).ConfigureAwait(false);
                        }
                    }

                    await closed.ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException || e is OperationCanceledException || e is ObjectDisposedException)
                {
                    // reset or closed by the server (at once or later), or the flood is stopping: open another
                }
                finally
                {
                    s?.Dispose();
                    if (connected)
                    {
                        Interlocked.Decrement(ref _open);
                    }
                }

                try
                {
                    await Task.Delay(ReopenMs, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
