using Pigeon.Net;

namespace Pigeon.Reach
{
    /// <summary>
    /// Keeps the relay's ports open on the home router: UPnP IGD first, NAT-PMP as the second
    /// way (PCP when the router answers NAT-PMP with "unsupported version"), leases renewed at half their life, deleted when a route goes away or on factory
    /// reset. A host or the board calls <see cref="Refresh"/> every <see cref="TickMs"/> from one
    /// thread; readers on other threads take <see cref="Snapshot"/>.
    /// </summary>
    public sealed class PortMapper
    {
        /// <summary>How often the owner should call <see cref="Refresh"/>; it only works when something is due.</summary>
        public const int TickMs = 30000;

        /// <summary>UPnP lease asked for: one hour, renewed at 30 min, so a mapping of a relay that
        /// was unplugged disappears from the router within the hour.</summary>
        public const int UpnpLeaseSeconds = 3600;

        /// <summary>After a failure, try again in 5 minutes (the volunteer may be changing router settings).</summary>
        public const int RetryMs = 300000;

        /// <summary>Permanent mappings are added again every 30 minutes: routers lose them on reboot.</summary>
        public const int PermanentRefreshMs = 1800000;

        /// <summary>The external address is asked for every 10 minutes (home addresses change).</summary>
        public const int AddressRefreshMs = 600000;

        private readonly UpnpClient _upnp;
        private readonly NatPmp _natPmp;
        private readonly Pcp _pcp;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly uint _gateway;
        private readonly string _description;
        private readonly object _work = new object();
        private int[] _ports = new int[0];
        private MappingStatus[] _status = new MappingStatus[0];
        private long[] _next = new long[0];
        private MappingMethod _method;
        private long _nextDiscovery;
        private long _nextAddress;
        private bool _enabled = true;

        /// <summary>
        /// <paramref name="upnp"/> or <paramref name="natPmp"/> may be null (that way is then not
        /// tried). <paramref name="gateway"/> is the default gateway when known (0 otherwise).
        /// </summary>
        public PortMapper(UpnpClient upnp, NatPmp natPmp, uint gateway, IClock clock, ILog log, string description)
            : this(upnp, natPmp, null, gateway, clock, log, description)
        {
        }

        /// <summary>
        /// As above, with <paramref name="pcp"/> (may be null) tried when a NAT-PMP answer says
        /// "unsupported version" (a PCP-only router, RFC 6887 9).
        /// </summary>
        public PortMapper(UpnpClient upnp, NatPmp natPmp, Pcp pcp, uint gateway, IClock clock, ILog log, string description)
        {
            _upnp = upnp;
            _natPmp = natPmp;
            _pcp = pcp;
            _gateway = gateway;
            _clock = clock;
            _log = log;
            _description = description == null || description.Length == 0 ? "Pigeon relay" : description;
            RouterNote = "not looked for the router yet";
            AddressNote = PublicAddress.Explain(AddressKind.None);
        }

        /// <summary>The protocol in use with the router; None until one answered.</summary>
        public MappingMethod Method
        {
            get { return _method; }
        }

        /// <summary>The router's external IPv4 address (0 = none reported).</summary>
        public uint ExternalAddress { get; private set; }

        /// <summary>What the external address means for reachability.</summary>
        public AddressKind AddressKind { get; private set; }

        /// <summary>A plain explanation of <see cref="AddressKind"/>.</summary>
        public string AddressNote { get; private set; }

        /// <summary>What the last search for the router found ("UPnP router at 192.168.1.1", or why none).</summary>
        public string RouterNote { get; private set; }

        /// <summary>True when mapping is switched on (config network.portMapping).</summary>
        public bool Enabled
        {
            get { return _enabled; }
        }

        /// <summary>Every port's mapping now (a copy of the array; the records are immutable).</summary>
        public MappingStatus[] Snapshot()
        {
            MappingStatus[] status = _status;
            MappingStatus[] copy = new MappingStatus[status.Length];
            System.Array.Copy(status, copy, status.Length);
            return copy;
        }

        /// <summary>
        /// Sets the ports to keep mapped (the routes' listen ports). Mappings of ports no longer
        /// listed are deleted on the router.
        /// </summary>
        public void SetPorts(int[] ports)
        {
            lock (_work)
            {
                MappingStatus[] status = new MappingStatus[ports.Length];
                long[] next = new long[ports.Length];
                for (int i = 0; i < ports.Length; i++)
                {
                    int old = IndexOf(_ports, ports[i]);
                    status[i] = old >= 0 ? _status[old] : new MappingStatus(ports[i], _enabled ? MappingState.Pending : MappingState.Off, MappingMethod.None, 0, 0, 0, _enabled ? "not mapped yet" : "port mapping is off");
                    next[i] = old >= 0 ? _next[old] : 0;
                }

                for (int i = 0; i < _ports.Length; i++)
                {
                    if (IndexOf(ports, _ports[i]) < 0)
                    {
                        Delete(_status[i]);
                    }
                }

                _ports = ports;
                _next = next;
                _status = status;
            }
        }

