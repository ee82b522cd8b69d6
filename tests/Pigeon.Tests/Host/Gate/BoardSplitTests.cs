using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Pigeon.Tests.Host.Gate
{
    /// <summary>
    /// On the board the core is three assemblies (docs/architecture.md): the library
    /// (firmware/Pigeon.Core.Board: everything but Portal/ and Reach/), Reach/ as its own library
    /// (firmware/Pigeon.Reach.Board) and the application (Portal/ and the device code). A library
    /// cannot see what references it, so nothing outside Portal/ may use Pigeon.Portal and nothing
    /// outside Reach/ and Portal/ may use Pigeon.Reach: the .NET build would not notice (the board
    /// build would fail; this says why in plain words).
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

        [TestMethod]
        public void CoreOutsideReachAndPortal_NeverUsesReachNamespace()
        {
            // Reach/ is its own board assembly (firmware/Pigeon.Reach.Board), which references the
            // core library: the core library cannot reference it back. Only the application (Portal/
            // and the device code) uses it.
            string core = CoreFolder();
            string reach = Path.Combine(core, "Reach") + Path.DirectorySeparatorChar;
            string portal = Path.Combine(core, "Portal") + Path.DirectorySeparatorChar;
            Regex use = new Regex(@"\bPigeon\.Reach\b");
            string[] offenders = Directory.GetFiles(core, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.StartsWith(reach) && !f.StartsWith(portal) && !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
                    && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
                .Where(f => use.IsMatch(File.ReadAllText(f)))
                .Select(f => Path.GetRelativePath(core, f))
                .ToArray();
            Assert.AreEqual(0, offenders.Length, "outside Reach/ and Portal/, these use Pigeon.Reach (the core library cannot): " + string.Join(", ", offenders));
        }
    }
}
