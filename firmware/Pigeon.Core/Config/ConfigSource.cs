namespace Pigeon.Config
{
    /// <summary>Which copy a load used.</summary>
    public enum ConfigSource
    {
        /// <summary>The main file (config.json).</summary>
        Primary,

        /// <summary>The new copy of a save that was cut before its switch (config.json.new); the load finished the switch.</summary>
        Pending,

        /// <summary>The previous good copy (config.json.bak).</summary>
        Backup,

        /// <summary>No usable copy: the built-in defaults (setup mode).</summary>
        Defaults,
    }
}
