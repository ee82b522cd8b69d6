namespace Pigeon.Device
{
    /// <summary>What the status LED shows (docs/device.md has the patterns for volunteers).</summary>
    public enum LedMode
    {
        /// <summary>On: booting.</summary>
        Starting,

        /// <summary>Two short blinks every 2 s: setup access point open, waiting for the setup page.</summary>
        Setup,

        /// <summary>Fast blink (5 per second): joining Wi-Fi or waiting for the Ethernet cable.</summary>
        Connecting,

        /// <summary>Slow blink (1 s on, 1 s off): relaying.</summary>
        Relaying,

        /// <summary>Triple blink every 2 s: something needs a person (see the status page).</summary>
        Error,

        /// <summary>Off.</summary>
        Off,
    }
}
