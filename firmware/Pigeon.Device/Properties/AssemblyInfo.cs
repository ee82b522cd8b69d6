using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("Pigeon.Device")]
[assembly: AssemblyDescription("Pigeon WhatsApp relay for ESP32 under .NET nanoFramework")]
[assembly: AssemblyProduct("Pigeon")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("1.0.0.0")]
