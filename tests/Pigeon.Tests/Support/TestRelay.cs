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
