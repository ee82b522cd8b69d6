using System.Net.NetworkInformation;
using Pigeon.Device;
using nanoFramework.TestFramework;

namespace Pigeon.DeviceTests.Board
{
    /// <summary>
    /// The Wi-Fi side as the firmware sees it: the interfaces exist, the setup SSID is well formed,
    /// and the station's reported state agrees with its address. Skipped without a board.
    /// </summary>
    [TestClass]
    public class WifiStatusBoardTests
    {
        [Setup]
        public void OnlyOnABoard()
        {
            if (!BoardCheck.OnEsp32)
            {
                Assert.SkipTest("needs an ESP32 (run with nano.board.runsettings)");
            }
        }

        [TestMethod]
        public void Interfaces_StationAndSoftAp_Present()
        {
            Assert.IsNotNull(NetworkInterfaces.Find(NetworkInterfaceType.Wireless80211), "no Wi-Fi station interface");
            Assert.IsNotNull(NetworkInterfaces.Find(NetworkInterfaceType.WirelessAP), "no soft-AP interface");
        }

        [TestMethod]
        public void DefaultSsid_FromMac_PigeonAndFourHexDigits()
        {
            string ssid = SetupAccessPoint.DefaultSsid();
            Assert.AreEqual(11, ssid.Length, ssid);
            Assert.IsTrue(ssid.StartsWith("Pigeon-"), ssid);
        }

        [TestMethod]
        public void Station_IsConnected_AgreesWithAddress()
        {
            WifiStation station = new WifiStation(new DeviceLog(), new DeviceClock());
            Assert.AreEqual(station.IsConnected, station.Address.Length > 0);
        }

        [TestMethod]
        public void BoardTable_ThisBoard_HasSocketsAndPins()
        {
            BoardInfo board = BoardTable.ForTarget(nanoFramework.Runtime.Native.SystemInfo.TargetName);
            Assert.IsTrue(board.MaxSockets == 8 || board.MaxSockets == 16);
            Assert.AreNotEqual(board.LedPin, board.ButtonPin);
        }
    }
}
