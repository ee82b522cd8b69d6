namespace Pigeon.Reach
{
    /// <summary>
    /// UPnP error codes (UPnP Device Architecture 2.0 table 3-3; IGD WANIPConnection:2 section
    /// 2.4.16) in plain words for the status page.
    /// </summary>
    public static class UpnpFault
    {
        /// <summary>ConflictInMappingEntry: another device holds the port.</summary>
        public const int ConflictInMappingEntry = 718;

        /// <summary>OnlyPermanentLeasesSupported: retry with lease 0 (IGD:1 routers).</summary>
        public const int OnlyPermanentLeasesSupported = 725;

        /// <summary>NoSuchEntryInArray: nothing to delete (a delete that finds nothing has succeeded).</summary>
        public const int NoSuchEntryInArray = 714;

        /// <summary>The sentence for a fault code.</summary>
        public static string Explain(int code)
        {
            switch (code)
            {
                case 401:
                    return "the router refused: it does not offer this UPnP action (UPnP may be limited in its settings)";
                case 402:
                    return "the router refused the request's values (invalid arguments)";
                case 501:
                    return "the router could not do it (action failed); it may be busy, or UPnP changes are restricted in its settings";
                case 606:
                    return "the router refused: UPnP is off in its settings, or it does not allow devices to open ports";
                case 714:
                    return "the router has no such port mapping";
                case 715:
                case 716:
                case 726:
                case 727:
                case 732:
                    return "the router refused the mapping's form (wildcards not supported)";
                case 718:
                    return "port taken by another device: the router already forwards it elsewhere";
                case 724:
                    return "the router only maps a port to the same port number inside";
                case 725:
                    return "the router only accepts permanent mappings";
                case 728:
                    return "the router has no free port mapping slots left";
                case 729:
                    return "the port is already used by another mechanism on the router (its own service or a manual forward)";
                default:
                    return "the router refused (UPnP error " + code.ToString() + ")";
            }
        }
    }
}
