// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
namespace System.Device.Wifi
{
    public enum WifiReconnectionKind
    {
        Automatic = 0,
        Manual = 1,
    }
}
