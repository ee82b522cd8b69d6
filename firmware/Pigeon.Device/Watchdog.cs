using System.Threading;
using Pigeon.Net;

namespace Pigeon.Device
{
    /// <summary>
    /// A software watchdog: the main supervision loop calls <see cref="Feed"/> every second; when
    /// no feed arrives for <see cref="TimeoutMs"/>, the watchdog records "watchdog: ..." and
    /// reboots. Why software: nanoFramework's ESP32 images build with the ESP-IDF task watchdog off
    /// (CONFIG_ESP_TASK_WDT_INIT=n) and expose no hardware watchdog to managed code. A hang of the
    /// whole interpreter therefore cannot be caught here (docs/device.md, limitations).
    /// </summary>
    public sealed class Watchdog
    {
        /// <summary>
        /// 120 s: longer than any single blocking step of the supervision loop (a Wi-Fi connect
        /// attempt is bounded at 30 s, SNTP at 10 s) with room to spare.
        /// </summary>
        public const int TimeoutMs = 120000;

        private const int CheckMs = 5000;

        private readonly IClock _clock;
        private readonly RebootRecord _reboot;
        private readonly ILog _log;
        private readonly object _sync = new object();
        private long _lastFeed;
        private string _lastStep = "start";

        /// <summary>A watchdog that reboots through <paramref name="reboot"/>.</summary>
        public Watchdog(IClock clock, RebootRecord reboot, ILog log)
        {
            _clock = clock;
            _reboot = reboot;
            _log = log;
            _lastFeed = clock.NowMilliseconds;
        }

        /// <summary>Starts the checking thread.</summary>
        public void Start()
        {
            Thread thread = new Thread(Loop);
            thread.Start();
        }

        /// <summary>Tells the watchdog the loop is alive, and which step it reached.</summary>
        public void Feed(string step)
        {
            long now = _clock.NowMilliseconds;
            lock (_sync)
            {
                // A long is two words on the ESP32: the lock keeps the checker from reading half of it.
                _lastStep = step;
                _lastFeed = now;
            }
        }

        private void Loop()
        {
            while (true)
            {
                Thread.Sleep(CheckMs);
                long last;
                string step;
                lock (_sync)
                {
                    last = _lastFeed;
                    step = _lastStep;
                }

                long silent = _clock.NowMilliseconds - last;
                if (silent > TimeoutMs)
                {
                    _log.Warn("watchdog: no progress for " + (silent / 1000).ToString() + " s after '" + step + "': rebooting");
                    _reboot.Reboot("watchdog: stuck after '" + step + "'");
                }
            }
        }
    }
}
