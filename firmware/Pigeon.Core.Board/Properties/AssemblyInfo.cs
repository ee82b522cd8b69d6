using System.Reflection;

[assembly: AssemblyTitle("Pigeon.Core")]
[assembly: AssemblyDescription("Pigeon's portable core without Portal, as a board library (.NET nanoFramework)")]
