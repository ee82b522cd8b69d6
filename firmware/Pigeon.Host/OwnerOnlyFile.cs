using System;
using System.IO;

namespace Pigeon.Host
{
    /// <summary>
    /// Files in the data folder are readable and writable by their owner only (0600; the folder
    /// 0700 when Pigeon creates it), whatever the umask: config.json and its .bak and .new copies
    /// hold the Wi-Fi, access-point and dynamic-DNS passwords and the metrics token. The mode is
    /// set on the open handle (fchmod), which the umask does not touch. On Windows the folder's
    /// inherited ACL applies (there is no umask there).
    /// </summary>
    public static class OwnerOnlyFile
    {
        /// <summary>rw------- .</summary>
        public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        /// <summary>rwx------ .</summary>
        public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

        /// <summary>Creates or truncates <paramref name="path"/> for writing, owner-only.</summary>
        public static FileStream Create(string path)
        {
            if (OperatingSystem.IsWindows())
            {
                return new FileStream(path, System.IO.FileMode.Create, FileAccess.Write, FileShare.None);
            }

            FileStream stream = new FileStream(path, new FileStreamOptions
            {
                Mode = System.IO.FileMode.Create,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = FileMode, // a new file starts owner-only (minus umask bits)...
            });
            try
            {
                File.SetUnixFileMode(stream.SafeFileHandle, FileMode); // ...and an existing one, or one the umask trimmed, becomes exactly 0600
            }
            catch
            {
                stream.Dispose();
                throw;
            }

            return stream;
        }

        /// <summary>
        /// Makes an existing file owner-only (a copy renamed from an older version's file). Best
        /// effort: false when the mode cannot be changed (a file someone else owns), never throws.
        /// </summary>
        public static bool Restrict(string path)
        {
            if (OperatingSystem.IsWindows())
            {
                return true;
            }

            try
            {
                File.SetUnixFileMode(path, FileMode);
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

        /// <summary>Creates <paramref name="folder"/> (and its parents) if missing; a new folder is owner-only.</summary>
        public static void CreateFolder(string folder)
        {
            if (OperatingSystem.IsWindows() || Directory.Exists(folder))
            {
                Directory.CreateDirectory(folder);
                return;
            }

            Directory.CreateDirectory(folder, FolderMode);
        }

        /// <summary>
        /// Replaces <paramref name="path"/> with <paramref name="bytes"/> in one rename, so a
        /// reader sees the old file or the new one, never a part (for files that need no fsync).
        /// </summary>
        public static void WriteAtomically(string path, byte[] bytes)
        {
            string temporary = path + ".tmp";
            using (FileStream stream = Create(temporary))
            {
                stream.Write(bytes, 0, bytes.Length);
            }

            File.Move(temporary, path, true);
        }
    }
}
