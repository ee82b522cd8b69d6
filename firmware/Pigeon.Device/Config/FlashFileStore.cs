using System;
using System.IO;
using Pigeon.Config;

namespace Pigeon.Device.Config
{
    /// <summary>
    /// <see cref="IFileStore"/> on the board's internal flash file system (LittleFS on the ESP32's
    /// "config" partition, drive I:\). LittleFS is copy-on-write: a rename or a closed file is
    /// either fully there or not after a power cut, which is what the store's write-beside-then-
    /// switch layout relies on. nanoFramework's File.Move refuses an existing destination, as
    /// <see cref="IFileStore.Rename"/> expects.
    /// </summary>
    public sealed class FlashFileStore : IFileStore
    {
        /// <summary>The internal flash drive.</summary>
        public const string InternalDrive = "I:\\";

        private readonly string _folder;

        /// <summary>A store in <paramref name="folder"/> (e.g. <see cref="InternalDrive"/>).</summary>
        public FlashFileStore(string folder)
        {
            _folder = folder;
        }

        /// <inheritdoc />
        public byte[] Read(string name)
        {
            try
            {
                string path = PathOf(name);
                if (!File.Exists(path))
                {
                    return null;
                }

                using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read))
                {
                    // Never more than the cap + 1: the store refuses a larger file by its size.
                    long length = stream.Length;
                    int count = length > ConfigDefaults.MaxDocumentBytes ? ConfigDefaults.MaxDocumentBytes + 1 : (int)length;
                    byte[] bytes = new byte[count];
                    int read = 0;
                    while (read < count)
                    {
                        int n = stream.Read(bytes, read, count - read);
                        if (n <= 0)
                        {
                            return null;
                        }

                        read += n;
                    }

                    return bytes;
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
            try
            {
                using (FileStream stream = new FileStream(PathOf(name), FileMode.Create, FileAccess.Write))
                {
                    stream.Write(buffer, offset, count);
                    stream.Flush(); // LittleFS commits the file on flush/close
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
            try
            {
                if (File.Exists(PathOf(to)))
                {
                    return false;
                }

                File.Move(PathOf(from), PathOf(to));
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
            try
            {
                File.Delete(PathOf(name));
                return !File.Exists(PathOf(name));
            }
            catch (Exception)
            {
                return false;
            }
        }

        /// <inheritdoc />
        public bool Exists(string name)
        {
            try
            {
                return File.Exists(PathOf(name));
            }
            catch (Exception)
            {
                return false;
            }
        }

        private string PathOf(string name)
        {
            return _folder.EndsWith("\\") ? _folder + name : _folder + "\\" + name;
        }
    }
}
