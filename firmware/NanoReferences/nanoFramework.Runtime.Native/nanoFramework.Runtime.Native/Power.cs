// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
using System;

namespace nanoFramework.Runtime.Native
{
    public class Power
    {
        public static void RebootDevice(RebootOption rebootOption = RebootOption.NormalReboot)
        {
            throw new NotSupportedException();
        }
    }
}
