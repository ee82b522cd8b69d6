// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;
using Pigeon.Net;
using Pigeon.Portal;
using Pigeon.Relay;
using Pigeon.Tests.Support;

namespace Pigeon.Tests.Portal
{
    /// <summary>
    /// The shared <see cref="StoreBackend"/> (the real config store and validator) over memory
    /// with a test hasher, and a made-up radio, clock and random source, for the API tests.
    /// </summary>
    public sealed class FakePortalBackend : StoreBackend, IClock, IRandomBytes
    {
        private int _randomCounter;

        /// <summary>A board's defaults in an empty memory store.</summary>
        public FakePortalBackend()
            : this(new MemoryFileStore(), true)
        {
        }

        /// <summary>A board's (<paramref name="device"/>) or a host's defaults in an empty memory store.</summary>
        public FakePortalBackend(bool device)
            : this(new MemoryFileStore(), device)
        {
        }

        private FakePortalBackend(MemoryFileStore files, bool device)
            : base(new ConfigStore(files, device), new TestPasswordHasher())
        {
            Files = files;
            Store.Load();
        }

        /// <summary>The memory the store writes to (a test can cut its power).</summary>
        public MemoryFileStore Files { get; private set; }

        /// <summary>Settings saves that reached the store.</summary>
        public int Saves { get; private set; }

        /// <summary>Factory resets done.</summary>
        public int Resets { get; private set; }

        /// <summary>The stored config (a copy).</summary>
        public PigeonConfig Stored
        {
            get { return Store.Current; }
        }

        /// <summary>The scan list returned.</summary>
        public WifiNetwork[] Networks { get; set; }

        /// <summary>The clock's time (ms), moved by tests.</summary>
        public long Now { get; set; }

        /// <inheritdoc />
        public long NowMilliseconds
        {
            get { return Now; }
        }

        /// <inheritdoc />
        public override bool WifiScanIsFake
        {
            get { return false; }
        }

        /// <summary>Setup mode, as a test sets it.</summary>
        public bool SetupMode { get; set; }

        /// <inheritdoc />
        public override bool IsSetupMode
        {
            get { return SetupMode; }
        }

        /// <inheritdoc />
        public override RelayServer Relay
        {
            get { return null; }
        }

        /// <inheritdoc />
        public override int WifiRssi
        {
            get { return -60; }
        }

        /// <inheritdoc />
        public override string BestAddress
        {
            get { return "192.168.1.20"; }
        }

        /// <inheritdoc />
        public override void FactoryReset()
        {
            base.FactoryReset();
            Resets++;
        }

        /// <inheritdoc />
        public override int ScanWifi(WifiNetwork[] into)
        {
            if (Networks == null)
            {
                return 0;
            }

            int n = Networks.Length < into.Length ? Networks.Length : into.Length;
            for (int i = 0; i < n; i++)
            {
                into[i] = Networks[i];
            }

            return n;
        }

        /// <inheritdoc />
        public void Fill(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = (byte)((_randomCounter++ * 73) + 11); // distinct tokens, deterministic
            }
        }

        /// <inheritdoc />
        protected override void Saved()
        {
            Saves++;
        }
    }
}
