using System.Reflection;

[assembly: AssemblyTitle("Pigeon.Portal")]
[assembly: AssemblyDescription("The setup and status portal, as a board library (.NET nanoFramework)")]