        /// <summary>Switches mapping on or off; off deletes every mapping made.</summary>
        public void SetEnabled(bool enabled)
        {
            lock (_work)
            {
                if (_enabled == enabled)
                {
                    return;
                }

                _enabled = enabled;
                for (int i = 0; i < _status.Length; i++)
                {
                    if (!enabled)
                    {
                        Delete(_status[i]);
                    }

                    _status[i] = new MappingStatus(_ports[i], enabled ? MappingState.Pending : MappingState.Off, MappingMethod.None, 0, 0, 0, enabled ? "not mapped yet" : "port mapping is off");
                    _next[i] = 0;
                }
            }
        }

        /// <summary>Deletes every mapping made (factory reset, shutdown).</summary>
        public void RemoveAll()
        {
            lock (_work)
            {
                for (int i = 0; i < _status.Length; i++)
                {
                    if (Delete(_status[i]))
                    {
                        _status[i] = new MappingStatus(_ports[i], MappingState.Removed, _status[i].Method, 0, 0, 0, "mapping deleted");
                    }
                }
            }
        }

        /// <summary>Does whatever is due: find the router, ask its address, map or renew ports.</summary>
        public void Refresh()
        {
            lock (_work)
            {
                if (!_enabled || _ports.Length == 0)
                {
                    return; // nothing to map: do not even search the network
                }

                long now = _clock.NowMilliseconds;
                if (_method == MappingMethod.None && now >= _nextDiscovery)
                {
                    Discover(now);
                }

                if (_method == MappingMethod.None)
                {
                    for (int i = 0; i < _status.Length; i++)
                    {
                        if (_status[i].State != MappingState.Failed || _status[i].Message != RouterNote)
                        {
                            _status[i] = new MappingStatus(_ports[i], MappingState.Failed, MappingMethod.None, 0, 0, 0, RouterNote);
                        }
                    }

                    return;
                }

                if (now >= _nextAddress)
                {
                    RefreshAddress(now);
                }

                for (int i = 0; i < _ports.Length && _method != MappingMethod.None; i++)
                {
                    if (now >= _next[i])
                    {
                        MapOne(i, now);
                    }
                }
            }
        }

        /// <summary>
        /// The host for the share link: the configured name when there is one, else the public
        /// address when outside users can reach it, else null (no useful link can be made).
        /// </summary>
        public string ShareHost(string configured)
        {
            if (configured != null && configured.Trim().Length > 0)
            {
                return configured.Trim();
            }

            return AddressKind == AddressKind.Public ? IPv4.ToText(ExternalAddress) : null;
        }

        private void Discover(long now)
        {
            string upnpError = "not tried";
            if (_upnp != null)
            {
                if (_upnp.Discover(_gateway, out upnpError))
                {
                    _method = MappingMethod.Upnp;
                    RouterNote = "UPnP router at " + IPv4.ToText(_upnp.Router);
                    _nextAddress = now;
                    _log.Info("port mapping: " + RouterNote);
                    return;
                }
            }

            string natError = "not tried (the router's address is unknown)";
            if (_natPmp != null)
            {
                NatPmpResult result = _natPmp.GetExternalAddress();
                if (result.Ok)
                {
                    _method = MappingMethod.NatPmp;
                    RouterNote = "NAT-PMP router at " + IPv4.ToText(_gateway);
                    SetAddress(result.ExternalAddress);
                    _nextAddress = now + AddressRefreshMs;
                    _log.Info("port mapping: " + RouterNote);
                    return;
                }

                natError = result.Message;
                if (result.ResultCode == 1 && _pcp != null)
                {
                    // PCP has no address request: the address comes with each MAP answer.
                    _method = MappingMethod.Pcp;
                    RouterNote = "PCP router at " + IPv4.ToText(_gateway);
                    _nextAddress = now + AddressRefreshMs;
                    _log.Info("port mapping: " + RouterNote);
                    return;
                }
            }

            RouterNote = "no router opened ports: UPnP: " + upnpError + "; NAT-PMP: " + natError;
            _nextDiscovery = now + RetryMs;
            SetAddress(0);
            _log.Warn("port mapping: " + RouterNote);
        }

        private void RefreshAddress(long now)
        {
            _nextAddress = now + AddressRefreshMs;
            if (_method == MappingMethod.Upnp)
            {
                UpnpResult result = _upnp.GetExternalAddress();
                if (result.Ok)
                {
                    SetAddress(result.ExternalAddress);
                }
                else if (result.FaultCode == 0)
                {
                    LoseRouter(now, result.Message);
                }
                else
                {
                    SetAddress(0);
                }
            }
            else if (_method == MappingMethod.NatPmp)
            {
                NatPmpResult result = _natPmp.GetExternalAddress();
                if (result.Ok)
                {
                    SetAddress(result.ExternalAddress);
                }
                else if (result.NoAnswer)
                {
                    LoseRouter(now, result.Message);
                }
                else
                {
                    SetAddress(0);
                }
            }
        }

