using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Tests.Support;

namespace Pigeon.Tests.Host.Config
{
    /// <summary>
    /// Host-only: "did you mean" for a misspelt key of a hand-edited file (FieldMap.Host.cs and
    /// KeySuggestion.Host.cs, which the board's assembly leaves out; the warning itself is the
    /// shared ConfigDocumentTests').
    /// </summary>
    [TestClass]
    public class KeySuggestionTests
    {
        [TestMethod]
        public void Read_MisspeltKeys_DidYouMeanTheKnownOne()
        {
            ValidationReport report = new ValidationReport();
            Assert.IsNotNull(ConfigText.Read("{\"relay\":{\"maxSesions\":5,\"idleTimeoutSecond\":9},\"portl\":{},\"network\":{\"PublicHost\":\"a\"},\"zzzz\":1}", false, report));
            Assert.AreEqual(5, report.WarningCount, ConfigText.Describe(report));
            StringAssert.Contains(Warning(report, "relay.maxSesions"), "did you mean \"maxSessions\"?");
            StringAssert.Contains(Warning(report, "relay.idleTimeoutSecond"), "did you mean \"idleTimeoutSeconds\"?");
            StringAssert.Contains(Warning(report, "portl"), "did you mean \"portal\"?");
            StringAssert.Contains(Warning(report, "network.PublicHost"), "did you mean \"publicHost\"?");
            Assert.AreEqual(-1, Warning(report, "zzzz").IndexOf("did you mean"));
        }

        [TestMethod]
        [DataRow("relay", "maxsessions", "maxSessions")]   // letter case alone
        [DataRow("setupAp", "ssdi", "ssid")]               // two neighbours swapped
        [DataRow("setupAp", "pasword", "password")]        // one letter left out
        [DataRow("setupAp", "passwordd", "password")]      // one letter too many
        [DataRow("setupAp", "chanel", "channel")]
        [DataRow("relay", "bufferByts", "bufferBytes")]
        [DataRow("relay", "bufrBytes", "bufferBytes")]     // two edits in a long key
        public void Read_Typos_DidYouMeanTheKnownKey(string section, string typo, string meant)
        {
            StringAssert.Contains(WarningFor(section, typo), "did you mean \"" + meant + "\"?");
        }

        [TestMethod]
        [DataRow("setupAp", "zzzz")]
        [DataRow("setupAp", "sd")]          // two edits in a short key
        [DataRow("relay", "bufBytes")]      // three edits
        [DataRow("relay", "comment")]
        public void Read_FarFromEveryKey_NoSuggestion(string section, string unknown)
        {
            string warning = WarningFor(section, unknown);
            StringAssert.Contains(warning, "does not know this setting");
            Assert.AreEqual(-1, warning.IndexOf("did you mean"), warning);
        }

        private static string WarningFor(string section, string key)
        {
            ValidationReport report = new ValidationReport();
            Assert.IsNotNull(ConfigText.Read("{\"" + section + "\":{\"" + key + "\":1}}", false, report), ConfigText.Describe(report));
            return Warning(report, section + "." + key);
        }

        private static string Warning(ValidationReport report, string path)
        {
            for (int i = 0; i < report.WarningCount; i++)
            {
                if (report.GetWarning(i).Path == path)
                {
                    return report.GetWarning(i).Message;
                }
            }

            return "(no warning at " + path + ")";
        }
    }
}
