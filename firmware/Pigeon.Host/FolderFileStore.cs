using System;
using System.IO;
using Pigeon.Config;

namespace Pigeon.Host
{
    /// <summary>
    /// <see cref="IFileStore"/> over a folder: writes are flushed to the disk (fsync) before they
    /// count, renames are POSIX rename(2) (atomic). The folder is created on first write. Every
    /// file it writes or renames is owner-only (<see cref="OwnerOnlyFile"/>).
    /// </summary>
    public sealed class FolderFileStore : IFileStore
    {
        private readonly string _folder;

        /// <summary>A store in <paramref name="folder"/>.</summary>
        public FolderFileStore(string folder)
        {
            _folder = string.IsNullOrEmpty(folder) ? "." : folder;
        }

        /// <summary>The folder.</summary>
        public string Folder
        {
            get { return _folder; }
        }

        /// <inheritdoc />
        public byte[] Read(string name)
        {
            try
            {
                string path = PathOf(name);
                var info = new FileInfo(path);
                if (!info.Exists)
                {
                    return null;
                }

                // A file far over the cap is not read whole: its first cap+1 bytes are enough for
                // the store to refuse it by size.
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
                {
                    long length = Math.Min(stream.Length, ConfigDefaults.MaxDocumentBytes + 1L);
                    byte[] bytes = new byte[length];
                    int read = 0;
                    while (read < length)
                    {
                        int n = stream.Read(bytes, read, (int)length - read);
                        if (n <= 0)
                        {
                            break;
                        }

                        read += n;
                    }

                    if (read < length)
                    {
                        Array.Resize(ref bytes, read);
                    }

                    return bytes;
                }
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <inheritdoc />
        public bool Write(string name, byte[] buffer, int offset, int count)
        {
            try
            {
                OwnerOnlyFile.CreateFolder(_folder);
                using (FileStream stream = OwnerOnlyFile.Create(PathOf(name))) // 0600: the config holds passwords
                {
                    stream.Write(buffer, offset, count);
                    stream.Flush(true); // fsync: the bytes are on the disk before the store switches to them
                }

                return true;
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
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
                OwnerOnlyFile.Restrict(PathOf(to)); // a copy from a version that wrote 0644 becomes 0600 too
                return true;
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
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
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }

        /// <inheritdoc />
        public bool Exists(string name)
        {
            return File.Exists(PathOf(name));
        }

        private string PathOf(string name)
        {
            return Path.Combine(_folder, name);
        }
    }
}
