using System;
using Pigeon.Net;

namespace Pigeon.Device
{
    /// <summary>
    /// The board's log: each line to the serial console (Console.WriteLine reaches the USB serial
    /// port and Visual Studio's output window) and into a small ring the status page can show.
    /// Lines never carry client addresses or secrets (ILog's contract).
    /// </summary>
    public sealed class DeviceLog : ILog
    {
        /// <summary>Lines kept for the status page: 16 x ~80 bytes, about 2 KB of heap.</summary>
        public const int RingSize = 16;

        private readonly string[] _ring = new string[RingSize];
        private readonly object _lock = new object();
        private int _next;

        /// <inheritdoc />
        public void Info(string message)
        {
            Write("info ", message);
        }

        /// <inheritdoc />
        public void Warn(string message)
        {
            Write("WARN ", message);
        }

        /// <summary>The kept lines, oldest first.</summary>
        public string[] Recent()
        {
            lock (_lock)
            {
                int count = 0;
                for (int i = 0; i < RingSize; i++)
                {
                    if (_ring[i] != null)
                    {
                        count++;
                    }
                }

                string[] lines = new string[count];
                int n = 0;
                for (int i = 0; i < RingSize; i++)
                {
                    string line = _ring[(_next + i) % RingSize];
                    if (line != null)
                    {
                        lines[n++] = line;
                    }
                }

                return lines;
            }
        }

        private void Write(string level, string message)
        {
            string line = (Environment.TickCount64 / 1000).ToString() + "s " + level + message;
            Console.WriteLine(line);
            lock (_lock)
            {
                _ring[_next] = line;
                _next = (_next + 1) % RingSize;
            }
        }
    }
}
