using Pigeon.Portal;

namespace Pigeon.Device
{
    /// <summary>
    /// The setup page's files, read from I:\ where flash.ps1 puts them ("www-index.html.gz",
    /// "www-app.js.gz", ...; gzip made on the volunteer's computer, because the board cannot
    /// compress). Read per request, never held: the page is ~25 KB compressed and the heap ~100 KB.
    /// Without gzip only files of at most <see cref="MaxRawBytes"/> are served (qrcode.js is 56 KB raw).
    /// </summary>
    public sealed class FlashPortalAssets : IPortalAssets
    {
        /// <summary>File name prefix on I:\.</summary>
        public const string Prefix = "www-";

        /// <summary>Largest uncompressed file served to a client that does not accept gzip.</summary>
        public const int MaxRawBytes = 20 * 1024;

        private readonly FlashFileStore _files;

        /// <summary>Assets on <paramref name="files"/>.</summary>
        public FlashPortalAssets(FlashFileStore files)
        {
            _files = files;
        }

        /// <summary>True when the page was deployed (checked at start, logged when missing).</summary>
        public bool Present
        {
            get { return _files.Exists(Prefix + "index.html.gz") || _files.Exists(Prefix + "index.html"); }
        }

        /// <inheritdoc />
        public bool TryGet(string path, bool gzip, out byte[] body, out string contentType, out bool isGzip)
        {
            body = null;
            isGzip = false;
            string name;
            if (path == "/" || path == "/index.html")
            {
                name = "index.html";
                contentType = "text/html; charset=utf-8";
            }
            else if (path == "/app.css")
            {
                name = "app.css";
                contentType = "text/css; charset=utf-8";
            }
            else if (path == "/app.js" || path == "/qrcode.js")
            {
                name = path.Substring(1);
                contentType = "text/javascript; charset=utf-8";
            }
            else
            {
                contentType = null;
                return false;
            }

            if (gzip)
            {
                body = _files.Read(Prefix + name + ".gz");
                if (body != null)
                {
                    isGzip = true;
                    return true;
                }
            }

            body = _files.Read(Prefix + name);
            if (body != null && body.Length <= MaxRawBytes)
            {
                return true;
            }

            body = null;
            return false;
        }
    }
}
