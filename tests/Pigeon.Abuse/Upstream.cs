using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>
    /// A route's upstream on 127.0.0.1, one thread per connection. It reads the relay's PROXY v1
    /// line when the route sends one (so it knows which stranger each session belongs to) and a
    /// fixed opening (a media route's ClientHello), then the first bytes: a legitimate client's
    /// <see cref="UpstreamCall.Magic"/> header runs the script it names (<see cref="Scripts"/>);
    /// anything else (a flood's byte, garbage) is read and counted until the relay closes.
    /// </summary>
    public sealed class Upstream : IDisposable
    {
        private readonly Socket _listener;
        private readonly Thread _acceptThread;
        private readonly bool _proxyLine;
        private readonly object _lock = new object();
        private readonly Dictionary<string, int> _bySource = new Dictionary<string, int>();
        private int _accepted;
        private int _open;
        private long _received;
        private int _maxPerSource;
        private int _badProxyLines;
        private bool _stopping;

        /// <summary>An upstream that expects a PROXY v1 line first when <paramref name="proxyLine"/>, then <paramref name="openingBytes"/> it skips.</summary>
        public Upstream(bool proxyLine, int openingBytes)
        {
            _proxyLine = proxyLine;
            OpeningBytes = openingBytes;
            Scripts[0] = Transfer.Serve;
            _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(4096);
            Port = ((IPEndPoint)_listener.LocalEndPoint).Port;
            _acceptThread = Harness.Background("upstream-accept", AcceptLoop);
            _acceptThread.Start();
        }

        /// <summary>The port the relay's route leads to.</summary>
        public int Port { get; }

        /// <summary>Bytes every connection starts with after the PROXY line (skipped, counted).</summary>
        public int OpeningBytes { get; }

        /// <summary>What a legitimate call runs, by script number (0 = <see cref="Transfer.Serve"/>).</summary>
        public ConcurrentDictionary<int, Action<UpstreamCall>> Scripts { get; } = new ConcurrentDictionary<int, Action<UpstreamCall>>();

        /// <summary>What each legitimate call left behind, by its seed.</summary>
        public ConcurrentDictionary<long, TransferRecord> Records { get; } = new ConcurrentDictionary<long, TransferRecord>();

        /// <summary>Connections the relay opened to this upstream so far.</summary>
        public int Accepted => Volatile.Read(ref _accepted);

        /// <summary>Connections open now.</summary>
        public int Open => Volatile.Read(ref _open);

        /// <summary>Bytes received after the PROXY lines (what the relay counts as sent upstream).</summary>
        public long Received => Interlocked.Read(ref _received);

        /// <summary>Most connections one client address (from the PROXY line) held at once.</summary>
        public int MaxPerSource
        {
            get
            {
                lock (_lock)
                {
                    return _maxPerSource;
                }
            }
        }

        /// <summary>PROXY lines that were missing or did not name a 127.0.0.x client.</summary>
        public int BadProxyLines => Volatile.Read(ref _badProxyLines);

        /// <summary>Forgets the most-per-source figure (between phases).</summary>
        public void ResetMaxPerSource()
        {
            lock (_lock)
            {
                _maxPerSource = 0;
                foreach (int count in _bySource.Values)
                {
                    _maxPerSource = Math.Max(_maxPerSource, count);
                }
            }
        }

        /// <summary>Waits for the record of the call with <paramref name="seed"/>; null after <paramref name="ms"/>.</summary>
        public TransferRecord WaitRecord(long seed, int ms)
        {
            TransferRecord record = null;
            Loopback.WaitUntil(() => Records.TryGetValue(seed, out record) && record.Done, ms);
            return record != null && record.Done ? record : null;
        }

        internal void AddReceived(long count)
        {
            Interlocked.Add(ref _received, count);
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _stopping = true;
            _listener.Dispose();
        }

        private void AcceptLoop()
        {
            while (!_stopping)
            {
                Socket socket;
                try
                {
                    socket = _listener.Accept();
                }
                catch (Exception)
                {
                    if (_stopping)
                    {
                        return;
                    }

                    continue;
                }

                Interlocked.Increment(ref _accepted);
                Interlocked.Increment(ref _open);
                Harness.Background("upstream", () => Serve(socket)).Start();
            }
        }

        private void Serve(Socket socket)
        {
            string source = null;
            try
            {
                socket.NoDelay = true;
                if (_proxyLine)
                {
                    source = ReadProxySource(socket);
                    if (source == null)
                    {
                        Interlocked.Increment(ref _badProxyLines);
                        return;
                    }

                    lock (_lock)
                    {
                        _bySource.TryGetValue(source, out int count);
                        _bySource[source] = ++count;
                        _maxPerSource = Math.Max(_maxPerSource, count);
                    }
                }

                UpstreamCall call = UpstreamCall.Read(this, socket);
                if (call == null)
                {
                    return; // not a legitimate client: read and counted until the relay closed
                }

                if (Scripts.TryGetValue(call.Script, out Action<UpstreamCall> script))
                {
                    script(call);
                }
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is System.IO.IOException)
            {
                // the relay closed or reset the session
            }
            catch (Exception e)
            {
                Harness.Failed("upstream", e); // a bug of the suite: reported, and the suite goes on
            }
            finally
            {
                if (source != null)
                {
                    lock (_lock)
                    {
                        _bySource[source]--;
                    }
                }

                socket.Dispose();
                Interlocked.Decrement(ref _open);
            }
        }

        // "PROXY TCP4 <client> <relay> <client port> <relay port>\r\n" (relay-protocols, v1).
        private static string ReadProxySource(Socket socket)
        {
            byte[] line = new byte[108];
            int length = 0;
            while (length < line.Length)
            {
                if (socket.Receive(line, length, 1, SocketFlags.None) != 1)
                {
                    return null;
                }

                length++;
                if (length >= 2 && line[length - 2] == '\r' && line[length - 1] == '\n')
                {
                    string[] parts = Encoding.ASCII.GetString(line, 0, length - 2).Split(' ');
                    return parts.Length == 6 && parts[0] == "PROXY" && parts[1] == "TCP4" && parts[2].StartsWith("127.0.0.", StringComparison.Ordinal) ? parts[2] : null;
                }
            }

            return null;
        }
    }
}
