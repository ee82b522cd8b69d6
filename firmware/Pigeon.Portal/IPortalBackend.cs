using Pigeon.Config;
using Pigeon.Relay;

namespace Pigeon.Portal
{
    /// <summary>
    /// What the portal needs from the rest of the firmware. The config and password half is the
    /// same everywhere (<see cref="StoreBackend"/>, over the config store and a password hasher);
    /// each platform adds its Wi-Fi radio (or a labelled fake on a host), its addresses and its relay.
    /// </summary>
    public interface IPortalBackend
    {
        /// <summary>A copy of the current config that the caller may change freely.</summary>
        PigeonConfig LoadConfig();

        /// <summary>
        /// Validates <paramref name="config"/> and stores it when <paramref name="report"/> then
        /// holds no error (the caller's own included); false with the errors at their paths.
        /// </summary>
        bool SaveConfig(PigeonConfig config, ValidationReport report);

        /// <summary>Forgets every setting (admin password included) and goes back to setup mode.</summary>
        void FactoryReset();

        /// <summary>True once an admin password exists.</summary>
        bool IsAdminPasswordSet { get; }

        /// <summary>Hashes and stores a new admin password; false with the errors ("password": <see cref="AdminPassword.LengthRule"/>).</summary>
        bool SetAdminPassword(string password, ValidationReport report);

        /// <summary>Checks a password against the stored hash (constant time).</summary>
        bool VerifyAdminPassword(string password);

        /// <summary>Fills <paramref name="into"/> with nearby networks; returns how many.</summary>
        int ScanWifi(WifiNetwork[] into);

        /// <summary>
        /// True when the relay joins a Wi-Fi network: a board. False on a server, which the page
        /// then sets up and shows without any Wi-Fi step, field or figure.
        /// </summary>
        bool HasWifi { get; }

        /// <summary>True when the scan list is invented (a host acting as a board for a test); the page labels it.</summary>
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
