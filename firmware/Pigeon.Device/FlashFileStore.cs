using System;
using System.IO;
using Pigeon.Config;

namespace Pigeon.Device
{
    /// <summary>
    /// Files on the board's internal flash drive I:\ (nanoFramework System.IO.FileSystem over
    /// the LittleFS 'config' partition: 256 KB on a 4 MB ESP32). Plain file names only; nothing
    /// throws (IFileStore's contract): every failure is false or null.
    /// </summary>
    /// <remarks>
    /// Torn writes: LittleFS is copy-on-write, so a file being written when power fails keeps its
    /// old contents or its new ones once the handle is flushed and closed; the config store still
    /// writes a new copy beside the old one and renames (File.Move maps to LittleFS's atomic
    /// rename, and refuses an existing target). The board test FlashFileStoreBoardTests checks it.
    /// </remarks>
    public sealed class FlashFileStore : IFileStore
    {
        /// <summary>The internal flash drive on ESP32 targets.</summary>
        public const string InternalDrive = "I:\\";

        /// <summary>Largest file read whole: config files are under 8 KB; 64 KB guards the heap.</summary>
        public const int MaxReadBytes = 65536;

        private readonly string _root;

        /// <summary>A store over <paramref name="root"/> (a drive or folder ending in a backslash).</summary>
        public FlashFileStore(string root)
        {
            _root = root;
        }

        /// <summary>True when the drive is mounted (a board with an erased config partition formats it on first boot).</summary>
        public bool Available
        {
            get
            {
                try
                {
                    return Directory.Exists(_root);
                }
                catch (Exception)
                {
                    return false;
                }
            }
        }

        /// <inheritdoc />
        public byte[] Read(string name)
        {
            if (!ValidName(name))
            {
                return null;
            }

            try
            {
                string path = _root + name;
                if (!File.Exists(path))
                {
                    return null;
                }

                using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read))
                {
                    long length = stream.Length;
                    if (length > MaxReadBytes)
                    {
                        return null;
                    }

                    byte[] data = new byte[(int)length];
                    int read = 0;
                    while (read < data.Length)
                    {
                        int n = stream.Read(data, read, data.Length - read);
                        if (n <= 0)
                        {
                            return null;
                        }

                        read += n;
                    }

                    return data;
                }
            }
            catch (Exception)
            {
                return null;
            }
        }

        /// <inheritdoc />
        public bool Write(string name, byte[] buffer, int offset, int count)
        {
            if (!ValidName(name) || buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                return false;
            }

            try
            {
                using (FileStream stream = new FileStream(_root + name, FileMode.Create, FileAccess.Write))
                {
                    stream.Write(buffer, offset, count);
                    stream.Flush();
                }

                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        /// <inheritdoc />
        public bool Rename(string from, string to)
        {
            if (!ValidName(from) || !ValidName(to))
            {
                return false;
            }

            try
            {
                File.Move(_root + from, _root + to);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        /// <inheritdoc />
        public bool Delete(string name)
        {
            if (!ValidName(name))
            {
                return false;
            }

            try
            {
                string path = _root + name;
                if (File.Exists(path))
                {
                    File.Delete(path);
                }

                return !File.Exists(path);
            }
            catch (Exception)
            {
                return false;
            }
        }

        /// <inheritdoc />
        public bool Exists(string name)
        {
            if (!ValidName(name))
            {
                return false;
            }

            try
            {
                return File.Exists(_root + name);
            }
            catch (Exception)
            {
                return false;
            }
        }

        /// <summary>Plain names only: no drive, no folder, no "..": the store cannot leave its root.</summary>
        private static bool ValidName(string name)
        {
            if (name == null || name.Length == 0 || name.Length > 64)
            {
                return false;
            }

            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
                if (!ok)
                {
                    return false;
                }
            }

            return name[0] != '.';
        }
    }
}
