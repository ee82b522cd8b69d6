namespace Pigeon.Reach
{
    /// <summary>How a port was (or would be) opened on the router.</summary>
    public enum MappingMethod
    {
        /// <summary>Not known yet, or no router protocol answered.</summary>
        None = 0,

        /// <summary>UPnP IGD (WANIPConnection / WANPPPConnection AddPortMapping).</summary>
        Upnp = 1,

        /// <summary>NAT-PMP (RFC 6886).</summary>
        NatPmp = 2,

        /// <summary>PCP (RFC 6887), MAP opcode; for routers that answer NAT-PMP with "unsupported version".</summary>
        Pcp = 3,
    }
}
