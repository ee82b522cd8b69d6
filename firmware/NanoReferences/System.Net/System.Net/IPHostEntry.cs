// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
using System;

namespace System.Net
{
    public class IPHostEntry
    {
        public IPAddress[] AddressList
        {
            get { throw new NotSupportedException(); }
        }
    }
}
