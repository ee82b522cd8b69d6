// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
namespace System.Device.Wifi
{
    public sealed class WifiAdapter : IDisposable
    {
        private WifiAdapter()
        {
        }

        public event AvailableNetworksChangedEventHandler AvailableNetworksChanged
        {
            add { throw new NotSupportedException(); }
            remove { throw new NotSupportedException(); }
        }

        public WifiNetworkReport NetworkReport
        {
            get { throw new NotSupportedException(); }
        }

        public static WifiAdapter[] FindAllAdapters()
        {
            throw new NotSupportedException();
        }

        public WifiConnectionResult Connect(string ssid, WifiReconnectionKind reconnectionKind, string passwordCredential)
        {
            throw new NotSupportedException();
        }

        public void ScanAsync()
        {
            throw new NotSupportedException();
        }

        public void Dispose()
        {
            throw new NotSupportedException();
        }
    }
}
