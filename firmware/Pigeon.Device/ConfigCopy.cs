using Pigeon.Config;

namespace Pigeon.Device
{
    /// <summary>
    /// A deep copy of the config, so the portal can change the copy it loaded (IPortalBackend's
    /// contract) without touching the running config. Field by field: nanoFramework has no
    /// serializer in mscorlib. Follows firmware/Pigeon.Core/Config: a new field must be added here
    /// (the config store's own copy replaces this once it lands, docs/device.md).
    /// </summary>
    public static class ConfigCopy
    {
        /// <summary>The copy; sections missing in <paramref name="c"/> stay null.</summary>
        public static PigeonConfig Of(PigeonConfig c)
        {
            PigeonConfig copy = new PigeonConfig();
            copy.SchemaVersion = c.SchemaVersion;
            if (c.Wifi != null)
            {
                copy.Wifi = new WifiConfig();
                copy.Wifi.Ssid = c.Wifi.Ssid;
                copy.Wifi.Password = c.Wifi.Password;
                copy.Wifi.StaticAddress = c.Wifi.StaticAddress;
                copy.Wifi.StaticNetmask = c.Wifi.StaticNetmask;
                copy.Wifi.StaticGateway = c.Wifi.StaticGateway;
                copy.Wifi.StaticDns = c.Wifi.StaticDns;
            }

            if (c.SetupAp != null)
            {
                copy.SetupAp = new SetupApConfig();
                copy.SetupAp.Ssid = c.SetupAp.Ssid;
                copy.SetupAp.Password = c.SetupAp.Password;
                copy.SetupAp.Channel = c.SetupAp.Channel;
            }

            if (c.Admin != null)
            {
                copy.Admin = new AdminConfig();
                copy.Admin.PasswordHash = c.Admin.PasswordHash;
                copy.Admin.PasswordSalt = c.Admin.PasswordSalt;
            }

            if (c.Relay != null)
            {
                RelayConfig r = new RelayConfig();
                r.MaxSessions = c.Relay.MaxSessions;
                r.BufferBytes = c.Relay.BufferBytes;
                r.MaxHelloBytes = c.Relay.MaxHelloBytes;
                r.HelloTimeoutSeconds = c.Relay.HelloTimeoutSeconds;
                r.ConnectTimeoutSeconds = c.Relay.ConnectTimeoutSeconds;
                r.IdleTimeoutSeconds = c.Relay.IdleTimeoutSeconds;
                r.DrainMilliseconds = c.Relay.DrainMilliseconds;
                r.DnsCacheSeconds = c.Relay.DnsCacheSeconds;
                RouteConfig[] routes = c.Relay.Routes ?? new RouteConfig[0];
                r.Routes = new RouteConfig[routes.Length];
                for (int i = 0; i < routes.Length; i++)
                {
                    r.Routes[i] = Route(routes[i]);
                }

                copy.Relay = r;
            }

            if (c.Time != null)
            {
                copy.Time = new TimeConfig();
                copy.Time.NtpServers = Strings(c.Time.NtpServers);
            }

            if (c.Portal != null)
            {
                copy.Portal = new PortalConfig();
                copy.Portal.ListenAddress = c.Portal.ListenAddress;
                copy.Portal.Port = c.Portal.Port;
            }

            if (c.Network != null)
            {
                copy.Network = new NetworkConfig();
                copy.Network.PublicHost = c.Network.PublicHost;
                copy.Network.PortMapping = c.Network.PortMapping;
                copy.Network.DynDnsUrl = c.Network.DynDnsUrl;
                copy.Network.DynDnsUser = c.Network.DynDnsUser;
                copy.Network.DynDnsPassword = c.Network.DynDnsPassword;
            }

            return copy;
        }

        private static RouteConfig Route(RouteConfig s)
        {
            if (s == null)
            {
                return null;
            }

            RouteConfig r = new RouteConfig();
            r.Name = s.Name;
            r.ListenAddress = s.ListenAddress;
            r.ListenPort = s.ListenPort;
            r.UpstreamHost = s.UpstreamHost;
            r.UpstreamPort = s.UpstreamPort;
            r.FallbackHost = s.FallbackHost;
            r.ProxyProtocol = s.ProxyProtocol;
            r.AllowedSni = Strings(s.AllowedSni);
            r.UpstreamFromSni = s.UpstreamFromSni;
            r.AllowTls = s.AllowTls;
            return r;
        }

        private static string[] Strings(string[] s)
        {
            if (s == null)
            {
                return null;
            }

            string[] copy = new string[s.Length];
            for (int i = 0; i < s.Length; i++)
            {
                copy[i] = s[i];
            }

            return copy;
        }
    }
}
