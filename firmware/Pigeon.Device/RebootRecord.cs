using System;
using nanoFramework.Runtime.Native;
using Pigeon.Config;

namespace Pigeon.Device
{
    /// <summary>
    /// Keeps the reason for the last reboot across the reboot. nanoFramework does not expose the
    /// ESP32's hardware reset cause to managed code, so every reboot the firmware makes on purpose
    /// (factory reset, new config, watchdog) first writes its reason to I:\reboot.txt; a boot that
    /// finds no such file was a power cut, a brownout or a crash, and says so.
    /// </summary>
    public sealed class RebootRecord
    {
        /// <summary>The file on I:\.</summary>
        public const string FileName = "reboot.txt";

        /// <summary>Shown when no reason was recorded.</summary>
        public const string Unrecorded = "power-on, power cut, brownout or crash (no reason recorded)";

        private readonly IFileStore _files;

        /// <summary>A record kept in <paramref name="files"/>.</summary>
        public RebootRecord(IFileStore files)
        {
            _files = files;
            LastReason = Unrecorded;
        }

        /// <summary>Why the board restarted last time (read by <see cref="Load"/>).</summary>
        public string LastReason { get; private set; }

        /// <summary>Reads and clears the recorded reason, so the next unplanned reboot is seen as one.</summary>
        public void Load()
        {
            byte[] data = _files.Read(FileName);
            if (data != null && data.Length > 0 && data.Length <= 200)
            {
                char[] chars = new char[data.Length];
                for (int i = 0; i < data.Length; i++)
                {
                    byte b = data[i];
                    chars[i] = b >= 32 && b < 127 ? (char)b : '?';
                }

                LastReason = new string(chars);
            }

            _files.Delete(FileName);
        }

        /// <summary>Records <paramref name="reason"/> (ASCII) and reboots the board.</summary>
        public void Reboot(string reason)
        {
            if (reason.Length > 200)
            {
                reason = reason.Substring(0, 200);
            }

            byte[] data = new byte[reason.Length];
            for (int i = 0; i < reason.Length; i++)
            {
                char c = reason[i];
                data[i] = c >= ' ' && c < (char)127 ? (byte)c : (byte)'?';
            }

            _files.Write(FileName, data, 0, data.Length);
            Power.RebootDevice();
        }
    }
}
