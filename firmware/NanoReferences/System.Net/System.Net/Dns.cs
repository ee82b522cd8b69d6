// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
using System;

namespace System.Net
{
    public static class Dns
    {
        public static IPHostEntry GetHostEntry(string hostNameOrAddress)
        {
            throw new NotSupportedException();
        }
    }
}
