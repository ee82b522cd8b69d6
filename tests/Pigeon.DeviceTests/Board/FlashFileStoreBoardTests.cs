using Pigeon.Device;
using Pigeon.Tests.Support;
using nanoFramework.TestFramework;

namespace Pigeon.DeviceTests.Board
{
    /// <summary>
    /// The flash store on the board's real I:\ drive (LittleFS): whole-file round trips and the
    /// write-new-then-rename protocol the config store relies on to survive a torn write.
    /// Skipped (not failed) without a board.
    /// </summary>
    [TestClass]
    public class FlashFileStoreBoardTests
    {
        [Setup]
        public void OnlyOnABoard()
        {
            if (!BoardCheck.OnEsp32 || !new FlashFileStore(FlashFileStore.InternalDrive).Available)
            {
                Assert.SkipTest("needs an ESP32 with its I:\\ drive (run with nano.board.runsettings)");
            }
        }

        [TestMethod]
        public void WriteRead_RoundTrip_SameBytes()
        {
            FlashFileStore files = new FlashFileStore(FlashFileStore.InternalDrive);
            byte[] data = Bytes.Ascii("{\"schemaVersion\":1,\"wifi\":{\"ssid\":\"round-trip\"}}");
            Assert.IsTrue(files.Write("t-round.json", data, 0, data.Length));
            byte[] back = files.Read("t-round.json");
            Assert.IsNotNull(back);
            Assert.AreEqual(Bytes.Text(data, 0, data.Length), Bytes.Text(back, 0, back.Length));
            Assert.IsTrue(files.Delete("t-round.json"));
            Assert.IsFalse(files.Exists("t-round.json"));
        }

        [TestMethod]
        public void TornWrite_PartialNewCopy_CurrentCopyIntactAndSwitchCompletes()
        {
            FlashFileStore files = new FlashFileStore(FlashFileStore.InternalDrive);
            files.Delete("t-torn.json");
            files.Delete("t-torn.json.new");
            files.Delete("t-torn.json.bak");
            byte[] good = Bytes.Ascii("{\"copy\":\"old\",\"pad\":\"0123456789012345678901234567890123456789\"}");
            byte[] next = Bytes.Ascii("{\"copy\":\"new\",\"pad\":\"abcdefghijabcdefghijabcdefghijabcdefghij\"}");
            Assert.IsTrue(files.Write("t-torn.json", good, 0, good.Length));

            // A power cut in the middle of writing the next copy leaves half of it behind.
            Assert.IsTrue(files.Write("t-torn.json.new", next, 0, next.Length / 2));
            byte[] current = files.Read("t-torn.json");
            Assert.AreEqual(Bytes.Text(good, 0, good.Length), Bytes.Text(current, 0, current.Length));

            // Rename never overwrites: the half copy cannot replace the good one by accident.
            Assert.IsFalse(files.Rename("t-torn.json.new", "t-torn.json"));

            // Recovery: drop the half copy, write it whole, then switch (cur -> .bak, .new -> cur).
            Assert.IsTrue(files.Delete("t-torn.json.new"));
            Assert.IsTrue(files.Write("t-torn.json.new", next, 0, next.Length));
            Assert.IsTrue(files.Rename("t-torn.json", "t-torn.json.bak"));
            Assert.IsTrue(files.Rename("t-torn.json.new", "t-torn.json"));
            byte[] switched = files.Read("t-torn.json");
            byte[] backup = files.Read("t-torn.json.bak");
            Assert.AreEqual(Bytes.Text(next, 0, next.Length), Bytes.Text(switched, 0, switched.Length));
            Assert.AreEqual(Bytes.Text(good, 0, good.Length), Bytes.Text(backup, 0, backup.Length));
            Assert.IsFalse(files.Exists("t-torn.json.new"));

            files.Delete("t-torn.json");
            files.Delete("t-torn.json.bak");
        }

        [TestMethod]
        public void Names_WithPathParts_Refused()
        {
            FlashFileStore files = new FlashFileStore(FlashFileStore.InternalDrive);
            byte[] data = Bytes.Ascii("x");
            Assert.IsFalse(files.Write("..\\x.json", data, 0, 1));
            Assert.IsFalse(files.Write("D:\\x.json", data, 0, 1));
            Assert.IsNull(files.Read("dir\\x.json"));
        }
    }
}
