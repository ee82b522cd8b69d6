using System;
using Pigeon.Net;

namespace Pigeon.Host
{
    /// <summary>
    /// Log lines on standard output / error: with a UTC time stamp in a terminal; for systemd's
    /// journal (which stamps each line itself), with the syslog priority prefix sd-daemon(3)
    /// reads instead ("&lt;6&gt;" information, "&lt;4&gt;" warning), so `journalctl -p warning`
    /// finds the warnings.
    /// </summary>
    public sealed class ConsoleLog : ILog
    {
        private readonly bool _journal;

        /// <summary>Time-stamped lines for a terminal.</summary>
        public ConsoleLog()
            : this(false)
        {
        }

        /// <summary>Journal lines (priority prefix, no time stamp) when <paramref name="journal"/>.</summary>
        public ConsoleLog(bool journal)
        {
            _journal = journal;
        }

        /// <inheritdoc />
        public void Info(string message)
        {
            Console.Out.WriteLine(_journal ? "<6>" + message : Stamp() + " " + message);
        }

        /// <inheritdoc />
        public void Warn(string message)
        {
            Console.Error.WriteLine(_journal ? "<4>warning: " + message : Stamp() + " warning: " + message);
        }

        private static string Stamp()
        {
            return DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        }
    }
}
