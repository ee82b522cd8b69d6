using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Pigeon.Tests.Host.Gate
{
    /// <summary>
    /// On the board the core is two assemblies (docs/architecture.md): the library
    /// (firmware/Pigeon.Core.Board: everything but Portal/) and the application (Portal/ and the
    /// device code). The library cannot see the application, so nothing outside Portal/ may use
    /// the Pigeon.Portal namespace: the .NET build would not notice, the board build would fail.
    /// </summary>
    [TestClass]
    public class BoardSplitTests
    {
        private static string CoreFolder()
        {
            string root = typeof(BoardSplitTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .First(a => a.Key == "RepoRoot").Value;
            return Path.GetFullPath(Path.Combine(root, "firmware", "Pigeon.Core"));
        }

        [TestMethod]
        public void CoreOutsidePortal_NeverUsesPortalNamespace()
        {
            string core = CoreFolder();
            string portal = Path.Combine(core, "Portal") + Path.DirectorySeparatorChar;
            Regex use = new Regex(@"\bPigeon\.Portal\b");
            string[] offenders = Directory.GetFiles(core, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.StartsWith(portal) && !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
                    && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
                .Where(f => use.IsMatch(File.ReadAllText(f)))
                .Select(f => Path.GetRelativePath(core, f))
                .ToArray();
            Assert.AreEqual(0, offenders.Length, "outside Portal/, these use Pigeon.Portal (the board library cannot): " + string.Join(", ", offenders));
        }
    }
}
