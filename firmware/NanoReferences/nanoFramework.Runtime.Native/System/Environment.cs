// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
namespace System
{
    public static class Environment
    {
        public static long TickCount64
        {
            get { throw new NotSupportedException(); }
        }
    }
}
