using System.Reflection;

[assembly: AssemblyTitle("Pigeon.Reach")]
[assembly: AssemblyDescription("Pigeon's reachability (Reach/), as a board library (.NET nanoFramework)")]
