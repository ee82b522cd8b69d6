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

        /// <summary>
        /// Our own IPv4 address on the way to <paramref name="gateway"/> (what PCP puts in its
        /// header); 0 when unknown. Connecting a UDP socket sends nothing, it only picks a route.
        /// </summary>
        public static uint LocalAddressToward(uint gateway)
        {
            if (gateway == 0)
            {
                return 0;
            }

            try
            {
                using Socket socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                socket.Connect(new IPEndPoint(new IPAddress(new byte[] { (byte)(gateway >> 24), (byte)(gateway >> 16), (byte)(gateway >> 8), (byte)gateway }), 5351));
                return socket.LocalEndPoint is IPEndPoint local ? SocketConnection.FromIPAddress(local.Address) : 0;
            }
            catch (SocketException)
            {
                return 0;
            }
        }
    }
}
