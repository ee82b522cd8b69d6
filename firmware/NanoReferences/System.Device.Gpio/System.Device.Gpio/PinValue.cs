// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
namespace System.Device.Gpio
{
    public struct PinValue
    {
        public static PinValue High
        {
            get { throw new NotSupportedException(); }
        }

        public static PinValue Low
        {
            get { throw new NotSupportedException(); }
        }

        public static bool operator ==(PinValue a, PinValue b)
        {
            throw new NotSupportedException();
        }

        public static bool operator !=(PinValue a, PinValue b)
        {
            throw new NotSupportedException();
        }

        public override bool Equals(object obj)
        {
            throw new NotSupportedException();
        }

        public override int GetHashCode()
        {
            throw new NotSupportedException();
        }
    }
}
