using System;
using System.Threading;
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Routing;

namespace Pigeon.Relay
{
    /// <summary>
    /// The relay: a fixed set of session slots, a listener per route, and a reaper thread that
    /// enforces every timeout. Everything is allocated in the constructor; the data path
    /// (<see cref="Session"/>) then only moves bytes between preallocated buffers.
    /// </summary>
    public sealed class RelayServer
    {
        /// <summary>
        /// How often the reaper looks at the slots: the timeouts' resolution. 100 ms costs nothing
        /// measurable on the host; on the board it is 5 slot checks per wake-up.
        /// </summary>
        public const int ReaperIntervalMs = 100;

        private readonly Session[] _slots;
        private readonly RouteListener[] _listeners;
        private readonly Route[] _routes;
        private readonly IClock _clock;
        private readonly long _epoch;
        private readonly object _lock = new object();
        private Thread _reaper;
        private bool _stopping; // read across blocking calls, never in a tight loop (no volatile on nanoFramework)
        private int _nextSlot;

        /// <summary>
        /// Builds the relay from its config. Throws <see cref="ArgumentException"/> naming the
        /// route and field when a route cannot run (bad config is a bug of the caller's validation).
        /// </summary>
        public RelayServer(RelayConfig config, ITransport transport, IResolver resolver, IClock clock, ILog log)
        {
            if (config == null || transport == null || resolver == null || clock == null || log == null)
            {
                throw new ArgumentNullException();
            }

            Log = log;
            _clock = clock;
            _epoch = clock.NowMilliseconds;
            MaxSessions = config.MaxSessions < 1 ? 1 : config.MaxSessions;
            HelloTimeoutMs = Seconds(config.HelloTimeoutSeconds);
            ConnectTimeoutMs = Seconds(config.ConnectTimeoutSeconds);
            IdleTimeoutMs = Seconds(config.IdleTimeoutSeconds);
            DrainMs = config.DrainMilliseconds < 0 ? 0 : config.DrainMilliseconds;
            Dns = new DnsCache(resolver, clock, config.DnsCacheSeconds, 8);

            RouteConfig[] routeConfigs = config.Routes ?? new RouteConfig[0];
            _routes = new Route[routeConfigs.Length];
            _listeners = new RouteListener[routeConfigs.Length];
            bool anySni = false;
            for (int i = 0; i < routeConfigs.Length; i++)
            {
                string error;
                _routes[i] = Route.Build(routeConfigs[i], i, out error);
                if (_routes[i] == null)
                {
                    throw new ArgumentException("relay.routes[" + i.ToString() + "]." + error);
                }

                anySni = anySni || _routes[i].InspectsSni;
                _listeners[i] = new RouteListener(this, _routes[i], transport);
            }

            // The inbound buffer holds the whole ClientHello on SNI routes; the outbound one also
            // holds the PROXY line before the pump starts.
            int buffer = config.BufferBytes < ProxyHeader.MaxLength ? ProxyHeader.MaxLength : config.BufferBytes;
            int hello = config.MaxHelloBytes < 64 ? 64 : config.MaxHelloBytes;
            int inbound = anySni && hello > buffer ? hello : buffer;
            _slots = new Session[MaxSessions];
            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i] = new Session(this, inbound, buffer, hello, transport.CreateConnection(), transport.CreateConnection());
            }

