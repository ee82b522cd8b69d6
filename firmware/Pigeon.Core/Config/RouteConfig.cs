using Pigeon.Json;

namespace Pigeon.Config
{
    /// <summary>
    /// One relay route as stored in the JSON config (camelCase keys; ConfigMapper reads and
    /// writes it). Arrays, not lists: the board has no generics.
    /// </summary>
    public class RouteConfig
    {
        /// <summary>Shown in the status and the logs ("chat-5222").</summary>
        public string Name { get; set; } = "";

        /// <summary>IPv4 address to listen on; "0.0.0.0" for every interface.</summary>
        public string ListenAddress { get; set; } = "0.0.0.0";

        /// <summary>TCP port clients connect to.</summary>
        public int ListenPort { get; set; }

        /// <summary>Host name or IPv4 literal to relay to (ignored when <see cref="UpstreamFromSni"/>).</summary>
        public string UpstreamHost { get; set; } = "";

        /// <summary>Upstream TCP port.</summary>
        public int UpstreamPort { get; set; }

        /// <summary>Tried when the upstream host fails to resolve or connect; empty for none.</summary>
        public string FallbackHost { get; set; } = "";

        /// <summary>Send a PROXY protocol header upstream before the client's bytes (version: <see cref="ProxyProtocolVersion"/>).</summary>
        public bool ProxyProtocol { get; set; }

        /// <summary>The PROXY header's version when <see cref="ProxyProtocol"/> is on: 1 (a text line, JSON true or "v1") or 2 (binary, JSON "v2").</summary>
        public int ProxyProtocolVersion { get; set; } = 1;

        /// <summary>
        /// Chat route only: perform the TLS server handshake with the client (the app's "use TLS"
        /// wrapper, as WhatsApp's own proxy does on 443) and relay the bytes inside it, plain, to
        /// the upstream. WhatsApp's own end-to-end encryption stays inside.
        /// </summary>
        public bool TerminateTls { get; set; }

        /// <summary>Expect a PROXY protocol header (v1 or v2) from a load balancer before the client's bytes.</summary>
        public bool AcceptProxy { get; set; }

        /// <summary>
        /// With <see cref="AcceptProxy"/>: the load balancers allowed to send that header, as
        /// addresses or CIDR ranges ("10.0.0.5", "10.0.0.0/24", "2001:db8::/48"). Required: a
        /// header names the client, so from anyone else it would let them pose as any client.
        /// Loopback and the private ranges are not implied.
        /// </summary>
        public string[] AcceptProxyFrom { get; set; } = new string[0];

        /// <summary>Chat route only: refuse clients whose first bytes are not a WhatsApp chat opening (off by default).</summary>
        public bool ChatOpeningCheck { get; set; }

        /// <summary>
        /// SNI patterns this route carries ("whatsapp.net", "*.whatsapp.net"). When set, the route
        /// reads the ClientHello and refuses any other name (default deny). When empty, the route
        /// is a plain one (WhatsApp chat) and carries whatever the client sends.
        /// </summary>
        public string[] AllowedSni { get; set; } = new string[0];

        /// <summary>
        /// terminateTls routes: the Signal hosts ("chat.signal.org", ...) whose ClientHello inside
        /// the TLS is passed through to that host on <see cref="SignalPort"/>, untouched (Signal's
        /// app checks this route's certificate against the phone's roots: it needs a real one).
        /// Empty: Signal off. Default deny, as allowedSni.
        /// </summary>
        public string[] SignalSni { get; set; } = new string[0];

        /// <summary>The port Signal's hosts are dialled on (443).</summary>
        public int SignalPort { get; set; } = 443;

        /// <summary>Connect to the SNI host itself (on <see cref="UpstreamPort"/>), as Signal's relay
        /// does; only names the allow-list accepts. Needs <see cref="AllowedSni"/>.</summary>
        public bool UpstreamFromSni { get; set; }

        /// <summary>
        /// On a plain route, a client opening with a TLS ClientHello is a WhatsApp app with "use
        /// TLS" switched on, which a passthrough relay cannot serve: it is refused and counted so
        /// the status can say what to change. Set true to carry TLS on a plain route anyway.
        /// </summary>
        public bool AllowTls { get; set; }

        /// <summary>
        /// Keys in this object that this firmware does not know, kept as they were read so that a
        /// save (e.g. after a downgrade) does not lose them; written back after the known keys.
        /// Null when there are none.
        /// </summary>
        public JsonNode UnknownKeys { get; set; }
    }
}
