// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
namespace System.Net.Sockets
{
    public enum SocketOptionLevel
    {
        Socket = 65535,
        Tcp = 6,
    }
}
