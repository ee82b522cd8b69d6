using Pigeon.Net;
using Pigeon.Text;

namespace Pigeon.Reach
{
    /// <summary>
    /// SSDP search for an Internet Gateway Device (UPnP Device Architecture 2.0, section 1.3).
    /// The search goes to 239.255.255.250:1900 on the board; tests inject 127.0.0.1 and a port
    /// of their own. An answer is believed only when its LOCATION points back at the address
    /// that sent it (and, when the gateway is known, only from the gateway), so one hostile LAN
    /// device cannot send the mapper to a third address.
    /// <code>
    /// request:  M-SEARCH * HTTP/1.1 | HOST: 239.255.255.250:1900 | MAN: "ssdp:discover" | MX: 2 | ST: urn:...:InternetGatewayDevice:1
    /// answer:   HTTP/1.1 200 OK CRLF *(header CRLF) CRLF, headers LOCATION (absolute URL) and ST
    /// </code>
    /// </summary>
    public sealed class Ssdp
    {
        /// <summary>239.255.255.250, the SSDP multicast group.</summary>
        public const uint MulticastAddress = 0xEFFFFFFA;

        /// <summary>The SSDP port.</summary>
        public const int MulticastPort = 1900;

        /// <summary>Answers are at most one UDP datagram; 1500 bytes is one Ethernet frame.</summary>
        public const int MaxAnswerBytes = 1500;

        /// <summary>The device type searched first (IGD:2 devices also answer it).</summary>
        public const string GatewayType = "urn:schemas-upnp-org:device:InternetGatewayDevice:1";

        private readonly IDatagramTransport _udp;
        private readonly uint _target;
        private readonly int _targetPort;

        /// <summary>Searches at <paramref name="target"/>:<paramref name="targetPort"/> (normally the multicast group).</summary>
        public Ssdp(IDatagramTransport udp, uint target, int targetPort)
        {
            _udp = udp;
            _target = target;
            _targetPort = targetPort;
        }

        /// <summary>Where the description of the gateway that answered lives; null with <paramref name="error"/> when none did.</summary>
        public HttpUrl Discover(uint gateway, int timeoutMs, out uint responder, out string error)
        {
            responder = 0;
            string bindError;
            IDatagramSocket socket = _udp.Bind(IPv4.Any, 0, out bindError);
            if (socket == null)
            {
                error = "cannot search for the router: " + bindError;
                return null;
            }

            try
            {
                byte[] request = BuildSearch(GatewayType);
                if (!socket.SendTo(request, 0, request.Length, _target, _targetPort))
                {
                    error = "cannot send the UPnP search on this network";
                    return null;
                }

                byte[] answer = new byte[MaxAnswerBytes];
                string refused = null;
                int waited = 0;
                const int Slice = 250;
                while (waited < timeoutMs)
                {
                    uint from;
                    int fromPort;
                    int n = socket.ReceiveFrom(answer, 0, answer.Length, Slice, out from, out fromPort);
                    waited += Slice;
                    if (n < 0)
                    {
                        break;
                    }

                    if (n == 0)
                    {
                        continue;
                    }

                    if (gateway != 0 && from != gateway)
                    {
                        refused = "a device other than the router (" + IPv4.ToText(from) + ") answered the UPnP search; ignored";
                        continue;
                    }

                    string location;
                    string st;
                    if (!ParseAnswer(answer, n, out location, out st) || !IsGatewayType(st))
                    {
                        continue;
                    }

                    HttpUrl url = HttpUrl.Parse(location);
                    if (url == null)
                    {
                        refused = "the router announced a description address that is not plain http to an IPv4 address; ignored";
                        continue;
                    }

                    if (url.Address != from)
                    {
                        refused = "the UPnP answer from " + IPv4.ToText(from) + " pointed at another address (" + IPv4.ToText(url.Address) + "); ignored";
                        continue;
                    }

                    responder = from;
                    error = null;
                    return url;
                }

                error = refused ?? "no router answered the UPnP search (UPnP may be off in the router's settings)";
                return null;
            }
            finally
            {
                socket.Close();
            }
        }

        /// <summary>The M-SEARCH datagram for a search target.</summary>
        public static byte[] BuildSearch(string searchTarget)
        {
            TextBuffer text = new TextBuffer(160, 512);
            text.Append("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 2\r\nST: ")
                .Append(searchTarget).Append("\r\n\r\n");
            byte[] bytes = new byte[text.Length];
            System.Array.Copy(text.Bytes, 0, bytes, 0, text.Length);
            return bytes;
        }

        /// <summary>
        /// Reads a search answer: "HTTP/1.1 200" then LOCATION and ST headers (names are
        /// case-insensitive). False for anything else, never throws.
        /// </summary>
        public static bool ParseAnswer(byte[] buffer, int length, out string location, out string searchTarget)
        {
            location = null;
            searchTarget = null;
            if (buffer == null || length < 12 || length > buffer.Length || HttpParse.IndexOf(buffer, 0, 12, "HTTP/1.") != 0
                || buffer[9] != (byte)'2' || buffer[10] != (byte)'0' || buffer[11] != (byte)'0')
            {
                return false;
            }

            int lineStart = HttpParse.IndexOf(buffer, 0, length, "\r\n");
            int lines = 0;
            while (lineStart >= 0 && lines++ < HttpParse.MaxHeaderLines)
            {
                lineStart += 2;
                int lineEnd = HttpParse.IndexOf(buffer, lineStart, length, "\r\n");
                if (lineEnd < 0)
                {
                    lineEnd = length;
                }

                if (lineEnd == lineStart)
                {
                    break;
                }

                string line = Ascii.GetString(buffer, lineStart, lineEnd - lineStart);
                int colon = line.IndexOf(':');
                if (colon > 0)
                {
                    string name = line.Substring(0, colon).Trim().ToLower();
                    string value = line.Substring(colon + 1).Trim();
                    if (name == "location")
                    {
                        location = value;
                    }
                    else if (name == "st")
                    {
                        searchTarget = value;
                    }
                }

                lineStart = lineEnd < length ? lineEnd : -1;
            }

            return location != null && location.Length > 0;
        }

        private static bool IsGatewayType(string st)
        {
            // Some routers omit ST or answer with their own type; an IGD or its WAN service is what counts.
            return st == null || st.IndexOf("InternetGatewayDevice") >= 0 || st.IndexOf("WANIPConnection") >= 0
                || st.IndexOf("WANPPPConnection") >= 0 || st == "upnp:rootdevice";
        }
    }
}
