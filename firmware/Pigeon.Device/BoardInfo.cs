namespace Pigeon.Device
{
    /// <summary>
    /// What the firmware needs to know about the board it runs on: the same facts as the board's
    /// profile in hardware/boards (BoardTable holds them; a host test keeps both equal).
    /// </summary>
    public sealed class BoardInfo
    {
        /// <summary>Builds a board description.</summary>
        public BoardInfo(string name, string target, int maxSockets, int heapKB, int ledPin, bool ledActiveHigh, int buttonPin, bool buttonActiveLow, bool ethernet)
        {
            Name = name;
            Target = target;
            MaxSockets = maxSockets;
            HeapKB = heapKB;
            LedPin = ledPin;
            LedActiveHigh = ledActiveHigh;
            ButtonPin = buttonPin;
            ButtonActiveLow = buttonActiveLow;
            HasEthernet = ethernet;
        }

        /// <summary>The profile name (hardware/boards/NAME.json).</summary>
        public string Name { get; private set; }

        /// <summary>The nanoFramework target the firmware image was built for.</summary>
        public string Target { get; private set; }

        /// <summary>lwIP's CONFIG_LWIP_MAX_SOCKETS in that image.</summary>
        public int MaxSockets { get; private set; }

        /// <summary>Planning figure for the managed heap (docs/device.md); the measured free heap wins when lower.</summary>
        public int HeapKB { get; private set; }

        /// <summary>Status LED GPIO.</summary>
        public int LedPin { get; private set; }

        /// <summary>True when a high level lights the LED.</summary>
        public bool LedActiveHigh { get; private set; }

        /// <summary>Setup button GPIO.</summary>
        public int ButtonPin { get; private set; }

        /// <summary>True when pressing pulls the pin low.</summary>
        public bool ButtonActiveLow { get; private set; }

        /// <summary>True on boards with a wired Ethernet PHY (the firmware image drives it).</summary>
        public bool HasEthernet { get; private set; }
    }
}
