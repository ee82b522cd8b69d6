// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
namespace System.Collections
{
    public class DictionaryEntry
    {
        public object Key;

        public object Value;

        public DictionaryEntry(object key, object value)
        {
            throw new NotSupportedException();
        }
    }
}
