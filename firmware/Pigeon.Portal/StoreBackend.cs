using Pigeon.Config;
using Pigeon.Relay;

namespace Pigeon.Portal
{
    /// <summary>
    /// The half of <see cref="IPortalBackend"/> that is the same on the host and the board: the
    /// config through the power-safe <see cref="ConfigStore"/> (a private copy per call; saves
    /// validated, written only on change) and the admin password through <see cref="AdminPassword"/>
    /// with the platform's PBKDF2 hasher. A platform adds its radio, its addresses, its relay, and
    /// what a save or a factory reset sets off (the board reboots).
    /// </summary>
    public abstract class StoreBackend : IPortalBackend
    {
        private readonly ConfigStore _store;
        private readonly IPasswordHasher _hasher;

        /// <summary>A backend over a loaded <paramref name="store"/>.</summary>
        protected StoreBackend(ConfigStore store, IPasswordHasher hasher)
        {
            _store = store;
            _hasher = hasher;
        }

        /// <summary>The store the config lives in.</summary>
        public ConfigStore Store
        {
            get { return _store; }
        }

        /// <inheritdoc />
        public bool IsAdminPasswordSet
        {
            get { return AdminPassword.IsSet(_store.Current.Admin); }
        }

        /// <inheritdoc />
        public virtual bool HasWifi
        {
            get { return true; }
        }

        /// <inheritdoc />
        public abstract bool WifiScanIsFake { get; }

        /// <inheritdoc />
        public abstract bool IsSetupMode { get; }

        /// <inheritdoc />
        public abstract RelayServer Relay { get; }

        /// <inheritdoc />
        public abstract int WifiRssi { get; }

        /// <inheritdoc />
        public abstract string BestAddress { get; }

        /// <inheritdoc />
        public PigeonConfig LoadConfig()
        {
            return _store.Current;
        }

        /// <inheritdoc />
        public bool SaveConfig(PigeonConfig config, ValidationReport report)
        {
            if (!_store.Save(config, report))
            {
                return false;
            }

            Saved();
            return true;
        }

        /// <inheritdoc />
        public bool SetAdminPassword(string password, ValidationReport report)
        {
            PigeonConfig config = _store.Current;
            if (!AdminPassword.Set(config.Admin, password, _hasher))
            {
                report.AddError("password", AdminPassword.LengthRule);
                return false;
            }

            return _store.Save(config, report); // applies at once: nothing to restart
        }

        /// <inheritdoc />
        public bool VerifyAdminPassword(string password)
        {
            return AdminPassword.Verify(_store.Current.Admin, password, _hasher);
        }

        /// <summary>Replaces every copy of the config with the defaults (a platform may do more first).</summary>
        public virtual void FactoryReset()
        {
            _store.FactoryReset();
        }

        /// <inheritdoc />
        public abstract int ScanWifi(WifiNetwork[] into);

        /// <summary>Called after a settings save reached the store (the board restarts to apply it).</summary>
        protected virtual void Saved()
        {
        }
    }
}
