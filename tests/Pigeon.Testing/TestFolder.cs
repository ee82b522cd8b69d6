using System;
using System.IO;

namespace Pigeon.Testing
{
    /// <summary>Folders of a test's own under the temp directory.</summary>
    public static class TestFolder
    {
        /// <summary>A new empty folder named <paramref name="prefix"/> and a fresh id (deleted by the caller, see <see cref="Delete"/>).</summary>
        public static string Create(string prefix = "pigeon-test")
        {
            string path = Path.Combine(Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(path);
            return path;
        }

        /// <summary>Deletes <paramref name="path"/> and what it holds; one still in use is left for the OS to clean.</summary>
        public static void Delete(string path)
        {
            try
            {
                Directory.Delete(path, true);
            }
            catch (IOException)
            {
                // a file still open (a process that has not quite ended): left for the OS
            }
            catch (UnauthorizedAccessException)
            {
                // an owner-only file of a test that changed modes: left for the OS
            }
        }
    }
}
