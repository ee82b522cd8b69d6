// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Portal;
using Pigeon.Relay;

namespace Pigeon.Tests.Portal
{
    /// <summary>An in-memory <see cref="IPortalBackend"/> for the API tests (plain-text password: tests only).</summary>
    public sealed class FakePortalBackend : IPortalBackend, IClock, IRandomBytes
    {
        private PigeonConfig _config = ConfigDefaults.Create(true);
        private string _password;
        private int _randomCounter;

        /// <summary>Saves that reached the store.</summary>
        public int Saves { get; private set; }

        /// <summary>Factory resets done.</summary>
        public int Resets { get; private set; }

        /// <summary>The stored config itself (tests read it; the API only gets copies).</summary>
        public PigeonConfig Stored
        {
            get { return _config; }
        }

        /// <summary>The scan list returned.</summary>
        public WifiNetwork[] Networks { get; set; }

        /// <summary>The clock's time (ms), moved by tests.</summary>
        public long Now { get; set; }

        /// <inheritdoc />
        public long NowMilliseconds
        {
            get { return Now; }
        }

        /// <inheritdoc />
        public bool IsAdminPasswordSet
        {
            get { return _password != null; }
        }

        /// <inheritdoc />
        public bool WifiScanIsFake
        {
            get { return false; }
        }

        /// <inheritdoc />
        public bool IsSetupMode { get; set; }

        /// <inheritdoc />
        public RelayServer Relay
        {
            get { return null; }
        }

        /// <inheritdoc />
        public int WifiRssi
        {
            get { return -60; }
        }

        /// <inheritdoc />
        public string BestAddress
        {
            get { return "192.168.1.20"; }
        }

        /// <inheritdoc />
        public PigeonConfig LoadConfig()
        {
            return Copy(_config);
        }

        /// <inheritdoc />
        public bool SaveConfig(PigeonConfig config, FieldErrors errors)
        {
            if (config.Network != null && config.Network.PublicHost == "refused.example")
            {
                errors.Add("network.publicHost", "refused by the store");
                return false;
            }

            _config = Copy(config);
            Saves++;
            return true;
        }

        /// <inheritdoc />
        public void FactoryReset()
        {
            _config = ConfigDefaults.Create(true);
            _password = null;
            Resets++;
        }

        /// <inheritdoc />
        public bool SetAdminPassword(string password, FieldErrors errors)
        {
            _password = password;
            return true;
        }

        /// <inheritdoc />
        public bool VerifyAdminPassword(string password)
        {
            return _password != null && password == _password;
        }

        /// <inheritdoc />
        public int ScanWifi(WifiNetwork[] into)
        {
            if (Networks == null)
            {
                return 0;
            }

            int n = Networks.Length < into.Length ? Networks.Length : into.Length;
            for (int i = 0; i < n; i++)
            {
                into[i] = Networks[i];
            }

            return n;
        }

        /// <inheritdoc />
        public void Fill(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = (byte)((_randomCounter++ * 73) + 11); // distinct tokens, deterministic
            }
        }

        private static PigeonConfig Copy(PigeonConfig c)
        {
            PigeonConfig copy = ConfigDefaults.Create(true);
            copy.Wifi.Ssid = c.Wifi.Ssid;
            copy.Wifi.Password = c.Wifi.Password;
            copy.SetupAp.Ssid = c.SetupAp.Ssid;
            copy.SetupAp.Password = c.SetupAp.Password;
            copy.SetupAp.Channel = c.SetupAp.Channel;
            copy.Network.PublicHost = c.Network.PublicHost;
            copy.Network.PortMapping = c.Network.PortMapping;
            copy.Network.DynDnsUrl = c.Network.DynDnsUrl;
            copy.Network.DynDnsUser = c.Network.DynDnsUser;
            copy.Network.DynDnsPassword = c.Network.DynDnsPassword;
            copy.Portal.ListenAddress = c.Portal.ListenAddress;
            copy.Portal.Port = c.Portal.Port;
            RouteConfig[] routes = new RouteConfig[c.Relay.Routes.Length];
            for (int i = 0; i < routes.Length; i++)
            {
                RouteConfig r = c.Relay.Routes[i];
                routes[i] = ConfigDefaults.NewRoute();
                routes[i].Name = r.Name;
                routes[i].ListenPort = r.ListenPort;
                routes[i].UpstreamHost = r.UpstreamHost;
                routes[i].UpstreamPort = r.UpstreamPort;
                routes[i].FallbackHost = r.FallbackHost;
                routes[i].ProxyProtocol = r.ProxyProtocol;
                routes[i].AllowedSni = r.AllowedSni;
            }

            copy.Relay.Routes = routes;
            return copy;
        }
    }
}
