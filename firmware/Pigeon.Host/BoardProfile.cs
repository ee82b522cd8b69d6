using System;
using System.IO;
using System.Linq;
using System.Text.Json;

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

        /// <summary>Where the profiles are: hardware/boards beside this program.</summary>
        public static string Folder => Path.Combine(AppContext.BaseDirectory, "hardware", "boards");

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

            try
            {
                using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".json")));
                JsonElement root = doc.RootElement;
                return new BoardProfile(
                    name,
                    root.GetProperty("displayName").GetString(),
                    root.GetProperty("nanoffTarget").GetString(),
                    root.GetProperty("maxSockets").GetInt32(),
                    root.GetProperty("managedHeapKB").GetInt32());
            }
            catch (Exception e) when (e is JsonException || e is IOException || e is InvalidOperationException || e is System.Collections.Generic.KeyNotFoundException)
            {
                error = "the profile " + name + ".json cannot be read: " + e.Message;
                return null;
            }
        }
    }
}
