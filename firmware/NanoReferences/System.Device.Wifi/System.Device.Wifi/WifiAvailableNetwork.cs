// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
namespace System.Device.Wifi
{
    public class WifiAvailableNetwork
    {
        public string Ssid
        {
            get { throw new NotSupportedException(); }
        }

        public double NetworkRssiInDecibelMilliwatts
        {
            get { throw new NotSupportedException(); }
        }
    }
}
