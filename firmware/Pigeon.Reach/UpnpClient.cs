using Pigeon.Net;

namespace Pigeon.Reach
{
    /// <summary>
    /// Maps TCP ports on an Internet Gateway Device: SSDP discovery, the description, then SOAP
    /// AddPortMapping / GetExternalIPAddress / DeletePortMapping on the WAN connection service.
    /// It talks to one address only, the router that answered the search: every URL it uses is
    /// checked to be on that address before a connection is made.
    /// </summary>
    public sealed class UpnpClient
    {
        private readonly IDatagramTransport _udp;
        private readonly RouterHttp _http;
        private readonly uint _ssdpTarget;
        private readonly int _ssdpPort;
        private readonly int _searchMs;
        private IgdService[] _services = new IgdService[0];
        private int _current;

        /// <summary>
        /// <paramref name="ssdpTarget"/>/<paramref name="ssdpPort"/>: <see cref="Ssdp.MulticastAddress"/>
        /// and <see cref="Ssdp.MulticastPort"/> on a real network; tests pass 127.0.0.1 and their own port.
        /// </summary>
        public UpnpClient(ITransport tcp, IDatagramTransport udp, uint ssdpTarget, int ssdpPort, int searchMs, int httpTimeoutMs, int maxResponseBytes)
        {
            _udp = udp;
            _http = new RouterHttp(tcp, maxResponseBytes, httpTimeoutMs);
            _ssdpTarget = ssdpTarget;
            _ssdpPort = ssdpPort;
            _searchMs = searchMs;
        }

        /// <summary>The router's address once found; 0 before.</summary>
        public uint Router { get; private set; }

        /// <summary>Our LAN address as the router sees it (the mapping's internal client).</summary>
        public uint LocalAddress { get; private set; }

        /// <summary>True once a WAN connection service was found.</summary>
        public bool Found
        {
            get { return _services.Length > 0; }
        }

        /// <summary>The service in use (null before discovery).</summary>
        public IgdService Service
        {
            get { return _services.Length == 0 ? null : _services[_current]; }
        }

        /// <summary>
        /// Searches for the router and reads its description. <paramref name="gateway"/> is the
        /// default gateway when the platform knows it (answers from other addresses are ignored), 0 otherwise.
        /// </summary>
        public bool Discover(uint gateway, out string error)
        {
            _services = new IgdService[0];
            _current = 0;
            Router = 0;
            Ssdp ssdp = new Ssdp(_udp, _ssdpTarget, _ssdpPort);
            uint responder;
            HttpUrl location = ssdp.Discover(gateway, _searchMs, out responder, out error);
            if (location == null)
            {
                return false;
            }

            RouterResponse description = _http.Get(location);
            if (description.Outcome != HttpOutcome.Ok)
            {
                error = "cannot read the router's description: " + UpnpSoap.Transport(description.Outcome);
                return false;
            }

            if (description.Status != 200)
            {
                error = "cannot read the router's description (HTTP " + description.Status.ToString() + ")";
                return false;
            }

            IgdService[] services = IgdDescription.Parse(description.Body, location, out error);
            if (services.Length == 0)
            {
                return false;
            }

            _services = services;
            Router = responder;
            LocalAddress = description.LocalAddress;
            return true;
        }

        /// <summary>
        /// Asks for external port → our internal port for <paramref name="leaseSeconds"/>
        /// (0 = permanent). A router that only takes permanent leases (725) is asked again with 0.
        /// </summary>
        public UpnpResult AddPortMapping(int externalPort, int internalPort, int leaseSeconds, string description)
        {
            UpnpResult result = AddOnce(externalPort, internalPort, leaseSeconds, description);
            if (!result.Ok && result.FaultCode == UpnpFault.OnlyPermanentLeasesSupported && leaseSeconds != 0)
            {
                result = AddOnce(externalPort, internalPort, 0, description);
            }

            return result;
        }

        /// <summary>Removes a mapping; a router that has none (714) counts as done.</summary>
        public UpnpResult DeletePortMapping(int externalPort)
        {
            if (!Found)
            {
                return UpnpResult.Fail(0, "no UPnP router known");
            }

            string body = UpnpSoap.Envelope(Service.ServiceType, "DeletePortMapping", new string[]
            {
                "NewRemoteHost", "",
                "NewExternalPort", externalPort.ToString(),
                "NewProtocol", "TCP",
            });
            UpnpResult result = UpnpSoap.Judge(Post("DeletePortMapping", body), "DeletePortMapping");
            if (!result.Ok && result.FaultCode == UpnpFault.NoSuchEntryInArray)
            {
                result = new UpnpResult();
                result.Ok = true;
            }

            return result;
        }

        /// <summary>The router's external IPv4 address. Falls over to a second WAN service (PPP) when the first fails.</summary>
        public UpnpResult GetExternalAddress()
        {
            if (!Found)
            {
                return UpnpResult.Fail(0, "no UPnP router known");
            }

            UpnpResult result = null;
            for (int attempt = 0; attempt < _services.Length; attempt++)
            {
                string body = UpnpSoap.Envelope(Service.ServiceType, "GetExternalIPAddress", null);
                RouterResponse response = Post("GetExternalIPAddress", body);
                result = UpnpSoap.Judge(response, "GetExternalIPAddress");
                if (result.Ok)
                {
                    string text = IgdDescription.Element(response.Body, "NewExternalIPAddress", 0, response.Body.Length);
                    uint address;
                    if (text != null && text.Length > 0 && !IPv4.TryParse(text, out address))
                    {
                        return UpnpResult.Fail(0, "the router reported an external address that is not IPv4; ignored");
                    }

                    result.ExternalAddress = text != null && IPv4.TryParse(text, out address) ? address : 0;
                    return result;
                }

                _current = (_current + 1) % _services.Length;
            }

            return result;
        }

        private UpnpResult AddOnce(int externalPort, int internalPort, int leaseSeconds, string description)
        {
            if (!Found)
            {
                return UpnpResult.Fail(0, "no UPnP router known");
            }

            if (LocalAddress == 0)
            {
                return UpnpResult.Fail(0, "our own LAN address is unknown");
            }

            string body = UpnpSoap.Envelope(Service.ServiceType, "AddPortMapping", new string[]
            {
                "NewRemoteHost", "",
                "NewExternalPort", externalPort.ToString(),
                "NewProtocol", "TCP",
                "NewInternalPort", internalPort.ToString(),
                "NewInternalClient", IPv4.ToText(LocalAddress),
                "NewEnabled", "1",
                "NewPortMappingDescription", description,
                "NewLeaseDuration", leaseSeconds.ToString(),
            });
            UpnpResult result = UpnpSoap.Judge(Post("AddPortMapping", body), "AddPortMapping");
            result.LeaseSeconds = leaseSeconds;
            return result;
        }

        private RouterResponse Post(string action, string body)
        {
            IgdService service = Service;
            if (service.Control.Address != Router)
            {
                // Unreachable by construction (IgdDescription refuses it); kept as the last guard.
                return RouterResponse.Failed(HttpOutcome.ConnectFailed);
            }

            return _http.PostSoap(service.Control, service.ServiceType + "#" + action, body);
        }
    }
}
