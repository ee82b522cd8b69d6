using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("NFUnitTest")]
[assembly: AssemblyDescription("Pigeon's shared core tests and board-only tests under nanoFramework.TestFramework")]
[assembly: AssemblyProduct("Pigeon")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("1.0.0.0")]
