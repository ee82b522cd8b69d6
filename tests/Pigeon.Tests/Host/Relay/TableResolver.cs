using System;
using System.Collections.Generic;
using System.Threading;
using Pigeon.Net;

namespace Pigeon.Tests.Host.Relay
{
    /// <summary>Resolves names from a table; everything else fails.</summary>
    internal sealed class TableResolver : IResolver
    {
        private readonly Dictionary<string, uint> _table = new Dictionary<string, uint>(StringComparer.OrdinalIgnoreCase);
        public int Calls;

        public TableResolver Add(string name, uint address)
        {
            _table[name] = address;
            return this;
        }

        public bool TryResolve(string host, out uint ipv4)
        {
            Interlocked.Increment(ref Calls);
            return _table.TryGetValue(host, out ipv4);
        }
    }
}
