// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Tests.Support;
using Pigeon.Text;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Text
{
    /// <summary>Utf8, Hex, Integer and TextBuffer: the core's own replacements for what nanoFramework's mscorlib lacks.</summary>
    [TestClass]
    public class TextHelpersTests
    {
        [TestMethod]
        public void Utf8_EncodesAndDecodesOneToThreeByteCharacters()
        {
            // The 4-byte (surrogate pair) case is host-only (Host/Portal/Utf8SurrogateTests):
            // nanoCLR strings cannot hold a surrogate pair, so emoji are lost on the board.
            string text = "a\u00e9\u4e2d"; // 1, 2 and 3 bytes
            byte[] bytes = Utf8.GetBytes(text);
            Assert.AreEqual(6, bytes.Length);
            Assert.AreEqual(0xE4, (int)bytes[3]);
            Assert.AreEqual(text, Utf8.Decode(bytes, 0, bytes.Length));
        }

        [TestMethod]
        public void Utf8_LoneSurrogate_BecomesReplacementCharacter()
        {
            byte[] bytes = Utf8.GetBytes("x\ud800y");
            Assert.AreEqual(5, bytes.Length);
            Assert.AreEqual("x\ufffdy", Utf8.Decode(bytes, 0, bytes.Length));
        }

        [TestMethod]
        [DataRow("c0af")] // overlong '/'
        [DataRow("e080af")] // overlong
        [DataRow("eda080")] // encoded surrogate
        [DataRow("f4908080")] // past U+10FFFF
        [DataRow("80")] // continuation first
        [DataRow("e4b8")] // cut short
        [DataRow("ff")]
        public void Utf8_Invalid_IsNull(string hex)
        {
            byte[] bytes = Bytes.Hex(hex);
            Assert.IsNull(Utf8.Decode(bytes, 0, bytes.Length));
        }

        [TestMethod]
        public void TextList_UnassignedSlots_AreNullAndNeverCompared()
        {
            // Array.IndexOf(new string[3], "x") kills nanoCLR (docs/device.md, "Pitfalls the gates
            // know"); this runs the replacement over the same array on both runtimes.
            string[] items = new string[3];
            Assert.AreEqual(-1, TextList.IndexOf(items, 3, "x"));
            Assert.AreEqual(0, TextList.IndexOf(items, 3, null));
            items[1] = "x";
            Assert.AreEqual(1, TextList.IndexOf(items, 3, "x"));
            Assert.AreEqual(-1, TextList.IndexOf(items, 1, "x"), "only the first count slots");
            Assert.AreEqual(-1, TextList.IndexOf(items, 3, "X"), "ordinal");
        }

        [TestMethod]
        public void Hex_ValuesDigitsAndFourDigitNumbers()
        {
            Assert.AreEqual(0, Hex.Value('0'));
            Assert.AreEqual(10, Hex.Value('a'));
            Assert.AreEqual(15, Hex.Value('F'));
            Assert.AreEqual(-1, Hex.Value('g'));
            Assert.AreEqual(-1, Hex.Value('/'));
            Assert.AreEqual((int)'c', (int)Hex.Digit(0x1c));
            Assert.AreEqual((int)'C', (int)Hex.UpperDigit(12));
            byte[] text = Bytes.Ascii("x00e9D83Dz12");
            Assert.AreEqual(0xe9, Hex.Read4(text, 1, text.Length));
            Assert.AreEqual(0xD83D, Hex.Read4(text, 5, text.Length));
            Assert.AreEqual(-1, Hex.Read4(text, 7, text.Length), "z is not a digit");
            Assert.AreEqual(-1, Hex.Read4(text, 10, text.Length), "only two bytes left");
        }

        [TestMethod]
        [DataRow("0", true, 0)]
        [DataRow("443", true, 443)]
        [DataRow("-12", true, -12)]
        [DataRow("007", true, 7)]
        [DataRow("2147483647", true, 2147483647)]
        [DataRow("-2147483648", true, -2147483648)]
        [DataRow("2147483648", false, 0)]
        [DataRow("99999999999", false, 0)]
        [DataRow("1e3", false, 0)]
        [DataRow("1.0", false, 0)]
        [DataRow("+1", false, 0)]
        [DataRow(" 1", false, 0)]
        [DataRow("-", false, 0)]
        [DataRow("", false, 0)]
        public void Integer_TryParse_Bounds(string text, bool valid, int expected)
        {
            int value;
            Assert.AreEqual(valid, Integer.TryParse(text, out value), text);
            Assert.AreEqual(expected, value, text);
        }

        [TestMethod]
        public void TextBuffer_AsciiIsSanitizedUtf8IsNot()
        {
            TextBuffer text = new TextBuffer(4, 64);
            text.Append("a\u00e9\r\n");
            text.AppendCodePoint(0xe9);
            Assert.AreEqual("a?\r\n\u00e9", text.ToString());
            Assert.AreEqual(6, text.Length);
            Assert.IsFalse(text.Overflowed);
        }

        [TestMethod]
        public void TextBuffer_PastTheLimit_OverflowsAndStops()
        {
            TextBuffer text = new TextBuffer(16, 20);
            text.Append("0123456789abcdef");
            text.Append("ghij");
            Assert.IsFalse(text.Overflowed);
            text.AppendCodePoint('k');
            Assert.IsTrue(text.Overflowed);
            Assert.AreEqual(20, text.Length);
            Assert.AreEqual("0123456789abcdefghij", text.ToString());
        }
    }
}
