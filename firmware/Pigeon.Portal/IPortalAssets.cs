namespace Pigeon.Portal
{
    /// <summary>The page's static files (firmware/portal), embedded by each host.</summary>
    public interface IPortalAssets
    {
        /// <summary>
        /// Finds the file for <paramref name="path"/> ("/" is the page). When
        /// <paramref name="gzip"/> is true and a compressed copy exists, returns that and sets
        /// <paramref name="isGzip"/>. False when there is no such file.
        /// </summary>
        bool TryGet(string path, bool gzip, out byte[] body, out string contentType, out bool isGzip);
    }
}
