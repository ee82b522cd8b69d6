using Pigeon.Config;
using Pigeon.Relay;

namespace Pigeon.Portal
{
    /// <summary>
    /// What the portal needs from the rest of the firmware. Thin on purpose: each host implements
    /// it over its config store (Pigeon.Config.ConfigStore once it lands), its password hasher,
    /// its Wi-Fi radio (or a labelled fake on a host) and its relay.
    /// </summary>
    public interface IPortalBackend
    {
        /// <summary>A copy of the current config that the caller may change freely.</summary>
        PigeonConfig LoadConfig();

        /// <summary>Validates and stores <paramref name="config"/>; false with field errors when invalid or not saved.</summary>
        bool SaveConfig(PigeonConfig config, FieldErrors errors);

        /// <summary>Forgets every setting (admin password included) and goes back to setup mode.</summary>
        void FactoryReset();

        /// <summary>True once an admin password exists.</summary>
        bool IsAdminPasswordSet { get; }

        /// <summary>Hashes and stores a new admin password; false with field errors ("password").</summary>
        bool SetAdminPassword(string password, FieldErrors errors);

        /// <summary>Checks a password against the stored hash (constant time).</summary>
        bool VerifyAdminPassword(string password);

        /// <summary>Fills <paramref name="into"/> with nearby networks; returns how many.</summary>
        int ScanWifi(WifiNetwork[] into);

        /// <summary>True when the scan list is invented (the host has no radio); the page labels it.</summary>
        bool WifiScanIsFake { get; }

        /// <summary>Setup mode: the board's own access point, captive DNS and probe redirects.</summary>
        bool IsSetupMode { get; }

        /// <summary>The relay whose figures the status shows; null when it is not running.</summary>
        RelayServer Relay { get; }

        /// <summary>The home network's signal in dBm; 0 when unknown or not on Wi-Fi.</summary>
        int WifiRssi { get; }

        /// <summary>The best address known for reaching the relay (LAN or public); empty when none.</summary>
        string BestAddress { get; }
    }
}
