// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
using System;

namespace System.Net.NetworkInformation
{
    public class NetworkInterface
    {
        protected NetworkInterface(int interfaceIndex)
        {
        }

        public string IPv4Address
        {
            get { throw new NotSupportedException(); }
        }

        public string IPv4GatewayAddress
        {
            get { throw new NotSupportedException(); }
        }

        public bool IsDhcpEnabled
        {
            get { throw new NotSupportedException(); }
        }

        public byte[] PhysicalAddress
        {
            get { throw new NotSupportedException(); }
        }

        public NetworkInterfaceType NetworkInterfaceType
        {
            get { throw new NotSupportedException(); }
        }

        public uint SpecificConfigId
        {
            get { throw new NotSupportedException(); }
        }

        public static NetworkInterface[] GetAllNetworkInterfaces()
        {
            throw new NotSupportedException();
        }

        public void EnableDhcp()
        {
            throw new NotSupportedException();
        }

        public void EnableStaticIPv4(string ipv4Address, string ipv4SubnetMask, string ipv4GatewayAddress)
        {
            throw new NotSupportedException();
        }

        public void EnableStaticIPv4Dns(string[] dnsAddresses)
        {
            throw new NotSupportedException();
        }
    }
}
