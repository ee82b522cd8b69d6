namespace Pigeon.Device
{
    /// <summary>
    /// The supported boards, found by the firmware's target name (nanoFramework.Runtime.Native
    /// SystemInfo.TargetName), so one application image serves every board. Mirrors
    /// hardware/boards/*.json; tests/Pigeon.Tests/Host/Device/BoardTableTests compares the two.
    /// ESP32_REV3 and ESP32_PSRAM_REV3 boards share the DevKitC pins.
    /// </summary>
    public static class BoardTable
    {
        /// <summary>The board for a target name; the classic DevKitC layout for an unknown one.</summary>
        public static BoardInfo ForTarget(string target)
        {
            switch (target)
            {
                // name, target, sockets, heap KB, LED pin, LED active high, button pin, button active low, Ethernet
                case "ESP32_PSRAM_REV3":
                    return new BoardInfo("esp32-wrover", "ESP32_PSRAM_REV3", 16, 2048, 2, true, 0, true, false);
                case "ESP32_S3_QUAD":
                    return new BoardInfo("esp32-s3-devkitc", "ESP32_S3_QUAD", 16, 1024, 2, true, 0, true, false);
                case "ESP32_C3":
                    return new BoardInfo("esp32-c3-supermini", "ESP32_C3", 16, 120, 8, false, 9, true, false);
                case "ESP32_WT32_ETH01":
                    return new BoardInfo("wt32-eth01", "ESP32_WT32_ETH01", 16, 100, 2, true, 39, true, true);
                case "ESP32_OLIMEX":
                    return new BoardInfo("olimex-esp32-poe", "ESP32_OLIMEX", 16, 100, 33, true, 34, true, true);
                default:
                    return new BoardInfo("esp32-devkitc", "ESP32_REV3", 16, 100, 2, true, 0, true, false);
            }
        }
    }
}
