using System.Threading;
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Routing;
using Pigeon.Budget;
using Pigeon.Relay;

namespace Pigeon.Pumps.Threaded
{
    /// <summary>
    /// The blocking pump: a fixed set of <see cref="ThreadedSession"/> slots, made at start, and
    /// one accept thread per route. The board's relay (nanoFramework has no Select or async
    /// sockets), and on the host the reference the event-driven pump is compared with. Its TLS
    /// server (terminateTls routes, the host's --pump threads) is in ThreadedRelay.Host.cs.
    /// </summary>
    public sealed partial class ThreadedRelay : RelayServer
    {
        /// <summary>
        /// The board's listen backlog: lwIP keeps a handful of pending connections per listener
        /// and every one holds one of the 16 sockets.
        /// </summary>
        public const int BoardBacklog = 8;

        private readonly ThreadedSession[] _slots;
        private readonly ITransport _transport;
        private readonly IListener[] _ports;
        private readonly IConnection[] _spares;
        private readonly Thread[] _acceptThreads;
        private readonly object _slotLock = new object();
        private int _nextSlot;

        /// <summary>Builds the relay and every slot from its config (see <see cref="RelayServer"/>).</summary>
        public ThreadedRelay(RelayConfig config, ITransport transport, IResolver resolver, IClock clock, ILog log)
            : base(config, resolver, clock, log)
        {
            _transport = transport;
            Backlog = BoardBacklog;
            // The budget's own figure (SessionBudget.BufferBytesPerSession): what it counts is what is made.
            int buffer = SessionBudget.BufferBytesPerSession(BufferBytes, NeedsHelloBuffer ? MaxHelloBytes : 0);
            _slots = new ThreadedSession[MaxSessions];
            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i] = new ThreadedSession(this, buffer, transport.CreateConnection(), transport.CreateConnection());
            }

            _ports = new IListener[RouteCount];
            _spares = new IConnection[RouteCount];
            _acceptThreads = new Thread[RouteCount];
            for (int i = 0; i < RouteCount; i++)
            {
                _spares[i] = transport.CreateConnection();
            }
        }

        /// <summary>Pending connections each listener may queue (<see cref="BoardBacklog"/> unless set before Start).</summary>
        public int Backlog { get; set; }

        /// <inheritdoc />
        public override int BufferBytesPerSession
        {
            get { return _slots.Length == 0 ? 0 : _slots[0].BufferLength; }
        }

        /// <inheritdoc />
        protected override int StartPump()
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i].StartThreads();
            }

            int opened = 0;
            for (int i = 0; i < RouteCount; i++)
            {
                if (Open(i, false))
                {
                    opened++;
                }

                int index = i;
                _acceptThreads[i] = new Thread(() => AcceptLoop(index));
                _acceptThreads[i].Start();
            }

            return opened;
        }

        /// <inheritdoc />
        protected override void StopPump()
        {
            for (int i = 0; i < _ports.Length; i++)
            {
                IListener port = _ports[i];
                if (port != null)
                {
                    port.Close();
                }
            }

            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i].Abort();
                _slots[i].Wake();
            }

            for (int i = 0; i < _acceptThreads.Length; i++)
            {
                if (_acceptThreads[i] != null)
                {
                    _acceptThreads[i].Join(2000);
                }
            }

            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i].Join(2000);
            }
        }

        // True when a TLS server was given (ThreadedRelay.Host.cs); without that file (the board)
        // the call is dropped and no route terminates TLS.
        partial void HasTls(ref bool tls);

        private bool Open(int index, bool again)
        {
            Route route = GetRoute(index);
            bool tls = false;
            HasTls(ref tls);
            if (route.TerminateTls && !tls)
            {
                GetListener(index).Never("this platform cannot terminate TLS (terminateTls)");
                return false;
            }

            string error;
            if (!route.ListenAddress.IsIPv4)
            {
                GetListener(index).Never("the blocking pump listens on IPv4 only (listenAddress " + route.ListenAddress.ToString() + ")");
                return false;
            }

            _ports[index] = _transport.Listen(route.ListenAddress.IPv4, route.ListenPort, Backlog, out error);
            if (_ports[index] == null)
            {
                GetListener(index).Failed(error);
                return false;
            }

            ListenerOpened(index, again);
            return true;
        }

        // The accept loop both pumps share (RelayServer.NextAcceptStep), with blocking calls.
        private void AcceptLoop(int index)
        {
            Route route = GetRoute(index);
            while (true)
            {
                int wait;
                AcceptStep step = NextAcceptStep(index, out wait);
                if (step == AcceptStep.Stop)
                {
                    return;
                }

                if (step == AcceptStep.Reopen)
                {
                    Thread.Sleep(wait);
                    if (!Stopping)
                    {
                        Open(index, true);
                    }

                    continue;
                }

                IListener port = _ports[index];
                IConnection spare = _spares[index];
                if (!port.Accept(spare))
                {
                    if (!Stopping)
                    {
                        ListenerBroke(index, null);
                        port.Close();
                        _ports[index] = null;
                    }

                    continue;
                }

                Admit(index, route, spare);
            }
        }

        private void Admit(int index, Route route, IConnection spare)
        {
            NetAddress address = NetAddress.FromIPv4(spare.RemoteAddress);
            Verdict verdict = TryAdmit(route, address);
            if (verdict == Verdict.NeedMore)
            {
                int since = Now;
                do
                {
                    Thread.Sleep(EvictionPollMs); // an evicted session closes within milliseconds
                    verdict = TryReserveAfterEviction(route, address, since);
                }
                while (verdict == Verdict.NeedMore);
            }

            if (verdict != Verdict.Go)
            {
                spare.Close(); // refused and counted by TryAdmit
                return;
            }

            ulong counted = CountedKey(route, address);
            ThreadedSession slot = ClaimSlot();
            if (slot == null)
            {
                Unreserve(counted); // cannot happen while reservations match slots; never strand a place
                route.Counters.OnRefused(RefusalReason.Full);
                spare.Close();
                return;
            }

            _spares[index] = slot.Start(route, spare, counted);
        }

        private ThreadedSession ClaimSlot()
        {
            lock (_slotLock)
            {
                // Round robin from the last slot given, so slots wear evenly and a scan finds a
                // free one quickly under load.
                for (int n = 0; n < _slots.Length; n++)
                {
                    int i = (_nextSlot + n) % _slots.Length;
                    if (_slots[i].TryClaim())
                    {
                        _nextSlot = (i + 1) % _slots.Length;
                        return _slots[i];
                    }
                }

                return null;
            }
        }
    }
}
