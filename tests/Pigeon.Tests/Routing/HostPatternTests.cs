// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Routing;
using Pigeon.Tests.Support;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Routing
{
    [TestClass]
    public class HostPatternTests
    {
        private static bool Match(string pattern, string host)
        {
            HostPattern p = HostPattern.Parse(pattern);
            byte[] padded = Bytes.Ascii("xx" + host + "yy");
            return p.Matches(padded, 2, host.Length);
        }

        [TestMethod]
        [DataRow("whatsapp.net", "whatsapp.net", true)]
        [DataRow("whatsapp.net", "WhatsApp.NET", true)]
        [DataRow("whatsapp.net", "mmg.whatsapp.net", false)]
        [DataRow("whatsapp.net", "evilwhatsapp.net", false)]
        [DataRow("*.whatsapp.net", "mmg.whatsapp.net", true)]
        [DataRow("*.whatsapp.net", "media-fra5-1.cdn.whatsapp.net", true)]
        [DataRow("*.whatsapp.net", "MMG.WHATSAPP.NET", true)]
        [DataRow("*.whatsapp.net", "whatsapp.net", false)]
        [DataRow("*.whatsapp.net", "evilwhatsapp.net", false)]
        [DataRow("*.whatsapp.net", "whatsapp.net.evil.com", false)]
        [DataRow("*.whatsapp.net", ".whatsapp.net", false)]
        [DataRow("*.WhatsApp.com", "static.whatsapp.com", true)]
        public void Matches_Cases(string pattern, string host, bool expected)
        {
            Assert.AreEqual(expected, Match(pattern, host));
        }

        [TestMethod]
        [DataRow("")]
        [DataRow("*")]
        [DataRow("*.")]
        [DataRow("**.whatsapp.net")]
        [DataRow("what*.net")]
        [DataRow("whatsapp.net.")]
        [DataRow("white space.net")]
        [DataRow("*whatsapp.net")]
        public void Parse_BadPatterns_Null(string pattern)
        {
            Assert.IsNull(HostPattern.Parse(pattern));
        }

        [TestMethod]
        public void AllowList_EmptyList_DeniesEverything()
        {
            string error;
            HostAllowList list = HostAllowList.Parse(new string[0], out error);
            byte[] host = Bytes.Ascii("whatsapp.net");
            Assert.IsFalse(list.Allows(host, 0, host.Length));
            Assert.IsNull(error);
        }

        [TestMethod]
        public void AllowList_BadPattern_NamesIt()
        {
            string error;
            Assert.IsNull(HostAllowList.Parse(new string[] { "whatsapp.net", "bad pattern" }, out error));
            Assert.IsTrue(error.IndexOf("bad pattern") >= 0);
        }

        [TestMethod]
        public void AllowList_DefaultMediaList_AllowsWhatsAppOnly()
        {
            string error;
            HostAllowList list = HostAllowList.Parse(Pigeon.Config.ConfigDefaults.MediaAllowedSni(), out error);
            string[] yes = new string[] { "whatsapp.net", "mmg.whatsapp.net", "media.fbcdn.whatsapp.net", "web.whatsapp.com" };
            string[] no = new string[] { "whatsapp.com", "example.com", "whatsapp.net.example.com", "fakewhatsapp.net" };
            for (int i = 0; i < yes.Length; i++)
            {
                byte[] h = Bytes.Ascii(yes[i]);
                Assert.IsTrue(list.Allows(h, 0, h.Length), yes[i]);
            }

            for (int i = 0; i < no.Length; i++)
            {
                byte[] h = Bytes.Ascii(no[i]);
                Assert.IsFalse(list.Allows(h, 0, h.Length), no[i]);
            }
        }
    }
}
