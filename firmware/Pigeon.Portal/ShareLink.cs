using Pigeon.Config;
using Pigeon.Text;

namespace Pigeon.Portal
{
    /// <summary>
    /// The link a volunteer shares: WhatsApp opens its proxy settings from
    /// https://wa.me/proxy?host=ADDRESS&amp;chatPort=PORT&amp;mediaPort=PORT&amp;chatTLS=false.
    /// chatTLS=false because a passthrough relay cannot serve the app's "use TLS" mode on the
    /// chat port (docs/relay-protocols.md).
    /// </summary>
    public static class ShareLink
    {
        /// <summary>The link for a host and two ports.</summary>
        public static string Build(string host, int chatPort, int mediaPort)
        {
            return "https://wa.me/proxy?host=" + Escape(host) + "&chatPort=" + chatPort.ToString()
                + "&mediaPort=" + mediaPort.ToString() + "&chatTLS=false";
        }

        /// <summary>
        /// The first port of a chat route (no SNI allow-list) or, with <paramref name="media"/>,
        /// of a media route (with one); 0 when there is none.
        /// </summary>
        public static int FirstPort(RouteConfig[] routes, bool media)
        {
            if (routes == null)
            {
                return 0;
            }

            for (int i = 0; i < routes.Length; i++)
            {
                RouteConfig r = routes[i];
                if (r != null && IsMedia(r) == media)
                {
                    return r.ListenPort;
                }
            }

            return 0;
        }

        /// <summary>Media routes are those that check the ClientHello's name.</summary>
        public static bool IsMedia(RouteConfig route)
        {
            return route.AllowedSni != null && route.AllowedSni.Length > 0;
        }

        /// <summary>Percent-encodes everything but RFC 3986's unreserved characters (UTF-8 first).</summary>
        public static string Escape(string text)
        {
            byte[] bytes = Utf8.GetBytes(text == null ? string.Empty : text);
            char[] chars = new char[bytes.Length * 3];
            int n = 0;
            for (int i = 0; i < bytes.Length; i++)
            {
                int b = bytes[i];
                bool unreserved = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || b == '-' || b == '.' || b == '_' || b == '~';
                if (unreserved)
                {
                    chars[n++] = (char)b;
                }
                else
                {
                    chars[n++] = '%';
                    chars[n++] = Hex.UpperDigit(b >> 4);
                    chars[n++] = Hex.UpperDigit(b);
                }
            }

            return new string(chars, 0, n);
        }
    }
}