        private void MapOne(int i, long now)
        {
            int port = _ports[i];
            if (_method == MappingMethod.Upnp)
            {
                UpnpResult result = _upnp.AddPortMapping(port, port, UpnpLeaseSeconds, _description + " " + port.ToString());
                if (result.Ok)
                {
                    Mapped(i, now, MappingMethod.Upnp, port, result.LeaseSeconds, "mapped by UPnP");
                    return;
                }

                if (result.FaultCode == 0)
                {
                    Failed(i, now, MappingMethod.Upnp, result.Message);
                    LoseRouter(now, result.Message);
                    return;
                }

                // The router answered but refused: NAT-PMP may still be allowed (some routers
                // switch the two on separately).
                NatPmpResult second = _natPmp == null ? null : _natPmp.MapTcp(port, port, NatPmp.RecommendedLifetime);
                if (second != null && second.Ok)
                {
                    Mapped(i, now, MappingMethod.NatPmp, second.ExternalPort, second.LifetimeSeconds, "mapped by NAT-PMP (UPnP refused: " + result.Message + ")");
                    return;
                }

                if (second != null && second.ResultCode == 1 && _pcp != null)
                {
                    NatPmpResult third = _pcp.MapTcp(port, NatPmp.RecommendedLifetime);
                    if (third.Ok)
                    {
                        Mapped(i, now, MappingMethod.Pcp, third.ExternalPort, third.LifetimeSeconds, "mapped by PCP (UPnP refused: " + result.Message + ")");
                        return;
                    }
                }

                Failed(i, now, MappingMethod.Upnp, result.Message);
                return;
            }

            if (_method == MappingMethod.Pcp)
            {
                NatPmpResult pcp = _pcp.MapTcp(port, NatPmp.RecommendedLifetime);
                if (pcp.Ok)
                {
                    SetAddress(pcp.ExternalAddress);
                }

                Answered(i, now, MappingMethod.Pcp, pcp, "mapped by PCP");
                return;
            }

            Answered(i, now, MappingMethod.NatPmp, _natPmp.MapTcp(port, port, NatPmp.RecommendedLifetime), "mapped by NAT-PMP");
        }

        // A NAT-PMP or PCP answer for port i: mapped, or failed (and the router lost when it did not answer).
        private void Answered(int i, long now, MappingMethod method, NatPmpResult result, string mapped)
        {
            if (result.Ok)
            {
                Mapped(i, now, method, result.ExternalPort, result.LifetimeSeconds, mapped);
                return;
            }

            Failed(i, now, method, result.Message);
            if (result.NoAnswer)
            {
                LoseRouter(now, result.Message);
            }
        }

        private void Mapped(int i, long now, MappingMethod method, int externalPort, int leaseSeconds, string message)
        {
            int port = _ports[i];
            if (externalPort != port)
            {
                message += $"; the router gave outside port {externalPort} instead of {port}: share that port";
            }

            long expires = leaseSeconds > 0 ? now + (leaseSeconds * 1000L) : 0;
            _next[i] = leaseSeconds > 0 ? now + (leaseSeconds * 500L) : now + PermanentRefreshMs;
            if (_status[i].State != MappingState.Mapped)
            {
                _log.Info("port mapping: port " + port.ToString() + " " + message);
            }

            _status[i] = new MappingStatus(port, MappingState.Mapped, method, externalPort, leaseSeconds, expires, message);
        }

        private void Failed(int i, long now, MappingMethod method, string message)
        {
            _next[i] = now + RetryMs;
            if (_status[i].State != MappingState.Failed || _status[i].Message != message)
            {
                _log.Warn("port mapping: port " + _ports[i].ToString() + ": " + message);
            }

            _status[i] = new MappingStatus(_ports[i], MappingState.Failed, method, 0, 0, 0, message);
        }

        private void LoseRouter(long now, string message)
        {
            // The router stopped answering: search again on the next tick.
            _method = MappingMethod.None;
            _nextDiscovery = now;
            RouterNote = "lost contact with the router: " + message;
        }

        private void SetAddress(uint address)
        {
            ExternalAddress = address;
            AddressKind = PublicAddress.Classify(address);
            AddressNote = PublicAddress.Explain(AddressKind);
        }

        private bool Delete(MappingStatus status)
        {
            if (status == null || status.State != MappingState.Mapped)
            {
                return false;
            }

            int port = status.Port;
            string problem;
            if (status.Method == MappingMethod.Upnp && _upnp != null && _upnp.Found)
            {
                port = status.ExternalPort;
                UpnpResult result = _upnp.DeletePortMapping(port);
                problem = result.Ok ? null : result.Message;
            }
            else if (status.Method == MappingMethod.NatPmp && _natPmp != null)
            {
                NatPmpResult result = _natPmp.MapTcp(port, 0, 0);
                problem = result.Ok ? null : result.Message;
            }
            else if (status.Method == MappingMethod.Pcp && _pcp != null)
            {
                NatPmpResult result = _pcp.MapTcp(port, 0);
                problem = result.Ok ? null : result.Message;
            }
            else
            {
                return false;
            }

            if (problem != null)
            {
                _log.Warn("port mapping: cannot delete port " + port.ToString() + ": " + problem);
            }

            return true;
        }

        private static int IndexOf(int[] values, int value)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] == value)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
