using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Pigeon.Tests.Host.Gate
{
    /// <summary>
    /// On the board firmware/Pigeon.Core is two assemblies (docs/architecture.md): the library
    /// (firmware/Pigeon.Core.Board: everything but Reach/) and Reach/ as its own library
    /// (firmware/Pigeon.Reach.Board), which references the first. On the host both are one
    /// assembly, so the .NET build would not notice code outside Reach/ using Pigeon.Reach (the
    /// board build would fail; this says why in plain words). The portal is its own project
    /// (firmware/Pigeon.Portal) on both, so the compiler already keeps the core from using it.
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
        public void CoreOutsideReach_NeverUsesReachNamespace()
        {
            string core = CoreFolder();
            string reach = Path.Combine(core, "Reach") + Path.DirectorySeparatorChar;
            Regex use = new Regex(@"\bPigeon\.Reach\b");
            string[] files = Directory.GetFiles(core, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
                    && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
                .ToArray();
            Assert.IsTrue(files.Any(f => f.StartsWith(reach)), "Reach/ holds sources");
            string[] offenders = files
                .Where(f => !f.StartsWith(reach))
                .Where(f => use.IsMatch(File.ReadAllText(f)))
                .Select(f => Path.GetRelativePath(core, f))
                .ToArray();
            Assert.AreEqual(0, offenders.Length, "outside Reach/, these use Pigeon.Reach (the core library cannot): " + string.Join(", ", offenders));
        }

        [TestMethod]
        public void Core_HasNoPortalFolder()
        {
            // The portal's sources live in firmware/Pigeon.Portal (folder = assembly); a Portal/
            // here would be compiled into the core library as well.
            Assert.IsFalse(Directory.Exists(Path.Combine(CoreFolder(), "Portal")), "firmware/Pigeon.Core/Portal/ exists again");
        }
    }
}
