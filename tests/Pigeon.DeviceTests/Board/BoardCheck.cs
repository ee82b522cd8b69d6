using System;
using nanoFramework.Runtime.Native;

namespace Pigeon.DeviceTests.Board
{
    /// <summary>Tells board-only tests whether they run on an ESP32 (not the nanoCLR emulator).</summary>
    public static class BoardCheck
    {
        /// <summary>True on a real ESP32 board (SystemInfo.Platform is "ESP32" there, "WINDOWS" or "POSIX" in the emulator).</summary>
        public static bool OnEsp32
        {
            get
            {
                try
                {
                    string platform = SystemInfo.Platform;
                    return platform != null && platform.StartsWith("ESP32");
                }
                catch (Exception)
                {
                    return false;
                }
            }
        }
    }
}
