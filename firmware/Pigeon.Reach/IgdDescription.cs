using Pigeon.Net;
using Pigeon.Text;

namespace Pigeon.Reach
{
    /// <summary>
    /// Finds the WANIPConnection / WANPPPConnection control URL in an IGD device description
    /// (UPnP IGD 1.0/2.0). Not an XML parser: a linear scan for &lt;serviceType&gt; and the
    /// &lt;controlURL&gt; of the same &lt;service&gt;, so nesting depth, entities and size cannot make
    /// it recurse or blow up. Every control URL must be on the router that answered; one that
    /// points at any other host is refused, never contacted.
    /// <code>
    /// &lt;root&gt; [&lt;URLBase&gt;http://r:p/&lt;/URLBase&gt;] ... &lt;service&gt;
    ///   &lt;serviceType&gt;urn:schemas-upnp-org:service:WANIPConnection:1&lt;/serviceType&gt;
    ///   &lt;controlURL&gt;/ctl/IPConn&lt;/controlURL&gt; ... &lt;/service&gt; ...
    /// </code>
    /// </summary>
    public static class IgdDescription
    {
        /// <summary>Descriptions longer than this are refused (real ones: 2-6 KB).</summary>
        public const int MaxLength = 65536;

        /// <summary>At most this many &lt;service&gt; entries are looked at.</summary>
        public const int MaxServices = 64;

        /// <summary>
        /// The WAN connection services of the description, WANIPConnection first; empty with
        /// <paramref name="error"/> when there is none usable.
        /// </summary>
        public static IgdService[] Parse(string xml, HttpUrl location, out string error)
        {
            error = null;
            if (xml == null || location == null)
            {
                error = "the router sent no description";
                return new IgdService[0];
            }

            if (xml.Length > MaxLength)
            {
                error = "the router's description is too large; ignored";
                return new IgdService[0];
            }

            HttpUrl baseUrl = location;
            string urlBase = Element(xml, "URLBase", 0, xml.Length);
            if (urlBase != null && urlBase.Length > 0)
            {
                HttpUrl parsed = HttpUrl.Parse(urlBase);
                if (parsed == null || parsed.Address != location.Address)
                {
                    error = "the router's description points at another address (" + Shorten(urlBase) + "); ignored";
                    return new IgdService[0];
                }

                baseUrl = parsed;
            }

            IgdService ip = null;
            IgdService ppp = null;
            int at = 0;
            for (int n = 0; n < MaxServices; n++)
            {
                int typeStart = xml.IndexOf("<serviceType>", at);
                if (typeStart < 0)
                {
                    break;
                }

                int serviceEnd = xml.IndexOf("</service>", typeStart);
                if (serviceEnd < 0)
                {
                    serviceEnd = xml.Length;
                }

                at = typeStart + 13;
                string type = Element(xml, "serviceType", typeStart, serviceEnd);
                if (type == null || (type.IndexOf(":service:WANIPConnection:") < 0 && type.IndexOf(":service:WANPPPConnection:") < 0))
                {
                    continue;
                }

                string control = Element(xml, "controlURL", typeStart, serviceEnd);
                HttpUrl url = HttpUrl.Resolve(baseUrl, Unescape(control));
                if (url == null)
                {
                    error = "the router's control address is not plain http to an IPv4 address; ignored";
                    continue;
                }

                if (url.Address != location.Address)
                {
                    error = "the router's control address points at another host (" + IPv4.ToText(url.Address) + "); refused";
                    continue;
                }

                if (!IsSafeText(type))
                {
                    continue;
                }

                IgdService service = new IgdService(type, url);
                if (service.IsPpp)
                {
                    ppp = ppp ?? service;
                }
                else
                {
                    ip = ip ?? service;
                }
            }

            if (ip == null && ppp == null)
            {
                error = error ?? "the router has no WAN connection service to map ports with";
                return new IgdService[0];
            }

            error = null;
            if (ip != null && ppp != null)
            {
                return new IgdService[] { ip, ppp };
            }

            return new IgdService[] { ip ?? ppp };
        }

        /// <summary>The trimmed text of the first &lt;name&gt;...&lt;/name&gt; in xml[from, to); null when absent.</summary>
        public static string Element(string xml, string name, int from, int to)
        {
            if (xml == null)
            {
                return null;
            }

            string open = "<" + name + ">";
            int start = xml.IndexOf(open, from);
            if (start < 0 || start >= to)
            {
                // Tolerate a namespace prefix (<s:name> / <u:name>), as SOAP answers use.
                start = IndexOfPrefixed(xml, name, from, to, out open);
                if (start < 0)
                {
                    return null;
                }
            }

            int valueStart = start + open.Length;
            string close = "</" + open.Substring(1);
            int end = xml.IndexOf(close, valueStart);
            if (end < 0 || end > to || end - valueStart > HttpUrl.MaxLength * 2)
            {
                return null;
            }

            return xml.Substring(valueStart, end - valueStart).Trim();
        }

        /// <summary>Decodes the five predefined XML entities; anything else stays as written.</summary>
        public static string Unescape(string text)
        {
            if (text == null || text.IndexOf('&') < 0)
            {
                return text;
            }

            TextBuffer result = new TextBuffer(text.Length, text.Length + 1);
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (c == '&')
                {
                    int semi = text.IndexOf(';', i);
                    string entity = semi > i && semi - i <= 5 ? text.Substring(i, semi - i + 1) : null;
                    string plain = entity == "&amp;" ? "&" : entity == "&lt;" ? "<" : entity == "&gt;" ? ">" : entity == "&quot;" ? "\"" : entity == "&apos;" ? "'" : null;
                    if (plain != null)
                    {
                        result.Append(plain);
                        i = semi + 1;
                        continue;
                    }
                }

                result.Append(text.Substring(i, 1));
                i++;
            }

            return result.ToString();
        }

        private static int IndexOfPrefixed(string xml, string name, int from, int to, out string open)
        {
            open = null;
            string tail = ":" + name + ">";
            int at = from;
            while (at < to)
            {
                int hit = xml.IndexOf(tail, at);
                if (hit < 0 || hit >= to)
                {
                    return -1;
                }

                int lt = hit - 1;
                while (lt >= from && hit - lt <= 16 && IsNameChar(xml[lt]))
                {
                    lt--;
                }

                if (lt >= from && xml[lt] == '<' && lt < hit)
                {
                    open = xml.Substring(lt, hit - lt + tail.Length);
                    return lt;
                }

                at = hit + tail.Length;
            }

            return -1;
        }

        private static bool IsNameChar(char c)
        {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        }

        private static bool IsSafeText(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c <= ' ' || c > '~' || c == '"' || c == '<' || c == '>')
                {
                    return false;
                }
            }

            return text.Length <= 128;
        }

        private static string Shorten(string text)
        {
            return text.Length > 64 ? text.Substring(0, 64) + "..." : text;
        }
    }
}
