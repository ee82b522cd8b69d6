// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
using System;

namespace System.Net
{
    public class IPEndPoint : EndPoint
    {
        public IPEndPoint(IPAddress address, int port)
        {
            throw new NotSupportedException();
        }

        public IPAddress Address
        {
            get { throw new NotSupportedException(); }
        }

        public int Port
        {
            get { throw new NotSupportedException(); }
        }
    }
}
