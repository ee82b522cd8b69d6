namespace Pigeon.Reach
{
    /// <summary>
    /// Classifies the external address a router reports and explains in plain words what it means
    /// for the relay (WhatsApp users must reach a public IPv4 address and an open port).
    /// </summary>
    public static class PublicAddress
    {
        /// <summary>The kind of an IPv4 address (packed big-endian, see <see cref="Pigeon.Net.IPv4"/>).</summary>
        public static AddressKind Classify(uint address)
        {
            if (address == 0)
            {
                return AddressKind.None;
            }

            uint a = address >> 24;
            uint b = (address >> 16) & 0xFF;
            if ((address & 0xFFC00000) == 0x64400000)
            {
                return AddressKind.CarrierGradeNat; // 100.64.0.0/10, RFC 6598
            }

            if (a == 10 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168))
            {
                return AddressKind.Private; // RFC 1918
            }

            if (a == 0 || a == 127 || (a == 169 && b == 254) || a >= 224
                || (address & 0xFFFFFF00) == 0xC0000200 // 192.0.2.0/24 TEST-NET-1 (RFC 5737)
                || (address & 0xFFFFFF00) == 0xC6336400 // 198.51.100.0/24 TEST-NET-2
                || (address & 0xFFFFFF00) == 0xCB007100 // 203.0.113.0/24 TEST-NET-3
                || (address & 0xFFFFFF00) == 0xC0000000 // 192.0.0.0/24 IETF protocol assignments
                || (address & 0xFFFE0000) == 0xC6120000) // 198.18.0.0/15 benchmarking (RFC 2544)
            {
                return AddressKind.Unusable;
            }

            return AddressKind.Public;
        }

        /// <summary>One or two plain sentences for the status page.</summary>
        public static string Explain(AddressKind kind)
        {
            switch (kind)
            {
                case AddressKind.Public:
                    return "The router has a public address: WhatsApp users can reach the relay once its ports are mapped.";
                case AddressKind.CarrierGradeNat:
                    return "Your internet provider shares one public address among many customers (carrier-grade NAT, 100.64.0.0/10). "
                        + "The relay cannot be reached from outside on this connection. Ask the provider for a public IPv4 address, or run the relay elsewhere.";
                case AddressKind.Private:
                    return "The router's own internet address is private: it sits behind another router or the provider's NAT. "
                        + "The relay cannot be reached from outside on this connection unless the ports are also forwarded on the outer router.";
                case AddressKind.Unusable:
                    return "The router reports an address that cannot be used on the internet. The relay cannot be reached from outside on this connection.";
                default:
                    return "The router did not report a public address (it may not be online, or it hides it). "
                        + "The relay cannot be reached from outside on this connection until it has one.";
            }
        }

        /// <summary>True when outside users can reach this kind of address.</summary>
        public static bool IsReachable(AddressKind kind)
        {
            return kind == AddressKind.Public;
        }
    }
}
