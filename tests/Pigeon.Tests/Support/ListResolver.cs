// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Net;

namespace Pigeon.Tests.Support
{
    /// <summary>Resolves the names it was given (up to 8); every other name fails. Counts calls.</summary>
    public sealed class ListResolver : IResolver
    {
        private readonly string[] _names = new string[8];
        private readonly uint[] _addresses = new uint[8];
        private int _count;

        public int Calls { get; private set; }

        public ListResolver Add(string name, uint address)
        {
            _names[_count] = name;
            _addresses[_count] = address;
            _count++;
            return this;
        }

        public bool TryResolve(string host, out uint ipv4)
        {
            Calls++;
            for (int i = 0; i < _count; i++)
            {
                if (_names[i] == host)
                {
                    ipv4 = _addresses[i];
                    return true;
                }
            }

            ipv4 = 0;
            return false;
        }
    }
}
