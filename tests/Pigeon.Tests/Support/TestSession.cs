// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Relay;
using Pigeon.Routing;

namespace Pigeon.Tests.Support
{
    /// <summary>A session with no sockets: records what the shared logic closes, and when.</summary>
    public sealed class TestSession : RelaySession
    {
        public TestSession(RelayServer relay)
            : base(relay)
        {
        }

        public int ClientCloses { get; private set; }

        public int UpstreamCloses { get; private set; }

        public void Start(Route route, uint clientAddress, uint counted)
        {
            Begin(route, clientAddress, 40000, 0x7F000001, route.ListenPort, counted);
        }

        /// <summary>Both pumps stopped: the session ends and gives its place back.</summary>
        public void Finish()
        {
            End();
        }

        /// <summary>Admission to relaying as a pump would: dial the first target, then start.</summary>
        public bool StartRelay()
        {
            int target = NextTarget();
            if (target == TargetLookup)
            {
                LookupTarget();
            }

            return target != TargetNone && Connected() && StartRelaying(0);
        }

        protected override void CloseClientIO()
        {
            ClientCloses++;
        }

        protected override void CloseUpstreamIO()
        {
            UpstreamCloses++;
        }
    }
}
