using Pigeon.Config;

namespace Pigeon.Host.Service
{
    /// <summary>
    /// A view of a file store that refuses every change, so a check can load a data folder the
    /// way a start would (<see cref="ConfigStore.Load"/> finishes an interrupted save by
    /// renaming) without touching it.
    /// </summary>
    public sealed class ReadOnlyFileStore : IFileStore
    {
        private readonly IFileStore _inner;

        /// <summary>Reads through to <paramref name="inner"/>.</summary>
        public ReadOnlyFileStore(IFileStore inner)
        {
            _inner = inner;
        }

        /// <inheritdoc />
        public byte[] Read(string name)
        {
            return _inner.Read(name);
        }

        /// <inheritdoc />
        public bool Write(string name, byte[] buffer, int offset, int count)
        {
            return false;
        }

        /// <inheritdoc />
        public bool Rename(string from, string to)
        {
            return false;
        }

        /// <inheritdoc />
        public bool Delete(string name)
        {
            return false;
        }

        /// <inheritdoc />
        public bool Exists(string name)
        {
            return _inner.Exists(name);
        }
    }
}
