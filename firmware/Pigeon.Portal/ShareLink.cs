using Pigeon.Config;
using Pigeon.Text;

namespace Pigeon.Portal
{
    /// <summary>
    /// The links a volunteer shares: WhatsApp opens its proxy settings from
    /// https://wa.me/proxy?host=ADDRESS&amp;chatPort=PORT&amp;mediaPort=PORT&amp;chatTLS=BOOL.
    /// chatTLS=true only for a chat route that takes the app's TLS off (terminateTls, the host's
    /// 443); a plain chat route cannot serve the app's "use TLS" mode (docs/relay-protocols.md).
    /// A route that expects a PROXY header from a load balancer (acceptProxy) is never shared: a
    /// phone dialling it directly would be refused.
    /// </summary>
    public static class ShareLink
    {
        /// <summary>The link for a host and two ports, TLS off on the chat port.</summary>
        public static string Build(string host, int chatPort, int mediaPort)
        {
            return Build(host, chatPort, mediaPort, false);
        }

        /// <summary>The link for a host, two ports and the chat port's TLS.</summary>
        public static string Build(string host, int chatPort, int mediaPort, bool chatTls)
        {
            return "https://wa.me/proxy?host=" + Escape(host) + "&chatPort=" + chatPort.ToString()
                + "&mediaPort=" + mediaPort.ToString() + "&chatTLS=" + (chatTls ? "true" : "false");
        }

        /// <summary>
        /// The port of the first shareable chat route that terminates TLS (<paramref name="tls"/>)
        /// or is plain (not <paramref name="tls"/>); 0 when there is none.
        /// </summary>
        public static int FirstChatPort(RouteConfig[] routes, bool tls)
        {
            for (int i = 0; routes != null && i < routes.Length; i++)
            {
                RouteConfig r = routes[i];
                if (r != null && !IsMedia(r) && !r.AcceptProxy && r.TerminateTls == tls)
                {
                    return r.ListenPort;
                }
            }

            return 0;
        }

        /// <summary>The port of the first shareable media route (with an SNI allow-list); 0 when there is none.</summary>
        public static int FirstMediaPort(RouteConfig[] routes)
        {
            for (int i = 0; routes != null && i < routes.Length; i++)
            {
                RouteConfig r = routes[i];
                if (r != null && IsMedia(r) && !r.AcceptProxy)
                {
                    return r.ListenPort;
                }
            }

            return 0;
        }

        /// <summary>Media routes are those that check the ClientHello's name.</summary>
        /// <summary>Signal's proxy link for <paramref name="host"/> (Signal-TLS-Proxy's README: https://signal.tube/#host).</summary>
        public static string BuildSignal(string host)
        {
            return "https://signal.tube/#" + Escape(host);
        }

        /// <summary>The port of the first open TLS route that passes Signal through (0: none).</summary>
        public static int SignalPort(RouteConfig[] routes)
        {
            for (int i = 0; routes != null && i < routes.Length; i++)
            {
                RouteConfig r = routes[i];
                if (r != null && r.TerminateTls && !r.AcceptProxy && r.SignalSni != null && r.SignalSni.Length > 0)
                {
                    return r.ListenPort;
                }
            }

            return 0;
        }

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
