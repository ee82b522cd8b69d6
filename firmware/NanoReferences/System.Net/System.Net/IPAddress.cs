// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
using System;
using System.Net.Sockets;

namespace System.Net
{
    public class IPAddress
    {
        public static readonly IPAddress Any = null;

        public IPAddress(long newAddress)
        {
            throw new NotSupportedException();
        }

        public AddressFamily AddressFamily
        {
            get { throw new NotSupportedException(); }
        }

        public static IPAddress Parse(string ipString)
        {
            throw new NotSupportedException();
        }

        public byte[] GetAddressBytes()
        {
            throw new NotSupportedException();
        }

        public static bool operator ==(IPAddress a, IPAddress b)
        {
            throw new NotSupportedException();
        }

        public static bool operator !=(IPAddress a, IPAddress b)
        {
            throw new NotSupportedException();
        }

        public override bool Equals(object other)
        {
            throw new NotSupportedException();
        }

        public override int GetHashCode()
        {
            throw new NotSupportedException();
        }
    }
}
