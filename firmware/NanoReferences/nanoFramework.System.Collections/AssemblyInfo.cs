// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
using System.Reflection;

[assembly: AssemblyTitle("nanoFramework.System.Collections (reference declarations)")]
[assembly: AssemblyVersion("1.5.75.0")]
