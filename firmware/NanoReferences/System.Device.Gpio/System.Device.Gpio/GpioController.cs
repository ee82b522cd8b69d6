// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
namespace System.Device.Gpio
{
    public sealed class GpioController : IDisposable
    {
        public GpioController()
        {
            throw new NotSupportedException();
        }

        public GpioPin OpenPin(int pinNumber, PinMode mode)
        {
            throw new NotSupportedException();
        }

        public void Dispose()
        {
            throw new NotSupportedException();
        }
    }
}
