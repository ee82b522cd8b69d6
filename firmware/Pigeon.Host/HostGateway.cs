using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Pigeon.Sockets;

namespace Pigeon.Host
{
    /// <summary>The default IPv4 gateway of the host (the router NAT-PMP and SSDP answers must come from).</summary>
    public static class HostGateway
    {
        /// <summary>The first IPv4 gateway of an interface that is up; 0 when none.</summary>
        public static uint Find()
        {
            try
            {
                foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
                {
                    if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
                    {
                        continue;
                    }

                    foreach (GatewayIPAddressInformation gateway in nic.GetIPProperties().GatewayAddresses)
                    {
                        IPAddress address = gateway.Address;
                        if (address.AddressFamily == AddressFamily.InterNetwork && !address.Equals(IPAddress.Any))
                        {
                            return SocketConnection.FromIPAddress(address);
                        }
                    }
                }
            }
            catch (NetworkInformationException)
            {
                // No interface information on this platform: NAT-PMP is then not tried.
            }

            return 0;
        }
    }
}
