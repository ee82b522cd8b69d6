using System;
using System.Net;
using System.Net.Sockets;
using Pigeon.Net;
using Pigeon.Sockets;

namespace Pigeon.Host
{
    /// <summary>Upstream names through the OS resolver; the first IPv4 answer is used.</summary>
    public sealed class HostResolver : IResolver
    {
        /// <inheritdoc />
        public bool TryResolve(string host, out uint ipv4)
        {
            ipv4 = 0;
            try
            {
                IPAddress[] addresses = Dns.GetHostAddresses(host, AddressFamily.InterNetwork);
                for (int i = 0; i < addresses.Length; i++)
                {
                    ipv4 = SocketConnection.FromIPAddress(addresses[i]);
                    if (ipv4 != 0)
                    {
                        return true;
                    }
                }
            }
            catch (Exception)
            {
                // not found, or no network
            }

            return false;
        }
    }
}
