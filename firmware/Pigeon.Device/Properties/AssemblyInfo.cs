using System.Reflection;

[assembly: AssemblyTitle("Pigeon.Device")]
[assembly: AssemblyDescription("Pigeon WhatsApp relay for ESP32 under .NET nanoFramework")]
