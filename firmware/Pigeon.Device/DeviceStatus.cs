using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Budget;

namespace Pigeon.Device
{
    /// <summary>
    /// The board facts the status page shows beside the relay's counters: board, mode, uplink,
    /// last reboot reason, and the budget the relay was sized by. Updated by the supervision loop
    /// once a second; read by the portal.
    /// </summary>
    public sealed class DeviceStatus
    {
        /// <summary>Starts a status for <paramref name="board"/>.</summary>
        public DeviceStatus(BoardInfo board, string lastRebootReason)
        {
            Board = board.Name;
            Target = board.Target;
            MaxSockets = board.MaxSockets;
            LastRebootReason = lastRebootReason;
            Mode = "starting";
            Uplink = "";
            WifiStatus = "";
            LimitedBy = "";
        }

        /// <summary>hardware/boards profile name.</summary>
        public string Board { get; private set; }

        /// <summary>nanoFramework target.</summary>
        public string Target { get; private set; }

        /// <summary>"starting", "setup", "connecting", "relaying" or "error".</summary>
        public string Mode { get; set; }

        /// <summary>Why the board restarted last time.</summary>
        public string LastRebootReason { get; private set; }

        /// <summary>"Ethernet a.b.c.d", "Wi-Fi a.b.c.d" or "".</summary>
        public string Uplink { get; private set; }

        /// <summary>The station's last connection result in words.</summary>
        public string WifiStatus { get; private set; }

        /// <summary>Seconds since boot.</summary>
        public long UptimeSeconds { get; private set; }

        /// <summary>lwIP sockets in the firmware image.</summary>
        public int MaxSockets { get; private set; }

        /// <summary>Sessions the budget allowed.</summary>
        public int SessionBudget { get; private set; }

        /// <summary>What limited the sessions: config, sockets or heap.</summary>
        public string LimitedBy { get; private set; }

        /// <summary>Free managed heap measured when the relay was sized.</summary>
        public int FreeHeapBytes { get; private set; }

        /// <summary>Sessions open now.</summary>
        public int ActiveSessions { get; private set; }

        /// <summary>Listener restarts so far (all routes).</summary>
        public int ListenerRestarts { get; private set; }

        /// <summary>Records the relay's budget.</summary>
        public void SetBudget(SessionBudget budget, int freeHeap)
        {
            SessionBudget = budget.Sessions;
            LimitedBy = budget.LimitedBy;
            FreeHeapBytes = freeHeap;
        }

        /// <summary>Refreshes the changing facts.</summary>
        public void Update(IClock clock, WifiStation wifi, RelayServer relay)
        {
            UptimeSeconds = clock.NowMilliseconds / 1000;
            WifiStatus = wifi == null ? "" : wifi.LastStatus;
            string eth = EthernetLink.Address;
            string sta = wifi == null ? "" : wifi.Address;
            Uplink = eth.Length > 0 ? "Ethernet " + eth : sta.Length > 0 ? "Wi-Fi " + sta : "";
            if (relay != null)
            {
                ActiveSessions = relay.ActiveSessions;
                int restarts = 0;
                for (int i = 0; i < relay.RouteCount; i++)
                {
                    restarts += relay.GetListener(i).Restarts;
                }

                ListenerRestarts = restarts;
            }
        }
    }
}
