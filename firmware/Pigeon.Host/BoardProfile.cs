using System;
using System.IO;
using System.Linq;
using Pigeon.Json;

namespace Pigeon.Host
{
    /// <summary>
    /// A board profile (hardware/boards/NAME.json, copied beside Pigeon.Host at build time): the
    /// facts the session budget needs, for `config check --board NAME`.
    /// </summary>
    public sealed class BoardProfile
    {
        private BoardProfile(string name, string displayName, string target, int maxSockets, int managedHeapKB)
        {
            Name = name;
            DisplayName = displayName;
            Target = target;
            MaxSockets = maxSockets;
            ManagedHeapKB = managedHeapKB;
        }

        /// <summary>The profile name (flash.ps1 -Board).</summary>
        public string Name { get; }

        /// <summary>The board's name for people.</summary>
        public string DisplayName { get; }

        /// <summary>nanoff --target.</summary>
        public string Target { get; }

        /// <summary>lwIP sockets in the firmware image.</summary>
        public int MaxSockets { get; }

        /// <summary>The managed heap the profile plans for (an estimate; the board measures its own).</summary>
        public int ManagedHeapKB { get; }

        /// <summary>Where the Debian package installs the profiles (a binary in /usr/bin has nothing beside it).</summary>
        public const string PackageFolder = "/usr/share/pigeon/boards";

        /// <summary>
        /// Where the profiles are: hardware/boards beside this program (a build, the tarball, the
        /// zip), else the package's folder.
        /// </summary>
        public static string Folder
        {
            get
            {
                string beside = Path.Combine(AppContext.BaseDirectory, "hardware", "boards");
                return Directory.Exists(beside) || !Directory.Exists(PackageFolder) ? beside : PackageFolder;
            }
        }

        /// <summary>The profile called <paramref name="name"/>; null with a reason naming the known boards.</summary>
        public static BoardProfile Load(string name, out string error)
        {
            error = null;
            string[] known = Directory.Exists(Folder)
                ? Directory.GetFiles(Folder, "*.json").Select(Path.GetFileNameWithoutExtension).OrderBy(n => n, StringComparer.Ordinal).ToArray()!
                : new string[0];
            if (string.IsNullOrEmpty(name) || !known.Contains(name, StringComparer.Ordinal))
            {
                error = "unknown board \"" + name + "\"; known boards: " + (known.Length == 0 ? "none found in " + Folder : string.Join(", ", known));
                return null;
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(Path.Combine(Folder, name + ".json"));
            }
            catch (IOException e)
            {
                error = "the profile " + name + ".json cannot be read: " + e.Message;
                return null;
            }

            // The core's one JSON reader, as for the config (a profile nests at most 3 levels).
            JsonNode root = JsonReader.Parse(bytes, 0, bytes.Length, 4, out JsonError jsonError);
            string displayName = root == null ? null : root.GetString("displayName");
            string target = root == null ? null : root.GetString("nanoffTarget");
            JsonNode sockets = root == null ? null : root.Get("maxSockets");
            JsonNode heap = root == null ? null : root.Get("managedHeapKB");
            if (root == null || displayName == null || target == null || sockets == null || !sockets.TryGetInt(out int maxSockets)
                || heap == null || !heap.TryGetInt(out int managedHeapKB))
            {
                error = "the profile " + name + ".json cannot be read: " + (root == null ? jsonError.ToString()
                    : "it needs displayName and nanoffTarget (text), maxSockets and managedHeapKB (whole numbers)");
                return null;
            }

            return new BoardProfile(name, displayName, target, maxSockets, managedHeapKB);
        }
    }
}
