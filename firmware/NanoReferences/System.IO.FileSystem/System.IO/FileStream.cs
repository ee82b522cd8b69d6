// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
namespace System.IO
{
    public class FileStream : Stream
    {
        public FileStream(string path, FileMode mode, FileAccess access)
        {
            throw new NotSupportedException();
        }

        public override long Length
        {
            get { throw new NotSupportedException(); }
        }

        public override void Flush()
        {
            throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            throw new NotSupportedException();
        }
    }
}
