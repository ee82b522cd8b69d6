// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
using System;

namespace System.Net.NetworkInformation
{
    public class WirelessAPConfiguration
    {
        public WirelessAPConfiguration(uint id)
        {
            throw new NotSupportedException();
        }

        [Flags]
        public enum ConfigurationOptions : byte
        {
            None = 0,
            Disable = 1,
            Enable = 2,
            AutoStart = 6,
            HiddenSSID = 8,
        }

        public AuthenticationType Authentication
        {
            get { throw new NotSupportedException(); }
            set { throw new NotSupportedException(); }
        }

        public string Password
        {
            get { throw new NotSupportedException(); }
            set { throw new NotSupportedException(); }
        }

        public string Ssid
        {
            get { throw new NotSupportedException(); }
            set { throw new NotSupportedException(); }
        }

        public ConfigurationOptions Options
        {
            get { throw new NotSupportedException(); }
            set { throw new NotSupportedException(); }
        }

        public byte Channel
        {
            get { throw new NotSupportedException(); }
            set { throw new NotSupportedException(); }
        }

        public byte MaxConnections
        {
            get { throw new NotSupportedException(); }
            set { throw new NotSupportedException(); }
        }

        public static WirelessAPConfiguration[] GetAllWirelessAPConfigurations()
        {
            throw new NotSupportedException();
        }

        public void SaveConfiguration()
        {
            throw new NotSupportedException();
        }
    }
}
