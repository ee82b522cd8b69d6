// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
namespace System.Collections
{
    public class Hashtable : IEnumerable
    {
        public Hashtable()
        {
            throw new NotSupportedException();
        }

        public IEnumerator GetEnumerator()
        {
            throw new NotSupportedException();
        }
    }
}
