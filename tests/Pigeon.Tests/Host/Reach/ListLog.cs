using System.Collections.Generic;
using Pigeon.Net;

namespace Pigeon.Tests.Host.Reach
{
    /// <summary>Collects log lines.</summary>
    public sealed class ListLog : ILog
    {
        private readonly object _lock = new object();
        private readonly List<string> _lines = new List<string>();

        public List<string> Lines
        {
            get
            {
                lock (_lock)
                {
                    return new List<string>(_lines);
                }
            }
        }

        public void Info(string message)
        {
            lock (_lock)
            {
                _lines.Add("info: " + message);
            }
        }

        public void Warn(string message)
        {
            lock (_lock)
            {
                _lines.Add("warn: " + message);
            }
        }
    }
}
