using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Net;
using Pigeon.Reach;
using Pigeon.Tests.Support;

namespace Pigeon.Tests.Host.Reach
{
    /// <summary>Host-only: dynamic DNS's updater (DynDns.Host.cs; a board has no HTTPS client, so no dynamic DNS).</summary>
    [TestClass]
    public class DynDnsTests
    {
        [TestMethod]
        [DataRow("good 81.2.69.160", (int)DynDnsResult.Good)]
        [DataRow("nochg 81.2.69.160\n", (int)DynDnsResult.NoChange)]
        [DataRow("badauth", (int)DynDnsResult.BadAuth)]
        [DataRow("nohost", (int)DynDnsResult.NoHost)]
        [DataRow("notfqdn", (int)DynDnsResult.NotFqdn)]
        [DataRow("abuse", (int)DynDnsResult.Abuse)]
        [DataRow("911", (int)DynDnsResult.ServerError)]
        [DataRow("dnserr", (int)DynDnsResult.ServerError)]
        [DataRow("badagent", (int)DynDnsResult.BadAgent)]
        [DataRow("<html>oops</html>", (int)DynDnsResult.Failed)]
        [DataRow("", (int)DynDnsResult.Failed)]
        public void Parse_Answer_Result(string body, int expected)
        {
            Assert.AreEqual(expected, (int)DynDns.Parse(body));
        }

        [TestMethod]
        public void BuildUrl_HostAndIp_Query()
        {
            Assert.AreEqual("https://dyn.example/nic/update?hostname=relay.example.net&myip=81.2.69.160",
                DynDns.BuildUrl("https://dyn.example/nic/update", "relay.example.net", 0x510245A0));
            Assert.AreEqual("https://dyn.example/u?k=1&hostname=a.b&myip=81.2.69.160", DynDns.BuildUrl("https://dyn.example/u?k=1", "a.b", 0x510245A0));
        }

        [TestMethod]
        public void Constructor_NotAWebAddress_Refused()
        {
            DynDns dyn = new DynDns(new FakeWeb("good"), new FakeClock(0), "ftp://dyn.example/nic/update", "u", "p", "relay.example.net");
            Assert.IsNotNull(dyn.ConfigError);
            Assert.IsFalse(dyn.Update(0x510245A0));
        }

        [TestMethod]
        public void Constructor_NoHostName_Refused()
        {
            DynDns dyn = new DynDns(new FakeWeb("good"), new FakeClock(0), "https://dyn.example/nic/update", "u", "p", "");
            Assert.IsTrue(dyn.ConfigError.IndexOf("publicHost") >= 0);
        }

        [TestMethod]
        public void Update_Good_OnlyAgainWhenAddressChanges()
        {
            FakeWeb web = new FakeWeb("good 81.2.69.160");
            DynDns dyn = new DynDns(web, new FakeClock(1000), "https://dyn.example/nic/update", "user", "secret", "relay.example.net");
            Assert.IsTrue(dyn.Update(0x510245A0));
            Assert.AreEqual((int)DynDnsResult.Good, (int)dyn.LastResult);
            Assert.AreEqual("https://dyn.example/nic/update?hostname=relay.example.net&myip=81.2.69.160", web.LastUrl);
            Assert.AreEqual("user", web.LastUser);
            Assert.IsFalse(dyn.Update(0x510245A0));
            Assert.AreEqual(1, web.Calls);
            Assert.IsTrue(dyn.Update(0x510245A1));
            Assert.AreEqual(2, web.Calls);
        }

        [TestMethod]
        public void Update_CgnatAddress_NotSent()
        {
            FakeWeb web = new FakeWeb("good");
            DynDns dyn = new DynDns(web, new FakeClock(0), "https://dyn.example/nic/update", "u", "p", "relay.example.net");
            Assert.IsFalse(dyn.Update(0x64400001));
            Assert.AreEqual(0, web.Calls);
        }

        [TestMethod]
        public void Update_BadAuth_StopsUntilConfigChanges()
        {
            FakeWeb web = new FakeWeb("badauth");
            DynDns dyn = new DynDns(web, new FakeClock(0), "https://dyn.example/nic/update", "u", "wrong", "relay.example.net");
            Assert.IsTrue(dyn.Update(0x510245A0));
            Assert.IsTrue(dyn.LastMessage.IndexOf("user name or password") >= 0);
            Assert.IsFalse(dyn.Update(0x510245A1));
            Assert.AreEqual(1, web.Calls);
        }

        [TestMethod]
        public void Update_ServerError_RetriesAfterHalfAnHour()
        {
            FakeWeb web = new FakeWeb("911");
            FakeClock clock = new FakeClock(0);
            DynDns dyn = new DynDns(web, clock, "https://dyn.example/nic/update", "u", "p", "relay.example.net");
            Assert.IsTrue(dyn.Update(0x510245A0));
            clock.Advance(DynDns.ServerErrorRetryMs - 1);
            Assert.IsFalse(dyn.Update(0x510245A0));
            clock.Advance(1);
            web.Answer = "good";
            Assert.IsTrue(dyn.Update(0x510245A0));
            Assert.AreEqual((int)DynDnsResult.Good, (int)dyn.LastResult);
        }

        [TestMethod]
        public void Update_NoAnswer_Failed()
        {
            FakeWeb web = new FakeWeb(null);
            DynDns dyn = new DynDns(web, new FakeClock(0), "https://dyn.example/nic/update", "u", "p", "relay.example.net");
            Assert.IsTrue(dyn.Update(0x510245A0));
            Assert.AreEqual((int)DynDnsResult.Failed, (int)dyn.LastResult);
            Assert.IsTrue(dyn.LastMessage.IndexOf("cannot reach") >= 0);
        }

        /// <summary>Answers every GET with a fixed body (null = unreachable).</summary>
        public sealed class FakeWeb : IWebClient
        {
            /// <summary>Creates it.</summary>
            public FakeWeb(string answer)
            {
                Answer = answer;
            }

            /// <summary>The body returned.</summary>
            public string Answer { get; set; }

            /// <summary>GETs made.</summary>
            public int Calls { get; private set; }

            /// <summary>The last URL.</summary>
            public string LastUrl { get; private set; }

            /// <summary>The last user.</summary>
            public string LastUser { get; private set; }

            /// <inheritdoc />
            public string Get(string url, string user, string password, string userAgent, int maxBytes, out int status, out string error)
            {
                Calls++;
                LastUrl = url;
                LastUser = user;
                status = Answer == null ? 0 : 200;
                error = Answer == null ? "connection refused" : null;
                return Answer;
            }
        }
    }
}
