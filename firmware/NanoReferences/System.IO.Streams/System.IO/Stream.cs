// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
namespace System.IO
{
    public abstract class Stream : MarshalByRefObject, IDisposable
    {
        protected Stream()
        {
        }

        public abstract long Length { get; }

        public abstract void Flush();

        public abstract int Read(byte[] buffer, int offset, int count);

        public abstract void Write(byte[] buffer, int offset, int count);

        public void Dispose()
        {
            throw new NotSupportedException();
        }
    }
}
