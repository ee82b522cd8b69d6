using System;
using Pigeon.Net;

namespace Pigeon.Device
{
    /// <summary>
    /// The board's log: each line to the serial console (Console.WriteLine reaches the USB serial
    /// port and Visual Studio's output window), with the seconds since boot. Lines never carry
    /// client addresses or secrets (ILog's contract).
    /// </summary>
    public sealed class DeviceLog : ILog
    {
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

        private static void Write(string level, string message)
        {
            Console.WriteLine((Environment.TickCount64 / 1000).ToString() + "s " + level + message);
        }
    }
}
