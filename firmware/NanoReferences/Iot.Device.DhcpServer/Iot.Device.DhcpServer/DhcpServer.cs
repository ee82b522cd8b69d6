// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
using System;
using System.Net;

namespace Iot.Device.DhcpServer
{
    public class DhcpServer : IDisposable
    {
        public DhcpServer()
        {
            throw new NotSupportedException();
        }

        public string CaptivePortalUrl
        {
            get { throw new NotSupportedException(); }
            set { throw new NotSupportedException(); }
        }

        public IPAddress DnsServer
        {
            get { throw new NotSupportedException(); }
            set { throw new NotSupportedException(); }
        }

        public IPAddress Gateway
        {
            get { throw new NotSupportedException(); }
            set { throw new NotSupportedException(); }
        }

        public bool Start(IPAddress address, IPAddress mask, ushort timeToLeave = 1200)
        {
            throw new NotSupportedException();
        }

        public void Stop()
        {
            throw new NotSupportedException();
        }

        public void Dispose()
        {
            throw new NotSupportedException();
        }
    }
}
