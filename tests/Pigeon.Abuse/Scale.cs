namespace Pigeon.Abuse
{
    /// <summary>
    /// How much of everything: the short run CI does (a few minutes on 2 cores) or the soak run
    /// by hand (the same cases, larger counts; docs/reliability.md).
    /// </summary>
    public sealed class Scale
    {
        /// <summary>The soak run's counts.</summary>
        public bool Soak { get; private set; }

        /// <summary>How long the legitimate transfer runs alone for its baseline rate (ms).</summary>
        public int BaselineMs { get; private set; }

        /// <summary>Waves of slow-hello connections from one stranger.</summary>
        public int FloodWaves { get; private set; }

        /// <summary>Slow-hello connections per route per wave.</summary>
        public int FloodPerWave { get; private set; }

        /// <summary>Stranger addresses in the one-byte flood (each opens 10 chat and 4 media sessions).</summary>
        public int OneByteStrangers { get; private set; }

        /// <summary>Bytes each way of a newcomer's transfer while the relay is full.</summary>
        public long NewcomerBytes { get; private set; }

        /// <summary>Connections of the churn, in two rounds, per pump.</summary>
        public int ChurnConnections { get; private set; }

        /// <summary>Bytes of a slow half-close direction (1 KB every 50 ms).</summary>
        public long SlowBytes { get; private set; }

        /// <summary>Bytes of a fast half-close direction.</summary>
        public long FastBytes { get; private set; }

        /// <summary>Bytes each way of the single stream.</summary>
        public long OneStreamBytes { get; private set; }

        /// <summary>Bytes each way of each of the eight streams.</summary>
        public long EightStreamBytes { get; private set; }

        /// <summary>How long the strangers attack the TLS route (ms).</summary>
        public int TlsFloodMs { get; private set; }

        /// <summary>Seeded hostile requests to the portal (after the fixed list).</summary>
        public int HostileRequests { get; private set; }

        /// <summary>Seeded hostile config bodies (after the fixed list).</summary>
        public int HostileBodies { get; private set; }

        /// <summary>How long each slow-client round lasts (ms).</summary>
        public int SlowlorisMs { get; private set; }

        /// <summary>Slow and idle connections the strangers hold to the portal in each round of its flood.</summary>
        public int PortalFlood { get; private set; }

        /// <summary>Logins the owner tries from each place during each round of the portal flood.</summary>
        public int OwnerLogins { get; private set; }

        /// <summary>Junk packets sent to the captive DNS responder (after the fixed list).</summary>
        public int JunkDns { get; private set; }

        /// <summary>kill -9 during config saves.</summary>
        public int Kills { get; private set; }

        /// <summary>kill -9 during the portal's "new certificate".</summary>
        public int CertificateKills { get; private set; }

        /// <summary>The half-close cell with a slow reader after the client's FIN (about 11 s a pump).</summary>
        public bool SlowReader { get; private set; }

        /// <summary>Adds the slow-reader cell to this run (--slow-reader).</summary>
        public void AddSlowReader()
        {
            SlowReader = true;
        }

        /// <summary>The short run.</summary>
        public static Scale Short()
        {
            return new Scale
            {
                BaselineMs = 1500,
                FloodWaves = 3,
                FloodPerWave = 30,
                OneByteStrangers = 6,
                NewcomerBytes = 4 << 20,
                ChurnConnections = 4000,
                SlowBytes = 64 << 10,
                FastBytes = 256 << 20,
                OneStreamBytes = 64 << 20,
                EightStreamBytes = 16 << 20,
                TlsFloodMs = 4000,
                HostileRequests = 400,
                HostileBodies = 300,
                SlowlorisMs = 4000,
                PortalFlood = 5000,
                OwnerLogins = 20,
                JunkDns = 3000,
                Kills = 10,
                CertificateKills = 100,
                SlowReader = true,
            };
        }

        /// <summary>The soak run.</summary>
        public static Scale Long()
        {
            return new Scale
            {
                Soak = true,
                BaselineMs = 5000,
                FloodWaves = 20,
                FloodPerWave = 150,
                OneByteStrangers = 6,
                NewcomerBytes = 256 << 20,
                ChurnConnections = 100000,
                SlowBytes = 100 << 10,
                FastBytes = 1L << 30,
                OneStreamBytes = 2L << 30,
                EightStreamBytes = 512L << 20,
                TlsFloodMs = 60000,
                HostileRequests = 47000,
                HostileBodies = 5200,
                SlowlorisMs = 30000,
                PortalFlood = 10000,
                OwnerLogins = 100,
                JunkDns = 21000,
                Kills = 400,
                CertificateKills = 400,
                SlowReader = true,
            };
        }
    }
}
