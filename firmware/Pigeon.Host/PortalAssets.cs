using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using Pigeon.Portal;

namespace Pigeon.Host
{
    /// <summary>
    /// The page's files (firmware/portal), embedded in this assembly at build time together with
    /// gzip copies made by the build (Pigeon.Host.csproj, target PortalGzip): the board cannot
    /// compress, so both hosts ship the .gz made here.
    /// </summary>
    public sealed class PortalAssets : IPortalAssets
    {
        private readonly Dictionary<string, byte[]> _files = new Dictionary<string, byte[]>(StringComparer.Ordinal);

        /// <summary>Loads every embedded "portal/..." resource.</summary>
        public PortalAssets()
        {
            Assembly assembly = typeof(PortalAssets).Assembly;
            foreach (string name in assembly.GetManifestResourceNames())
            {
                if (!name.StartsWith("portal/", StringComparison.Ordinal))
                {
                    continue;
                }

                using Stream stream = assembly.GetManifestResourceStream(name);
                using MemoryStream copy = new MemoryStream();
                stream.CopyTo(copy);
                _files["/" + name.Substring("portal/".Length)] = copy.ToArray();
            }
        }

        /// <summary>Paths served (without ".gz" copies), for tests and the size report.</summary>
        public IEnumerable<string> Paths
        {
            get
            {
                foreach (string key in _files.Keys)
                {
                    if (!key.EndsWith(".gz", StringComparison.Ordinal))
                    {
                        yield return key;
                    }
                }
            }
        }

        /// <summary>Bytes of a stored file ("/app.js" or "/app.js.gz"); null when absent.</summary>
        public byte[] Raw(string path)
        {
            return _files.TryGetValue(path, out byte[] body) ? body : null;
        }

        /// <inheritdoc />
        public bool TryGet(string path, bool gzip, out byte[] body, out string contentType, out bool isGzip)
        {
            if (path == "/" || path == "/index.html")
            {
                path = "/index.html";
            }

            contentType = TypeOf(path);
            isGzip = false;
            if (contentType == null || !_files.TryGetValue(path, out body))
            {
                body = null;
                return false;
            }

            if (gzip && _files.TryGetValue(path + ".gz", out byte[] compressed))
            {
                body = compressed;
                isGzip = true;
            }

            return true;
        }

        private static string TypeOf(string path)
        {
            if (path.EndsWith(".html", StringComparison.Ordinal))
            {
                return "text/html; charset=utf-8";
            }

            if (path.EndsWith(".js", StringComparison.Ordinal))
            {
                return "text/javascript; charset=utf-8";
            }

            if (path.EndsWith(".css", StringComparison.Ordinal))
            {
                return "text/css; charset=utf-8";
            }

            if (path.EndsWith(".txt", StringComparison.Ordinal))
            {
                return "text/plain; charset=utf-8";
            }

            return null;
        }
    }
}