            BufferBytesPerSession = inbound + buffer;
        }

        /// <summary>Where the relay reports listener events.</summary>
        public ILog Log { get; private set; }

        /// <summary>The upstream name cache.</summary>
        public DnsCache Dns { get; private set; }

        /// <summary>Upstream health checks the sessions consult to try a healthy fallback first; null = none.</summary>
        public UpstreamHealth Health { get; set; }

        /// <summary>Session slots.</summary>
        public int MaxSessions { get; private set; }

        /// <summary>Buffer bytes each slot holds (both directions), for the memory budget.</summary>
        public int BufferBytesPerSession { get; private set; }

        /// <summary>Hello timeout in milliseconds.</summary>
        public int HelloTimeoutMs { get; private set; }

        /// <summary>Upstream connect timeout in milliseconds (per attempt).</summary>
        public int ConnectTimeoutMs { get; private set; }

        /// <summary>Idle timeout in milliseconds.</summary>
        public int IdleTimeoutMs { get; private set; }

        /// <summary>Half-close drain in milliseconds.</summary>
        public int DrainMs { get; private set; }

        /// <summary>True once <see cref="Stop"/> was called.</summary>
        public bool Stopping
        {
            get { return _stopping; }
        }

        /// <summary>True between <see cref="Start"/> and <see cref="Stop"/>.</summary>
        public bool Running { get; private set; }

        /// <summary>Milliseconds since the relay was built, as a wrapping int (compare by subtraction).</summary>
        public int Now
        {
            get { return unchecked((int)(_clock.NowMilliseconds - _epoch)); }
        }

        /// <summary>Seconds since the relay was built.</summary>
        public long UptimeSeconds
        {
            get { return (_clock.NowMilliseconds - _epoch) / 1000; }
        }

        /// <summary>How many routes the relay has.</summary>
        public int RouteCount
        {
            get { return _routes.Length; }
        }

        /// <summary>Route <paramref name="index"/>.</summary>
        public Route GetRoute(int index)
        {
            return _routes[index];
        }

        /// <summary>The listener of route <paramref name="index"/> (its state and error).</summary>
        public RouteListener GetListener(int index)
        {
            return _listeners[index];
        }

        /// <summary>
        /// Opens every route's port and starts the threads. A port that cannot be opened is
        /// skipped (its listener's Error says why) and the others run. Returns how many opened.
        /// </summary>
        public int Start()
        {
            if (Running)
            {
                throw new InvalidOperationException("the relay is already running");
            }

            int opened = 0;
            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i].StartThreads();
            }

            for (int i = 0; i < _listeners.Length; i++)
            {
                if (_listeners[i].Open())
                {
                    opened++;
                    _listeners[i].Start();
                }
                else
                {
                    Log.Warn("route " + _routes[i].Name + ": port " + _routes[i].ListenPort.ToString() + " skipped: " + _listeners[i].Error);
                }
            }

            _reaper = new Thread(ReapLoop);
            _reaper.Start();
            Running = true;
            return opened;
        }

        /// <summary>Closes every port and session and waits for the threads to end.</summary>
        public void Stop()
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            for (int i = 0; i < _listeners.Length; i++)
            {
                _listeners[i].Close();
            }

            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i].Abort();
            }

            for (int i = 0; i < _listeners.Length; i++)
            {
                _listeners[i].Join(2000);
            }

            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i].Join(2000);
            }

            if (_reaper != null)
            {
                _reaper.Join(2000);
            }

            Running = false;
        }

        /// <summary>
        /// Counters of one route at this moment, including the bytes of its live sessions.
        /// Allocates (one object): for the status page, not the data path.
        /// </summary>
        public RouteCounters SnapshotRoute(int index)
        {
            RouteCounters copy = new RouteCounters();
            _routes[index].Counters.AddTo(copy);
            AddLiveBytes(_routes[index], copy);
            return copy;
        }

        /// <summary>All routes' counters summed, live bytes included.</summary>
        public RouteCounters SnapshotTotal()
        {
            RouteCounters total = new RouteCounters();
            for (int i = 0; i < _routes.Length; i++)
            {
                _routes[i].Counters.AddTo(total);
            }

            AddLiveBytes(null, total);
            return total;
        }

        /// <summary>Sessions in use now.</summary>
        public int ActiveSessions
        {
            get
            {
                int active = 0;
                for (int i = 0; i < _slots.Length; i++)
                {
                    if (_slots[i].Phase != SessionPhase.Free)
                    {
                        active++;
                    }
                }

                return active;
            }
        }

        internal Session TryReserve()
        {
            lock (_lock)
            {
                // Round robin from the last slot given, so slots wear evenly and a scan finds a
                // free one quickly under load.
                for (int n = 0; n < _slots.Length; n++)
                {
                    int i = (_nextSlot + n) % _slots.Length;
                    if (_slots[i].TryReserve())
                    {
                        _nextSlot = (i + 1) % _slots.Length;
                        return _slots[i];
                    }
                }

                return null;
            }
        }

        private void AddLiveBytes(Route route, RouteCounters target)
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                Session slot = _slots[i];
                int phase = slot.Phase;
                Route current = slot.Route;
                if ((phase == SessionPhase.Relaying || phase == SessionPhase.Draining) && current != null && (route == null || current == route))
                {
                    target.AddBytes(slot.BytesToUpstream, slot.BytesToClient);
                }
            }
        }

        private void ReapLoop()
        {
            while (!_stopping)
            {
                Thread.Sleep(ReaperIntervalMs);
                int now = Now;
                for (int i = 0; i < _slots.Length; i++)
                {
                    _slots[i].Reap(now);
                }
            }
        }

        private static int Seconds(int seconds)
        {
            if (seconds < 1)
            {
                seconds = 1;
            }

            return seconds > 2000000 ? 2000000000 : seconds * 1000;
        }
    }
}
