using System;
using System.Net.NetworkInformation;

namespace Pigeon.Device
{
    /// <summary>Finds the board's network interfaces by type (station, soft AP, Ethernet).</summary>
    public static class NetworkInterfaces
    {
        /// <summary>The first interface of <paramref name="type"/>, or null.</summary>
        public static NetworkInterface Find(NetworkInterfaceType type)
        {
            try
            {
                NetworkInterface[] all = NetworkInterface.GetAllNetworkInterfaces();
                for (int i = 0; i < all.Length; i++)
                {
                    if (all[i].NetworkInterfaceType == type)
                    {
                        return all[i];
                    }
                }
            }
            catch (Exception)
            {
                // No network stack in this image: callers treat null as "not present".
            }

            return null;
        }

        /// <summary>True when the interface has an IPv4 address other than 0.0.0.0.</summary>
        public static bool HasAddress(NetworkInterface ni)
        {
            if (ni == null)
            {
                return false;
            }

            string address = ni.IPv4Address;
            return address != null && address.Length >= 7 && address != "0.0.0.0";
        }
    }
}
