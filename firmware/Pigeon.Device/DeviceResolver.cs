using System;
using System.Net;
using System.Net.Sockets;
using Pigeon.Net;

namespace Pigeon.Device
{
    /// <summary>
    /// IPv4 look-ups through lwIP's resolver (System.Net Dns.GetHostEntry). The relay's DnsCache
    /// calls this rarely; a failure is a value, never an exception.
    /// </summary>
    public sealed class DeviceResolver : IResolver
    {
        /// <inheritdoc />
        public bool TryResolve(string host, out uint ipv4)
        {
            ipv4 = 0;
            if (host == null || host.Length == 0)
            {
                return false;
            }

            try
            {
                IPHostEntry entry = Dns.GetHostEntry(host);
                IPAddress[] list = entry == null ? null : entry.AddressList;
                if (list == null)
                {
                    return false;
                }

                for (int i = 0; i < list.Length; i++)
                {
                    if (list[i] != null && list[i].AddressFamily == AddressFamily.InterNetwork)
                    {
                        byte[] b = list[i].GetAddressBytes();
                        ipv4 = ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
                        return true;
                    }
                }
            }
            catch (Exception)
            {
                // SocketException (no network, NXDOMAIN): the caller retries or refuses.
            }

            return false;
        }
    }
}
