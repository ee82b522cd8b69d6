using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("Pigeon.Reach")]
[assembly: AssemblyDescription("Pigeon's reachability (Reach/), as a board library (.NET nanoFramework)")]
[assembly: AssemblyProduct("Pigeon")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("1.0.0.0")]
