using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Pigeon.Tests.Host.Gate
{
    /// <summary>
    /// One assembly that runs on the board: the output of an .nfproj under firmware/ or tests/,
    /// compiled SDK-style against nanoFramework's mscorlib with every test build (Pigeon.Tests.csproj
    /// lists them in the BoardAssembly metadata).
    /// </summary>
    public sealed class BoardAssembly
    {
        private BoardAssembly(string project, string path)
        {
            Project = project;
            Path = path;
        }

        /// <summary>The .nfproj, relative to the repository root ("firmware/Pigeon.Device/Pigeon.Device.nfproj").</summary>
        public string Project { get; }

        /// <summary>The compiled assembly.</summary>
        public string Path { get; }

        /// <summary>The assembly's name from its metadata.</summary>
        public string Name
        {
            get
            {
                using PEReader pe = new PEReader(File.OpenRead(Path));
                MetadataReader md = pe.GetMetadataReader();
                return md.GetString(md.GetAssemblyDefinition().Name);
            }
        }

        /// <summary>"Name (project)" for messages.</summary>
        public override string ToString() => Name + " (" + Project + ")";

        /// <summary>Every board assembly of this build; fails when one is missing.</summary>
        public static IReadOnlyList<BoardAssembly> All()
        {
            string root = System.IO.Path.GetFullPath(Pigeon.Tests.Host.Hardware.BoardProfileTests.RepoRoot());
            List<BoardAssembly> list = new List<BoardAssembly>();
            foreach (AssemblyMetadataAttribute a in typeof(BoardAssembly).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Where(a => a.Key == "BoardAssembly"))
            {
                string[] parts = a.Value!.Split('|');
                string project = System.IO.Path.GetRelativePath(root, parts[0]).Replace('\\', '/');
                Assert.IsTrue(File.Exists(parts[1]), "the board build of " + project + " is missing: " + parts[1]);
                list.Add(new BoardAssembly(project, parts[1]));
            }

            Assert.IsTrue(list.Count >= 4, "the build lists " + list.Count + " board assemblies (Pigeon.Tests.csproj, BoardProject)");
            return list.OrderBy(b => b.Project, StringComparer.Ordinal).ToList();
        }

        /// <summary>The board assemblies for [DynamicData]: the project path of each.</summary>
        public static IEnumerable<object[]> Projects() => All().Select(b => new object[] { b.Project });

        /// <summary>The board assembly built from <paramref name="project"/>.</summary>
        public static BoardAssembly Of(string project) => All().Single(b => b.Project == project);
    }
}
