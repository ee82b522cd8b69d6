// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
namespace System.Security.Cryptography
{
    public class HMACSHA256 : IDisposable
    {
        public static byte[] HashData(byte[] key, byte[] source)
        {
            throw new NotSupportedException();
        }

        public void Dispose()
        {
            throw new NotSupportedException();
        }
    }
}
