// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
using System;

namespace nanoFramework.Runtime.Native
{
    public static class GC
    {
        public static uint Run(bool compactHeap)
        {
            throw new NotSupportedException();
        }
    }
}
