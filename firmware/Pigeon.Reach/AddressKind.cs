namespace Pigeon.Reach
{
    /// <summary>What an external address reported by the router says about reachability.</summary>
    public enum AddressKind
    {
        /// <summary>No address reported (0.0.0.0, or the router did not say).</summary>
        None = 0,

        /// <summary>A public IPv4 address: the relay can be reached once its ports are mapped.</summary>
        Public = 1,

        /// <summary>100.64.0.0/10 (RFC 6598): carrier-grade NAT, the provider's shared space.</summary>
        CarrierGradeNat = 2,

        /// <summary>10/8, 172.16/12, 192.168/16 (RFC 1918): the router is itself behind another router.</summary>
        Private = 3,

        /// <summary>Loopback, link-local, multicast, reserved, documentation or "this network" space.</summary>
        Unusable = 4,
    }
}
