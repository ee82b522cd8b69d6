namespace Pigeon.Config
{
    /// <summary>
    /// The few file operations the config store needs, over one folder (the board's LittleFS
    /// "I:\" partition, a host's data folder). Names are plain file names. Implementations should
    /// not throw; the store also catches anything that does.
    /// </summary>
    public interface IFileStore
    {
        /// <summary>The whole file, or null when it does not exist or cannot be read.</summary>
        byte[] Read(string name);

        /// <summary>
        /// Creates or replaces the file with exactly these bytes and returns only once they are on
        /// storage (flushed/fsynced). False on failure (the file may then be partly written).
        /// </summary>
        bool Write(string name, byte[] buffer, int offset, int count);

        /// <summary>Renames <paramref name="from"/> to <paramref name="to"/>, which must not exist; atomic on the file system (LittleFS, POSIX rename).</summary>
        bool Rename(string from, string to);

        /// <summary>Deletes the file; true when it is gone afterwards (also when it never existed).</summary>
        bool Delete(string name);

        /// <summary>True when the file exists.</summary>
        bool Exists(string name);
    }
}
