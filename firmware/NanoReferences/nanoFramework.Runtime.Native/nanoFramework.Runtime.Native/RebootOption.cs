// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
namespace nanoFramework.Runtime.Native
{
    public enum RebootOption
    {
        NormalReboot = 0,
        EnterNanoBooter = 1,
        ClrOnly = 2,
        EnterProprietaryBooter = 8,
    }
}
