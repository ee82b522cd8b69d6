using System;
using nanoFramework.Networking;
using Pigeon.Config;
using Pigeon.Net;

namespace Pigeon.Device
{
    /// <summary>
    /// Sets the wall clock by SNTP (nanoFramework.Networking.Sntp, lwIP's SNTP client: one UDP
    /// socket, re-syncs by itself every hour). Only the wall clock needs it (status page, logs);
    /// the relay's timeouts use the monotonic <see cref="DeviceClock"/>.
    /// </summary>
    public static class TimeSync
    {
        /// <summary>Wall-clock years before this mean "never set" (the ESP32 boots in 1970).</summary>
        public const int FirstPlausibleYear = 2024;

        /// <summary>Starts SNTP with the configured servers (the first two are used).</summary>
        public static void Start(TimeConfig time, ILog log)
        {
            try
            {
                string[] servers = time == null ? null : time.NtpServers;
                if (servers != null && servers.Length > 0 && servers[0] != null && servers[0].Length > 0)
                {
                    Sntp.Server1 = servers[0];
                }

                if (servers != null && servers.Length > 1 && servers[1] != null && servers[1].Length > 0)
                {
                    Sntp.Server2 = servers[1];
                }

                if (!Sntp.IsStarted)
                {
                    Sntp.Start();
                }

                Sntp.UpdateNow();
            }
            catch (Exception ex)
            {
                log.Warn("time: SNTP failed to start: " + ex.Message);
            }
        }

        /// <summary>True once the wall clock has been set.</summary>
        public static bool IsSet
        {
            get { return DateTime.UtcNow.Year >= FirstPlausibleYear; }
        }
    }
}
