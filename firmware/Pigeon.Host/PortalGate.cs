using System;
using System.Buffers;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Pigeon.Net;
using Pigeon.Portal;
using Pigeon.Sockets;
using Pigeon.Text;
using Pigeon.Pumps.Events;

namespace Pigeon.Host
{
    /// <summary>
    /// The host portal's listener (issue 18, item 7): what stands between the internet and the
    /// shared <see cref="PortalServer"/>'s few slots, so that thousands of slow or idle strangers
    /// cannot keep the owner out. It is the transport the server is given, and it hands the server
    /// a connection only once that connection's whole request (head and body) is in, the way
    /// FreeBSD's accf_http accept filter or an event-driven server such as nginx does: a stranger
    /// who dribbles a header or says nothing holds no slot and no thread, only a socket in the
    /// waiting room, and only until its deadline. The rules:
    /// <list type="bullet">
    /// <item>Accept as fast as connections come (<see cref="AcceptThreads"/> threads; a full
    /// listen queue would drop the owner's connect too); a connection beyond a cap is reset at
    /// once, before anything is read.</item>
    /// <item>At most <see cref="PerAddress"/> connections of one stranger address wait at once
    /// (nginx's limit_conn, HAProxy's src_conn_cur); at most <see cref="Waiting"/> strangers in
    /// all. When the room is full, a newcomer takes the place of a connection of the most active
    /// stranger address (its waiting connections plus its connects in the last second or two,
    /// HAProxy's src_conn_rate) if that address is more than twice as active as the newcomer's: an
    /// address that is not flooding always gets in, and flooding addresses do not churn each
    /// other's places. An unfinished request goes before a silent connection, the longest waiting
    /// first. Otherwise the newcomer is reset.</item>
    /// <item>A connection from the machine itself (its source address is the address it dialled:
    /// 127.0.0.1 to 127.0.0.1, or the host's own LAN address to itself; nobody outside can send
    /// from the host's own address) has its own <see cref="LocalWaiting"/> places, which no
    /// stranger can take.</item>
    /// <item>The whole request must be in within <see cref="PortalServer.RequestTimeoutMs"/> of the
    /// connect; a stranger's within <see cref="StrangerPressedMs"/> while the room is at least half
    /// full. A whole request that finds no slot within <see cref="PortalServer.RequestTimeoutMs"/>
    /// is answered "503 busy".</item>
    /// <item>The owner's requests (from the machine itself, or carrying a live admin session
    /// cookie, read from the request head before a slot is given) go first, and
    /// <see cref="ReservedSlots"/> slot is theirs alone; a stranger address is given at most half
    /// the slots at once.</item>
    /// </list>
    /// No address is logged; a stranger address is kept while it has a connection waiting and two
    /// <see cref="RateWindowMs"/> after its last connect, with its counts only. Once a minute, when
    /// connections were turned away, one line counts them.
    /// </summary>
    public sealed class PortalGate : ITransport, IListener
    {
        /// <summary>Stranger connections that may wait for their request at once.</summary>
        public const int Waiting = 64;

        /// <summary>Connections of one stranger address that may wait at once (a browser opens up to 6).</summary>
        public const int PerAddress = 8;

        /// <summary>Connections from the machine itself that may wait at once, beyond <see cref="Waiting"/>.</summary>
        public const int LocalWaiting = 16;

        /// <summary>
        /// The window of a stranger address's recent connects (counted over the last one or two
        /// windows); an address is forgotten two windows after its last connect.
        /// </summary>
        public const int RateWindowMs = 1000;

        /// <summary>Stranger addresses whose recent connects are counted at once (a flood from more looks quiet).</summary>
        public const int TrackedSources = 4096;

        /// <summary>A stranger's time to send its whole request while the waiting room is at least half full.</summary>
        public const int StrangerPressedMs = 1000;

        /// <summary>Slots only the owner's requests may take.</summary>
        public const int ReservedSlots = 1;

        /// <summary>How often deadlines are checked.</summary>
        public const int SweepMs = 100;

        /// <summary>At most one line a minute about connections turned away.</summary>
        public const int ReportMs = 60000;

