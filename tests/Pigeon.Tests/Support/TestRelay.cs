// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Relay;

namespace Pigeon.Tests.Support
{
    /// <summary>A relay with no pump: the shared session logic driven by tests with a fake clock.</summary>
    public sealed class TestRelay : RelayServer
    {
        public TestRelay(RelayConfig config, IResolver resolver, IClock clock)
            : base(config, resolver, clock, new TestLog())
        {
            Web = new TestWebSite();
        }

        /// <summary>
        /// The relay settings the session tests start from: <paramref name="sessions"/> places, a
        /// fixed cap of <paramref name="perClient"/> an address (0: the fair share alone), eviction
        /// after <paramref name="evictSeconds"/> idle (0: only an address over its share gives way).
        /// </summary>
        public static RelayConfig Config(int sessions, int perClient, int evictSeconds)
        {
            RelayConfig config = ConfigDefaults.Relay(true);
            config.MaxSessions = sessions;
            config.MaxSessionsPerClient = perClient;
            config.EvictIdleSeconds = evictSeconds;
            return config;
        }

        /// <summary>A relay of <paramref name="config"/> with <paramref name="route"/> alone, every name resolving to 10.0.0.1.</summary>
        public static TestRelay OneRoute(RelayConfig config, RouteConfig route, FakeClock clock)
        {
            config.Routes = new RouteConfig[] { route };
            return new TestRelay(config, new FakeResolver("*", 0x0A000001), clock);
        }

        /// <summary>8 places, 2 an address: one chat route on 8222 behind the load balancer 10.9.9.9 (PROXY headers in and out).</summary>
        public static TestRelay BehindBalancer()
        {
            RouteConfig route = ConfigDefaults.ChatRoute(8222);
            route.AcceptProxy = true;
            route.AcceptProxyFrom = new string[] { "10.9.9.9" };
            return OneRoute(Config(8, 2, 0), route, new FakeClock());
        }

        public override int BufferBytesPerSession
        {
            get { return 0; }
        }

        /// <summary>A session of this relay for the route <paramref name="route"/>, admitted like a pump would.</summary>
        public TestSession Accept(int route, uint clientAddress)
        {
            return Accept(route, NetAddress.FromIPv4(clientAddress));
        }

        public TestSession Accept(int route, NetAddress client)
        {
            if (TryAdmit(GetRoute(route), client) != Verdict.Go)
            {
                return null;
            }

            TestSession session = new TestSession(this);
            session.Start(GetRoute(route), client, CountedKey(GetRoute(route), client));
            return session;
        }

        protected override int StartPump()
        {
            return 0;
        }

        protected override void StopPump()
        {
        }

        private sealed class TestLog : ILog
        {
            public void Info(string message)
            {
            }

            public void Warn(string message)
            {
            }
        }
    }
}
