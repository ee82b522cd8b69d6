// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
namespace System.Device.Wifi
{
    public enum WifiConnectionStatus
    {
        AccessRevoked = 0,
        InvalidCredential = 1,
        NetworkNotAvailable = 2,
        Success = 3,
        Timeout = 4,
        UnspecifiedFailure = 5,
        UnsupportedAuthenticationProtocol = 6,
    }
}