        /// <summary>
        /// Threads accepting at once. Under a flood of new connections the accept loop is what
        /// keeps the kernel's listen queue from filling (a full queue drops the owner's SYN too,
        /// and the owner's browser then waits 1 s, 3 s, 7 s for its retries); two keep up better
        /// than one on a busy machine.
        /// </summary>
        public const int AcceptThreads = 2;

        /// <summary>Bytes of one request the gate reads before the server does: the largest head and body the server takes.</summary>
        public const int RequestBytes = HttpRequest.MaxHead + HttpRequest.MaxBody;

        private static readonly byte[] s_busy = Utf8.GetBytes(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nRetry-After: 1\r\nConnection: close\r\n\r\nbusy\n");

        private static readonly LingerOption s_reset = new LingerOption(true, 0);

        [ThreadStatic]
        private static HttpRequest t_head;

        private readonly object _lock = new object();
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly int _slots;
        private readonly int _slotsPerAddress;
        private readonly List<Waiter> _waiting = new List<Waiter>(); // in connect order
        private readonly Dictionary<uint, Source> _sources = new Dictionary<uint, Source>(); // strangers only
        private readonly Dictionary<uint, int> _servedFrom = new Dictionary<uint, int>(); // strangers only
        private readonly int[] _reported = new int[4]; // the counters at the minute's last line
        private readonly Stack<SocketOperation> _operations = new Stack<SocketOperation>(); // reused by the reads
        private SocketListener _listener;
        private Thread[] _acceptThreads;
        private Timer _sweep;
        private bool _closed = true;
        private int _strangers;
        private int _locals;
        private int _serving;
        private long _reportedAt;
        private long _purgedAt;
        private int _refused;
        private int _evicted;
        private int _timedOut;
        private int _busy;
        private int _handed;

        /// <summary>A gate for a server of <paramref name="slots"/> slots.</summary>
        public PortalGate(IClock clock, ILog log, int slots)
        {
            _clock = clock;
            _log = log;
            _slots = slots < 1 ? 1 : slots;
            _slotsPerAddress = _slots > 2 ? (_slots + 1) / 2 : 1;
        }

        /// <summary>The admin sessions: a request carrying a live one is the owner's. Set before <see cref="Listen"/>.</summary>
        public PortalSessions Sessions { get; set; }

        /// <summary>Connections reset at the accept: over their address's cap, or the room full and their address not clearly quieter than the busiest.</summary>
        public int Refused => Volatile.Read(ref _refused);

        /// <summary>Waiting connections reset to make room for a quieter address.</summary>
        public int Evicted => Volatile.Read(ref _evicted);

        /// <summary>Connections closed because their request was not whole in time.</summary>
        public int TimedOut => Volatile.Read(ref _timedOut);

        /// <summary>Whole requests answered "503 busy" because no slot came free in time.</summary>
        public int Busy => Volatile.Read(ref _busy);

        /// <summary>Connections handed to the server.</summary>
        public int Handed => Volatile.Read(ref _handed);

        /// <summary>Connections waiting now (for their request or for a slot).</summary>
        public int WaitingNow
        {
            get
            {
                lock (_lock)
                {
                    return _waiting.Count;
                }
            }
        }

        /// <summary>Waiting connections whose whole request is read and waits for a slot (tests: the slot's wait starts then).</summary>
        internal int ReadyNow
        {
            get
            {
                lock (_lock)
                {
                    return _waiting.FindAll(w => w.Ready).Count;
                }
            }
        }

        /// <summary>Waiting connections that began a request and have not finished it (tests).</summary>
        internal int Unfinished
        {
            get
            {
                lock (_lock)
                {
                    return _waiting.FindAll(w => w.Started && !w.Ready).Count;
                }
            }
        }

        /// <inheritdoc />
        public IConnection CreateConnection()
        {
            return new PortalGateConnection(this);
        }

        /// <inheritdoc />
        /// <remarks>The backlog asked for is ignored: the gate takes the most the kernel allows and drains it at once.</remarks>
        public IListener Listen(uint ipv4, int port, int backlog, out string error)
        {
            _listener = SocketListener.Open(ipv4, port, SocketListener.ServerBacklog, out error);
            if (_listener == null)
            {
                return null;
            }

            lock (_lock)
            {
                _closed = false;
                _reportedAt = _clock.NowMilliseconds;
            }

            _acceptThreads = new Thread[AcceptThreads];
            for (int i = 0; i < _acceptThreads.Length; i++)
            {
                _acceptThreads[i] = new Thread(AcceptLoop) { IsBackground = true, Name = "portal accept" };
                _acceptThreads[i].Start();
            }

            _sweep = new Timer(_ => Sweep(), null, SweepMs, SweepMs);
            return this;
        }

        /// <inheritdoc />
        public bool Accept(IConnection into)
        {
            PortalGateConnection target = (PortalGateConnection)into;
            Waiter next;
            lock (_lock)
            {
                while (true)
                {
                    if (_closed)
                    {
                        return false;
                    }

                    next = Next();
                    if (next != null)
                    {
                        break;
                    }

                    Monitor.Wait(_lock);
                }

                Remove(next);
                _serving++;
                if (!next.Local)
                {
                    Add(_servedFrom, next.Client, 1);
                }

                _handed++;
                target.Counted = true; // its Close gives the slot back (Release)
                target.Client = next.Client;
                target.Local = next.Local;
            }

            target.Attach(next.Socket, next.Buffer, next.Length);
            ArrayPool<byte>.Shared.Return(next.Buffer);
            return true;
        }

        /// <inheritdoc />
        public void Close()
        {
            List<Waiter> left;
            lock (_lock)
            {
                _closed = true;
                left = new List<Waiter>(_waiting);
                foreach (Waiter w in left)
                {
                    Remove(w);
                }

                Monitor.PulseAll(_lock);
            }

            if (_listener != null)
            {
                _listener.Close();
            }

            if (_sweep != null)
            {
                _sweep.Dispose();
            }

            foreach (Waiter w in left)
            {
                Drop(w);
            }

            for (int i = 0; _acceptThreads != null && i < _acceptThreads.Length; i++)
            {
                _acceptThreads[i].Join();
            }
        }

        /// <summary>Checks every deadline now (a timer calls it every <see cref="SweepMs"/>; tests call it after moving their clock).</summary>
        internal void Sweep()
        {
            List<Waiter> cut = null;
            List<Waiter> busy = null;
            string report = null;
            lock (_lock)
            {
                long now = _clock.NowMilliseconds;
                bool pressed = _strangers >= Waiting / 2;
                for (int i = _waiting.Count - 1; i >= 0; i--)
                {
                    Waiter w = _waiting[i];
                    if (!w.Ready && now - w.Since >= (w.Local || !pressed ? PortalServer.RequestTimeoutMs : StrangerPressedMs))
                    {
                        Remove(w);
                        _timedOut++;
                        (cut ??= new List<Waiter>()).Add(w);
                    }
                    else if (w.Ready && now - w.ReadySince >= PortalServer.RequestTimeoutMs)
                    {
                        Remove(w);
                        _busy++;
                        (busy ??= new List<Waiter>()).Add(w);
                    }
                }

                if (now - _purgedAt >= RateWindowMs)
                {
                    Forget(now);
                    _purgedAt = now;
                }

                if (now - _reportedAt >= ReportMs)
                {
                    report = Report();
                    _reportedAt = now;
                }
            }

            for (int i = 0; cut != null && i < cut.Count; i++)
            {
                Reset(cut[i].Socket); // its read fails and ends
            }

            for (int i = 0; busy != null && i < busy.Count; i++)
            {
                Answer(busy[i].Socket, s_busy);
                Drop(busy[i]);
            }

            if (report != null && _log != null)
            {
                _log.Warn(report);
            }
        }

        // Forgets the stranger addresses with no connection waiting and no connect for two windows.
        private void Forget(long now)
        {
            List<uint> quiet = null;
            foreach (KeyValuePair<uint, Source> source in _sources)
            {
                if (source.Value.Waiting == 0 && now - source.Value.WindowStart >= 2 * RateWindowMs)
                {
                    (quiet ??= new List<uint>()).Add(source.Key);
                }
            }

            for (int i = 0; quiet != null && i < quiet.Count; i++)
            {
                _sources.Remove(quiet[i]);
            }
        }

        // The minute's line, when connections were turned away in it (no address: they are not kept).
        private string Report()
        {
            int refused = _refused - _reported[0];
            int evicted = _evicted - _reported[1];
            int timedOut = _timedOut - _reported[2];
            int busy = _busy - _reported[3];
            _reported[0] = _refused;
            _reported[1] = _evicted;
            _reported[2] = _timedOut;
            _reported[3] = _busy;
            if (refused + evicted + timedOut + busy == 0)
            {
                return null;
            }

            return "portal: " + (refused + evicted + timedOut + busy) + " connections turned away in the last minute ("
                + refused + " over " + PerAddress + " from one address or " + Waiting + " waiting, " + evicted + " made room for a quieter address, "
                + timedOut + " without a whole request in time, " + busy + " answered busy): a flood of slow or idle connections? "
                + "The owner keeps a way in from this machine and with a session (docs/portal.md, \"Floods\")";
        }

        /// <summary>A connection handed to the server has closed: its slot is free.</summary>
        internal void Release(PortalGateConnection connection)
        {
            lock (_lock)
            {
                if (!connection.Counted)
                {
                    return;
                }

                connection.Counted = false;
                _serving--;
                if (!connection.Local)
                {
                    Add(_servedFrom, connection.Client, -1);
                }

                Monitor.PulseAll(_lock);
            }
        }

        private static void Add(Dictionary<uint, int> counts, uint client, int change)
        {
            counts.TryGetValue(client, out int n);
            n += change;
            if (n <= 0)
            {
                counts.Remove(client);
            }
            else
            {
                counts[client] = n;
            }
        }

        private static int Count(Dictionary<uint, int> counts, uint client)
        {
            counts.TryGetValue(client, out int n);
            return n;
        }

        // Closes with a reset (SO_LINGER 0): a connection turned away leaves no FIN exchange and
        // no TIME_WAIT behind, which under a flood of thousands a second is work the kernel is
        // spared; the client sees "connection reset" at once.
        private static void Reset(Socket socket)
        {
            try
            {
                socket.LingerState = s_reset;
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                // already gone
            }

            SocketConnection.CloseQuietly(socket);
        }

        private static void Answer(Socket socket, byte[] bytes)
        {
            try
            {
                socket.Send(bytes, 0, bytes.Length, SocketFlags.None);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                // gone already
            }
        }

        // A whole request (or one the server will refuse at once) is in the first `length` bytes;
        // `owner` when it is the owner's. `eof`: the client has finished sending.
        private bool Complete(Waiter w, byte[] buffer, int length, bool eof, out bool owner)
        {
            owner = w.Local;
            int headEnd = w.HeadEnd;
            if (headEnd == 0)
            {
                int searched = length < HttpRequest.MaxHead ? length : HttpRequest.MaxHead;
                headEnd = HttpRequestParser.FindHeadEnd(buffer, w.Scanned > 3 ? w.Scanned - 3 : 0, searched); // only the new bytes
                w.Scanned = searched;
                w.HeadEnd = headEnd;
            }

            if (headEnd < 0)
            {
                return true; // a bare LF: the server answers 400
            }

            if (headEnd == 0)
            {
                return eof || length >= HttpRequest.MaxHead; // 400 (cut short) or 431 (too long)
            }

            HttpRequest head = t_head ??= new HttpRequest();
            if (HttpRequestParser.ParseHead(buffer, headEnd, head) != HttpReadResult.Ok)
            {
                return true; // the server answers the same refusal
            }

            if (length - headEnd < head.ContentLength && !eof)
            {
                return false; // the body is still coming
            }

            PortalSessions sessions = Sessions;
            string token = sessions == null || w.Local ? null : head.GetCookie(PortalSessions.CookieName);
            owner = w.Local || (token != null && sessions.Find(token, _clock.NowMilliseconds) >= 0);
            return true;
        }

        private void AcceptLoop()
        {
            Socket listening = _listener.Socket;
            while (true)
            {
                Socket client;
                try
                {
                    client = listening.Accept();
                }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
                {
                    lock (_lock)
                    {
                        if (_closed)
                        {
                            return;
                        }
                    }

                    Thread.Sleep(100); // out of descriptors: the kernel keeps the queue meanwhile
                    continue;
                }

                Admit(client);
            }
        }

        private void Admit(Socket socket)
        {
            uint client;
            bool local;
            try
            {
                IPEndPoint remote = (IPEndPoint)socket.RemoteEndPoint;
                IPEndPoint here = (IPEndPoint)socket.LocalEndPoint;
                client = SocketConnection.FromIPAddress(remote.Address);
                local = remote.Address.Equals(here.Address);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                Reset(socket); // reset before we looked
                return;
            }

            Waiter admitted = null;
            Waiter evicted = null;
            lock (_lock)
            {
                long now = _clock.NowMilliseconds;
                Source mine = local ? null : Connected(client, now);
                if (_closed)
                {
                }
                else if (local)
                {
                    admitted = _locals < LocalWaiting ? new Waiter() : null;
                }
                else if (mine.Waiting < PerAddress && _strangers < Waiting)
                {
                    admitted = new Waiter();
                }
                else if (mine.Waiting < PerAddress)
                {
                    evicted = Busiest(mine.Activity(now), now);
                    if (evicted != null)
                    {
                        Remove(evicted);
                        _evicted++;
                        admitted = new Waiter();
                    }
                }

                if (admitted == null)
                {
                    _refused++;
                }
                else
                {
                    admitted.Socket = socket;
                    admitted.Client = client;
                    admitted.Local = local;
                    admitted.Since = now;
                    _waiting.Add(admitted);
                    if (local)
                    {
                        _locals++;
                    }
                    else
                    {
                        _strangers++;
                        mine.Waiting++;
                        _sources[client] = mine; // kept while it has a connection waiting, even beyond TrackedSources
                    }
                }
            }

            if (evicted != null)
            {
                Reset(evicted.Socket); // its read fails and ends
            }

            if (admitted == null)
            {
                Reset(socket);
                return;
            }

            _ = Read(admitted);
        }

        // A connection still without its whole request, of the stranger address most active now
        // (its waiting connections and its connects in the last second or two), if that is more
        // than twice the newcomer's `activity`: one that began a request and has not finished it
        // (a slowloris, surely) before one that has said nothing yet (it may be a browser whose
        // request is on its way), and the longest waiting of those. Twice: strangers of about the
        // same activity do not take each other's places (each would do it a thousand times a
        // second in a flood, and a browser's request could never arrive in a place that lasts
        // a millisecond), while an owner who opens a few connections a minute always can.
        private Waiter Busiest(int activity, long now)
        {
            Waiter busiest = null;
            int most = 2 * activity;
            foreach (Waiter w in _waiting)
            {
                if (w.Ready || w.Local)
                {
                    continue;
                }

                int its = _sources[w.Client].Activity(now);
                if (its > most || (busiest != null && its == most && w.Started && !busiest.Started))
                {
                    most = its;
                    busiest = w; // in connect order: the longest waiting of its kind
                }
            }

            return busiest;
        }

        // Counts a connect from a stranger address and returns its record (not stored beyond
        // TrackedSources unless the connection is admitted).
        private Source Connected(uint client, long now)
        {
            if (!_sources.TryGetValue(client, out Source source))
            {
                source = new Source { WindowStart = now };
                if (_sources.Count < TrackedSources)
                {
                    _sources[client] = source;
                }
            }

            source.Roll(now);
            source.ThisWindow++;
            return source;
        }

        // The next whole request to hand to the server: the owner's first, into any free slot;
        // a stranger's only while a slot beyond the reserved one is free and its address holds
        // less than its share of them.
        private Waiter Next()
        {
            if (_serving >= _slots)
            {
                return null;
            }

            Waiter stranger = null;
            foreach (Waiter w in _waiting)
            {
                if (!w.Ready)
                {
                    continue;
                }

                if (w.Owner)
                {
                    return w;
                }

                if (stranger == null && _serving < _slots - ReservedSlots && Count(_servedFrom, w.Client) < _slotsPerAddress)
                {
                    stranger = w;
                }
            }

            return stranger;
        }

        private void Remove(Waiter w)
        {
            if (w.Gone)
            {
                return;
            }

            w.Gone = true;
            _waiting.Remove(w);
            if (w.Local)
            {
                _locals--;
            }
            else
            {
                _strangers--;
                _sources[w.Client].Waiting--;
            }
        }

        // Closes a connection the gate gave up on, and returns its request's buffer when it had one.
        private void Drop(Waiter w)
        {
            lock (_lock)
            {
                Remove(w);
            }

            SocketConnection.CloseQuietly(w.Socket);
            byte[] buffer = Interlocked.Exchange(ref w.Buffer, null);
            if (buffer != null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        // Reads one connection's request until it is whole, then queues it for a slot. The buffer
        // is this loop's until the request is whole, then the waiting room's. The reads complete
        // without exceptions (a reset or a close is -1) and, with Pigeon.Host's inline socket
        // completions, continue on the socket engine's thread: a flood that makes thousands of
        // connections a second end early costs no thread-pool work and no exception each.
        private async Task Read(Waiter w)
        {
            SocketOperation read = TakeOperation();
            byte[] buffer = ArrayPool<byte>.Shared.Rent(RequestBytes);
            bool queued = false;
            try
            {
                int length = 0;
                while (true)
                {
                    int n = await read.ReceiveAsync(w.Socket, buffer.AsMemory(length, RequestBytes - length)).ConfigureAwait(false);
                    if (n < 0 || (n == 0 && length == 0))
                    {
                        Drop(w); // reset, closed by a deadline or an eviction, or closed without a word
                        return;
                    }

                    length += n;
                    w.Started = true;
                    if (Complete(w, buffer, length, n == 0, out bool owner))
                    {
                        queued = Queue(w, buffer, length, owner);
                        if (!queued)
                        {
                            SocketConnection.CloseQuietly(w.Socket);
                        }

                        return;
                    }
                }
            }
            finally
            {
                if (!queued)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                GiveBack(read);
            }
        }

        private SocketOperation TakeOperation()
        {
            lock (_lock)
            {
                return _operations.Count > 0 ? _operations.Pop() : new SocketOperation();
            }
        }

        private void GiveBack(SocketOperation operation)
        {
            lock (_lock)
            {
                if (_operations.Count < Waiting + LocalWaiting)
                {
                    _operations.Push(operation);
                    return;
                }
            }

            operation.Dispose();
        }

        // The request is whole: it waits for a slot (false when the gate gave up on it meanwhile).
        private bool Queue(Waiter w, byte[] buffer, int length, bool owner)
        {
            lock (_lock)
            {
                if (w.Gone)
                {
                    return false;
                }

                w.Buffer = buffer;
                w.Length = length;
                w.Owner = owner;
                w.Ready = true;
                w.ReadySince = _clock.NowMilliseconds;
                Monitor.PulseAll(_lock);
                return true;
            }
        }

        // What the gate knows of a stranger address: its connections waiting, and its connects in
        // this window and the one before. Guarded by the gate's lock.
        private sealed class Source
        {
            public int Waiting;
            public long WindowStart;
            public int ThisWindow;
            public int LastWindow;

            public void Roll(long now)
            {
                long elapsed = now - WindowStart;
                if (elapsed >= 2 * RateWindowMs)
                {
                    LastWindow = 0;
                    ThisWindow = 0;
                    WindowStart = now;
                }
                else if (elapsed >= RateWindowMs)
                {
                    LastWindow = ThisWindow;
                    ThisWindow = 0;
                    WindowStart += RateWindowMs;
                }
            }

            public int Activity(long now)
            {
                Roll(now);
                return Waiting + ThisWindow + LastWindow;
            }
        }

        // One connection in the waiting room. Guarded by the gate's lock, except what its read
        // loop alone touches (Scanned, HeadEnd) before the request is whole.
        private sealed class Waiter
        {
            public Socket Socket;
            public uint Client;
            public bool Local;
            public long Since;
            public int Scanned;
            public int HeadEnd;
            public volatile bool Started; // bytes came (read by an eviction without the read loop's knowledge)
            public bool Ready;
            public bool Owner;
            public long ReadySince;
            public byte[] Buffer;
            public int Length;
            public bool Gone;
        }
    }
}
