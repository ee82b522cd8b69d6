// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
namespace System.IO
{
    public static class File
    {
        public static bool Exists(string path)
        {
            throw new NotSupportedException();
        }

        public static void Delete(string path)
        {
            throw new NotSupportedException();
        }

        public static void Move(string sourceFileName, string destFileName)
        {
            throw new NotSupportedException();
        }
    }
}
