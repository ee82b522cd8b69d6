// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
using System.Reflection;

[assembly: AssemblyTitle("nanoFramework.Hardware.Esp32 (reference declarations)")]
[assembly: AssemblyVersion("1.6.40.0")]
