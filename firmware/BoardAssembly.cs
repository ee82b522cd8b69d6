// One version and product for every board assembly (linked into each .nfproj; their own
// Properties/AssemblyInfo.cs say only what each assembly is). The board assemblies reference
// one another by name and version, so they are versioned together, here.
using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyProduct("Pigeon")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("1.0.0.0")]
