using Pigeon.Net;
using Pigeon.Text;

namespace Pigeon.Reach
{
    /// <summary>
    /// An "http://a.b.c.d[:port]/path" URL as UPnP devices announce them (UPnP Device Architecture
    /// 2.0, 1.1 and 2.1). Only plain HTTP to an IPv4 literal: a router announcing a host name or
    /// https is refused, so the mapper never resolves or contacts a name a LAN device chose.
    /// </summary>
    public sealed class HttpUrl
    {
        /// <summary>URLs longer than this are refused (a router's are well under 100 characters).</summary>
        public const int MaxLength = 512;

        private HttpUrl(uint address, int port, string path)
        {
            Address = address;
            Port = port;
            Path = path;
        }

        /// <summary>The host, IPv4 packed big-endian.</summary>
        public uint Address { get; private set; }

        /// <summary>The TCP port (80 when the URL names none).</summary>
        public int Port { get; private set; }

        /// <summary>The path and query, starting with '/'.</summary>
        public string Path { get; private set; }

        /// <summary>Parses an absolute URL; null when it is not plain http to an IPv4 literal.</summary>
        public static HttpUrl Parse(string text)
        {
            if (text == null)
            {
                return null;
            }

            text = text.Trim();
            if (text.Length < 8 || text.Length > MaxLength || text.ToLower().IndexOf("http://") != 0)
            {
                return null;
            }

            int hostStart = 7;
            int pathStart = text.IndexOf('/', hostStart);
            string authority = pathStart < 0 ? text.Substring(hostStart) : text.Substring(hostStart, pathStart - hostStart);
            string path = pathStart < 0 ? "/" : text.Substring(pathStart);
            if (authority.IndexOf('@') >= 0 || !IsPathText(path))
            {
                return null;
            }

            int port = 80;
            int colon = authority.IndexOf(':');
            string host = authority;
            if (colon >= 0)
            {
                host = authority.Substring(0, colon);
                if (!TryParsePort(authority.Substring(colon + 1), out port))
                {
                    return null;
                }
            }

            uint address;
            if (!IPv4.TryParse(host, out address))
            {
                return null;
            }

            return new HttpUrl(address, port, path);
        }

        /// <summary>
        /// Resolves a controlURL or SCPDURL against the description's base: an absolute URL is
        /// parsed as is, a path is joined to <paramref name="baseUrl"/>'s host and port.
        /// </summary>
        public static HttpUrl Resolve(HttpUrl baseUrl, string reference)
        {
            if (baseUrl == null || reference == null)
            {
                return null;
            }

            reference = reference.Trim();
            if (reference.Length == 0 || reference.Length > MaxLength)
            {
                return null;
            }

            if (reference.ToLower().IndexOf("http") == 0 && reference.IndexOf("://") > 0)
            {
                return Parse(reference);
            }

            if (reference.IndexOf("//") == 0)
            {
                return null; // scheme-relative: another host by definition
            }

            string path = reference[0] == '/' ? reference : "/" + reference;
            if (!IsPathText(path))
            {
                return null;
            }

            return new HttpUrl(baseUrl.Address, baseUrl.Port, path);
        }

        /// <summary>"a.b.c.d:port" for the HTTP Host header.</summary>
        public string HostHeader
        {
            get { return IPv4.ToText(Address) + ":" + Port.ToString(); }
        }

        /// <summary>The URL as text.</summary>
        public override string ToString()
        {
            return "http://" + HostHeader + Path;
        }

        private static bool TryParsePort(string text, out int port)
        {
            port = 0;
            return text.Length <= 5 && Integer.TryParse(text, out port) && port >= 1 && port <= 65535;
        }

        private static bool IsPathText(string path)
        {
            // Printable ASCII without spaces: a path with CR/LF or spaces would break the request line.
            for (int i = 0; i < path.Length; i++)
            {
                char c = path[i];
                if (c <= ' ' || c > '~')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
