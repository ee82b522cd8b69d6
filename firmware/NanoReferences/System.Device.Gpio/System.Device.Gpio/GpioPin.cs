// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
namespace System.Device.Gpio
{
    public sealed class GpioPin : IDisposable
    {
        private GpioPin()
        {
        }

        public PinValue Read()
        {
            throw new NotSupportedException();
        }

        public void Write(PinValue value)
        {
            throw new NotSupportedException();
        }

        public void Dispose()
        {
            throw new NotSupportedException();
        }
    }
}
