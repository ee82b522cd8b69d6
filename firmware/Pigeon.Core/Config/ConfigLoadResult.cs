namespace Pigeon.Config
{
    /// <summary>What <see cref="ConfigStore.Load"/> did: which copy it used, whether and why it fell back.</summary>
    public class ConfigLoadResult
    {
        /// <summary>The config now in use (never null).</summary>
        public PigeonConfig Config { get; set; }

        /// <summary>Which copy was used.</summary>
        public ConfigSource Source { get; set; }

        /// <summary>The file the config came from; null for the defaults.</summary>
        public string FileUsed { get; set; }

        /// <summary>True when a newer copy existed but could not be used (see <see cref="FallbackReason"/>).</summary>
        public bool FellBack { get; set; }

        /// <summary>Why the copies before the one used were refused, in plain words; "" when none was.</summary>
        public string FallbackReason { get; set; } = "";

        /// <summary>True when the main file existed but was refused (see <see cref="RejectedReport"/>).</summary>
        public bool PrimaryRejected { get; set; }

        /// <summary>True when the main file was refused because its checksum did not match (storage damage or a cut; on the board also a hand edit of a stored copy).</summary>
        public bool PrimaryDamaged { get; set; }

        /// <summary>True when no copy was usable and the defaults are in use.</summary>
        public bool UsedDefaults
        {
            get { return Source == ConfigSource.Defaults; }
        }

        /// <summary>True when there was no copy at all (first start, or after a factory reset by hand).</summary>
        public bool FirstStart { get; set; }

        /// <summary>
        /// True when the device should start in setup mode: the defaults are in use, or no home
        /// Wi-Fi is configured yet.
        /// </summary>
        public bool SetupMode
        {
            get { return UsedDefaults || Config == null || Config.Wifi == null || Config.Wifi.Ssid == null || Config.Wifi.Ssid.Length == 0; }
        }

        /// <summary>The schema version the used copy was written in (-1 for the defaults); older ones were migrated.</summary>
        public int MigratedFrom { get; set; } = -1;

        /// <summary>
        /// True when the copy used has no valid checksum: written by hand, or (on a host,
        /// <see cref="ConfigStore.HandEdits"/>) a stored copy edited by hand since Pigeon saved it.
        /// </summary>
        public bool EditedByHand { get; set; }

        /// <summary>Warnings of the used copy (unknown keys and so on).</summary>
        public ValidationReport Report { get; set; } = new ValidationReport();

        /// <summary>The problems of the first copy refused (errors with field paths); empty when none was.</summary>
        public ValidationReport RejectedReport { get; set; } = new ValidationReport();
    }
}
