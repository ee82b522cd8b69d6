using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("Pigeon.Core")]
[assembly: AssemblyDescription("Pigeon's portable core without Portal, as a board library (.NET nanoFramework)")]
[assembly: AssemblyProduct("Pigeon")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("1.0.0.0")]
