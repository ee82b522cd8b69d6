using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Relay;
using Pigeon.Tests.Host.Hardware;

namespace Pigeon.Tests.Host.Gate
{
    /// <summary>
    /// docs/architecture.md tells a newcomer where to make a change ("How to add a client
    /// protocol", "How to add an upstream protocol", "Sharing the sessions", the data path): every
    /// name it gives in backquotes must still exist, so a rename that leaves the guide behind fails
    /// here rather than misleading the next reader.
    /// </summary>
    [TestClass]
    public class ArchitectureDocTests
    {
        private static readonly string[] s_checkedSections =
        {
            "## The data path", "### How to add a client protocol", "### How to add an upstream protocol", "### Sharing the sessions",
        };

        [TestMethod]
        public void GuideSections_NameOnlyWhatExists()
        {
            string root = BoardProfileTests.RepoRoot();
            string doc = File.ReadAllText(Path.Combine(root, "docs", "architecture.md"));
            Names names = new Names(root);
            List<string> missing = new List<string>();
            int checkedCount = 0;
            foreach (string heading in s_checkedSections)
            {
                string section = Section(doc, heading);
                Assert.IsNotNull(section, "docs/architecture.md has no section \"" + heading + "\"");
                foreach (Match m in Regex.Matches(section, "`([^`\\s]+)`"))
                {
                    string token = m.Groups[1].Value;
                    bool? found = names.Resolve(token);
                    if (found == null)
                    {
                        continue; // not a name (a number, a byte pattern, a command)
                    }

                    checkedCount++;
                    if (found == false)
                    {
                        missing.Add(heading + ": `" + token + "`");
                    }
                }
            }

            Assert.IsTrue(checkedCount >= 30, "only " + checkedCount + " names checked: the sections lost their names, or the test its way of finding them");
            Assert.AreEqual(0, missing.Count, "docs/architecture.md names what the code no longer has:\n" + string.Join("\n", missing));
        }

        [TestMethod]
        public void Names_RefuseWhatDoesNotExist()
        {
            Names names = new Names(BoardProfileTests.RepoRoot());
            Assert.AreEqual(false, names.Resolve("UpstreamDialer.Dial"));
            Assert.AreEqual(false, names.Resolve("Upstream/Dialer"));
            Assert.AreEqual(false, names.Resolve("NoSuchStep"));
            Assert.AreEqual(false, names.Resolve("signalHost"));
            Assert.AreEqual(true, names.Resolve("UpstreamDialer.WriteOpening"));
            Assert.AreEqual(true, names.Resolve("Relay/Admission"));
            Assert.AreEqual(true, names.Resolve("client_limit"));
        }

        // The text from a heading to the next heading of the same or a higher level.
        private static string Section(string doc, string heading)
        {
            int start = doc.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
            if (start < 0)
            {
                return null;
            }

            string level = heading.Substring(0, heading.IndexOf(' ') + 1);
            Match next = new Regex("\n#{1," + (level.Length - 1) + "} ").Match(doc, start + heading.Length + 1);
            return next.Success ? doc.Substring(start, next.Index - start) : doc.Substring(start);
        }

        private sealed class Names
        {
            private readonly string[] _folders;
            private readonly Type[] _types;
            private readonly HashSet<string> _platformTypes = new HashSet<string>(StringComparer.Ordinal);
            private readonly HashSet<string> _members = new HashSet<string>(StringComparer.Ordinal);
            private readonly HashSet<string> _parameters = new HashSet<string>(StringComparer.Ordinal);
            private readonly string _configSource;
            private readonly string _counterSource;
            private readonly string _abuseCases;

            public Names(string root)
            {
                string core = Path.Combine(root, "firmware", "Pigeon.Core");
                _folders = new[] { core, Path.Combine(root, "firmware"), Path.Combine(root, "tests", "Pigeon.Tests"), root };

                // Ours (with their members), and the platform's types the guide mentions (with the
                // members of the two it names calls of).
                _types = new[] { typeof(RelaySession).Assembly, typeof(Pigeon.Host.HostApp).Assembly, typeof(ArchitectureDocTests).Assembly }
                    .SelectMany(a => a.GetTypes()).Concat(new[] { typeof(System.Net.Sockets.Socket), typeof(System.Net.Security.SslStream) }).ToArray();
                foreach (Type type in typeof(System.Net.Sockets.Socket).Assembly.GetExportedTypes().Concat(typeof(System.Threading.Interlocked).Assembly.GetExportedTypes()))
                {
                    _platformTypes.Add(type.Name);
                }

                foreach (Type type in _types)
                {
                    foreach (MemberInfo member in type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
                    {
                        _members.Add(member.Name);
                        if (member is MethodBase method)
                        {
                            foreach (ParameterInfo p in method.GetParameters())
                            {
                                _parameters.Add(p.Name);
                            }
                        }
                    }
                }

                _configSource = File.ReadAllText(Path.Combine(core, "Config", "ConfigMapper.cs"));
                _counterSource = string.Concat(Directory.GetFiles(Path.Combine(core, "Counters"), "*.cs").Select(File.ReadAllText));
                _abuseCases = File.ReadAllText(Path.Combine(root, "tests", "Pigeon.Abuse", "Program.cs"));
            }

            // True or false for a name; null for what is not a name at all.
            public bool? Resolve(string token)
            {
                if (!Regex.IsMatch(token, "^[A-Za-z][A-Za-z0-9_./]*$") || token.Contains("..") || token.EndsWith(".md", StringComparison.Ordinal))
                {
                    return null;
                }

                if (token.Contains('/'))
                {
                    string relative = token.TrimEnd('/').Replace('/', Path.DirectorySeparatorChar);
                    return _folders.Any(folder => Directory.Exists(Path.Combine(folder, relative)) || File.Exists(Path.Combine(folder, relative + ".cs")));
                }

                int dot = token.IndexOf('.');
                if (dot > 0)
                {
                    string typeName = token.Substring(0, dot);
                    string member = token.Substring(dot + 1);
                    Type[] owners = _types.Where(t => t.Name == typeName).ToArray();
                    return owners.Length > 0 && owners.Any(t => t.GetMember(member, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static).Length > 0);
                }

                if (char.IsUpper(token[0]))
                {
                    return _types.Any(t => t.Name == token) || _members.Contains(token) || _platformTypes.Contains(token);
                }

                // Lowercase: a config key, a counter's label (snake_case in metrics, camelCase in
                // the counters), an abuse case, or a parameter's name.
                string camel = Regex.Replace(token, "_([a-z])", x => x.Groups[1].Value.ToUpperInvariant());
                return _configSource.Contains("\"" + token + "\"", StringComparison.Ordinal)
                    || _counterSource.Contains("\"" + camel + "\"", StringComparison.Ordinal)
                    || _abuseCases.Contains("\"" + token + "\"", StringComparison.Ordinal)
                    || _parameters.Contains(token);
            }
        }
    }
}
