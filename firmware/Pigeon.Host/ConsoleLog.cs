using System;
using Pigeon.Net;

namespace Pigeon.Host
{
    /// <summary>Log lines on standard output / error with a UTC time stamp.</summary>
    public sealed class ConsoleLog : ILog
    {
        /// <inheritdoc />
        public void Info(string message)
        {
            Console.Out.WriteLine(DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ") + " " + message);
        }

        /// <inheritdoc />
        public void Warn(string message)
        {
            Console.Error.WriteLine(DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ") + " warning: " + message);
        }
    }
}
