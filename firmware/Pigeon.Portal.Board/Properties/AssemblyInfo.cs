using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("Pigeon.Portal")]
[assembly: AssemblyDescription("The setup and status portal, as a board library (.NET nanoFramework)")]
[assembly: AssemblyProduct("Pigeon")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("1.0.0.0")]
