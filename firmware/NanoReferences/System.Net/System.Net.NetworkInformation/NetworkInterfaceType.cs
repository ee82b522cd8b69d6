// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
namespace System.Net.NetworkInformation
{
    public enum NetworkInterfaceType
    {
        Unknown = 1,
        Ethernet = 6,
        Wireless80211 = 71,
        WirelessAP = 72,
    }
}
