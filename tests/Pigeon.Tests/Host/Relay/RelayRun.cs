using System;
using System.Net.Sockets;
using Pigeon.Config;
using Pigeon.Host.Tls;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Relay
{
    /// <summary>
    /// One relay under test on 127.0.0.1: a route from a free port to an upstream listener of
    /// its own, the relay on the pump a test asks for, and both stopped when the test ends (a
    /// using declaration in place of a try/finally around the whole test). Change
    /// <see cref="Config"/> before <see cref="Start(string, IResolver, IClock)"/>.
    /// </summary>
    internal sealed class RelayRun : IDisposable
    {
        /// <summary>A relay whose one route <paramref name="route"/> makes from (listen port, upstream port); not started yet.</summary>
        public RelayRun(Func<int, int, RouteConfig> route, int maxSessions = 4, int bufferBytes = 16384, int backlog = 16)
        {
            Upstream = Loopback.Listen(backlog: backlog);
            Port = Loopback.FreePort();
            Config = LoopbackRig.Config(maxSessions, bufferBytes);
            Config.Routes = new[] { route(Port, Loopback.PortOf(Upstream)) };
        }

        /// <summary>The upstream the route leads to (nothing accepts until the test does).</summary>
        public TcpListener Upstream { get; }

        /// <summary>The route's port.</summary>
        public int Port { get; }

        /// <summary>The relay's config (one route to start with).</summary>
        public RelayConfig Config { get; }

        /// <summary>The route made at the start.</summary>
        public RouteConfig Route => Config.Routes[0];

        /// <summary>The running relay (null before <see cref="Start(string, IResolver, IClock)"/>).</summary>
        public RelayServer Relay { get; private set; }

        /// <summary>A relay with a plain (chat) route to the upstream.</summary>
        public static RelayRun Plain(int maxSessions = 4, int bufferBytes = 16384, int backlog = 16, bool proxy = false)
        {
            return new RelayRun((port, upstream) => LoopbackRig.Plain(port, upstream, proxy), maxSessions, bufferBytes, backlog);
        }

        /// <summary>Starts the relay on <paramref name="pump"/> ("events" or "threads").</summary>
        public RelayRun Start(string pump, IResolver resolver = null, IClock clock = null)
        {
            Relay = LoopbackRig.StartRelay(pump, Config, resolver, clock);
            return this;
        }

        /// <summary>Starts the relay; its terminateTls routes present what <paramref name="certificates"/> chooses.</summary>
        public RelayRun Start(string pump, CertificateStore certificates, IResolver resolver = null, IClock clock = null)
        {
            Relay = LoopbackRig.StartRelay(pump, Config, certificates, resolver, clock);
            return this;
        }

        /// <summary>Starts the relay; its terminateTls routes present <paramref name="identity"/>.</summary>
        public RelayRun Start(string pump, TlsIdentity identity, IClock clock = null)
        {
            return Start(pump, new CertificateStore(identity), null, clock);
        }

        /// <summary>A client of the route (reads and writes give up after 10 s).</summary>
        public Socket Connect()
        {
            return Loopback.Client(Port);
        }

        /// <summary>The relay's next connection to the upstream; with <paramref name="ioTimeoutMs"/>, its reads give up after that long.</summary>
        public Socket Accept(int ioTimeoutMs = 0)
        {
            Socket up = Upstream.AcceptSocket();
            up.ReceiveTimeout = ioTimeoutMs;
            return up;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Relay?.Stop();
            Upstream.Stop();
        }
    }
}
