using Pigeon.Device;
using nanoFramework.TestFramework;

namespace Pigeon.DeviceTests.Board
{
    /// <summary>
    /// The station's retry pauses: plain arithmetic in the device code, so it needs no board and
    /// runs on the nanoCLR emulator too (no [Setup] skip, unlike the board-only classes here).
    /// </summary>
    [TestClass]
    public class WifiBackoffTests
    {
        [TestMethod]
        public void Backoff_Doubles_UpToOneMinute()
        {
            Assert.AreEqual(2000, WifiStation.BackoffMs(1));
            Assert.AreEqual(4000, WifiStation.BackoffMs(2));
            Assert.AreEqual(32000, WifiStation.BackoffMs(5));
            Assert.AreEqual(60000, WifiStation.BackoffMs(6));
            Assert.AreEqual(60000, WifiStation.BackoffMs(50));
        }
    }
}
