// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Net;

namespace Pigeon.Tests.Support
{
    /// <summary>Answers one name (or every name for "*") with a fixed address and counts calls.</summary>
    public sealed class FakeResolver : IResolver
    {
        private readonly string _name;
        private readonly uint _address;

        /// <summary>Resolves <paramref name="name"/> to <paramref name="address"/>.</summary>
        public FakeResolver(string name, uint address)
        {
            _name = name;
            _address = address;
        }

        /// <summary>How many lookups were asked.</summary>
        public int Calls { get; private set; }

        /// <inheritdoc />
        public bool TryResolve(string host, out uint ipv4)
        {
            Calls++;
            ipv4 = (_name == "*" || host == _name) ? _address : 0;
            return ipv4 != 0;
        }
    }
}
