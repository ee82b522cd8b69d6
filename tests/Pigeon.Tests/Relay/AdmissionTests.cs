// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;
using Pigeon.Relay;
using Pigeon.Routing;
using Pigeon.Tests.Support;
using Pigeon.Tls;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Relay
{
    [TestClass]
    public class AdmissionTests
    {
        [TestMethod]
        public void Plain_ChatBytes_GoAtFirstByte()
        {
            byte[] b = Bytes.Hex("5741060500");
            Assert.AreEqual(Code(Verdict.Go), Plain(Chat(false, false), b, 0, 1));
        }

        [TestMethod]
        public void Plain_TlsHello_RefusedAsTlsOnChatPortOnceThreeBytesSayTls()
        {
            byte[] hello = new HelloBuilder().Build();
            Route route = Chat(false, false);
            Assert.AreEqual(Code(Verdict.NeedMore), Plain(route, hello, 0, 1));
            Assert.AreEqual(Code(Verdict.NeedMore), Plain(route, hello, 0, 2));
            Assert.AreEqual(Refused(RefusalReason.TlsOnChatPort), Plain(route, hello, 0, 3));
        }

        [TestMethod]
        public void Plain_Byte16NotFollowedByTlsVersion_IsChatData()
        {
            Assert.AreEqual(Code(Verdict.Go), Plain(Chat(false, false), Bytes.Hex("1605"), 0, 2));
            Assert.AreEqual(Code(Verdict.Go), Plain(Chat(false, false), Bytes.Hex("160307"), 0, 3));
        }

        [TestMethod]
        public void Plain_AllowTls_CarriesTheHello()
        {
            byte[] hello = new HelloBuilder().Build();
            Assert.AreEqual(Code(Verdict.Go), Plain(Chat(true, false), hello, 0, 3));
        }

        [TestMethod]
        public void Plain_ChatOpeningCheck_WaAndEdAdmitted_OthersRefused()
        {
            Route route = Chat(false, true);
            Assert.AreEqual(Code(Verdict.Go), Plain(route, Bytes.Ascii("WA\u0006\u0005"), 0, 4));
            Assert.AreEqual(Code(Verdict.Go), Plain(route, Bytes.Hex("45440001"), 0, 4));
            Assert.AreEqual(Code(Verdict.NeedMore), Plain(route, Bytes.Ascii("W"), 0, 1));
            Assert.AreEqual(Refused(RefusalReason.NotChatClient), Plain(route, Bytes.Ascii("P"), 0, 1));
            Assert.AreEqual(Refused(RefusalReason.NotChatClient), Plain(route, Bytes.Ascii("WX"), 0, 2));
            Assert.AreEqual(Refused(RefusalReason.NotChatClient), Plain(route, Bytes.Ascii("GET / HTTP/1.1"), 0, 14));
        }

        [TestMethod]
        public void TlsRecord_HandshakeRecord_StartsTls_OtherBytesNotTls()
        {
            byte[] hello = new HelloBuilder().Build();
            Assert.AreEqual(Code(Verdict.NeedMore), TlsRecord(hello, 0, 0));
            Assert.AreEqual(Code(Verdict.NeedMore), TlsRecord(hello, 0, 2));
            Assert.AreEqual(Code(Verdict.StartTls), TlsRecord(hello, 0, 3));
            Assert.AreEqual(Refused(RefusalReason.NotTls), TlsRecord(Bytes.Ascii("GET /"), 0, 5));
            Assert.AreEqual(Refused(RefusalReason.NotTls), TlsRecord(Bytes.Hex("1603FF"), 0, 3));
            Assert.AreEqual(Refused(RefusalReason.NotTls), TlsRecord(Bytes.Hex("1601"), 0, 2));
        }

        [TestMethod]
        public void Sni_AllowedName_Go_OtherNameAndNoNameRefused()
        {
            Route route = Media();
            ClientHelloReader reader = new ClientHelloReader(4096);
            byte[] ok = new HelloBuilder().Build();
            Assert.AreEqual(Code(Verdict.Go), Sni(route, reader, ok, 0, ok.Length));
            Assert.AreEqual(Code(Verdict.NeedMore), Sni(route, reader, ok, 0, ok.Length - 1));

            HelloBuilder evil = new HelloBuilder();
            evil.Names = new string[] { "evil.example" };
            byte[] bad = evil.Build();
            Assert.AreEqual(Refused(RefusalReason.SniNotAllowed), Sni(route, reader, bad, 0, bad.Length));

            HelloBuilder none = new HelloBuilder();
            none.NoExtensions = true;
            byte[] nameless = none.Build();
            Assert.AreEqual(Refused(RefusalReason.SniNotAllowed), Sni(route, reader, nameless, 0, nameless.Length));
        }

        [TestMethod]
        public void Sni_AddressLikeName_RefusedEvenWhenAPatternMatches()
        {
            // *.0.0.1 is a bad pattern the validator warns about; the relay must still never be
            // steered to an address.
            Route route = Sni(new string[] { "*.0.0.1", "*.1", "*.net" });
            ClientHelloReader reader = new ClientHelloReader(4096);
            string[] names = new string[] { "127.0.0.1", "10.1", "0x7f.0.0.1", "a.b.123" };
            for (int i = 0; i < names.Length; i++)
            {
                HelloBuilder b = new HelloBuilder();
                b.Names = new string[] { names[i] };
                byte[] hello = b.Build();
                Assert.AreEqual(Refused(RefusalReason.SniNotAllowed), Sni(route, reader, hello, 0, hello.Length), names[i]);
            }

            HelloBuilder name = new HelloBuilder();
            name.Names = new string[] { "mmg.whatsapp.net" };
            byte[] good = name.Build();
            Assert.AreEqual(Code(Verdict.Go), Sni(route, reader, good, 0, good.Length));
        }

        [TestMethod]
        public void IsAddressLike_NamesAndAddresses()
        {
            Assert.IsTrue(HostName.IsAddressLike(Bytes.Ascii("127.0.0.1"), 0, 9));
            Assert.IsTrue(HostName.IsAddressLike(Bytes.Ascii("127.1"), 0, 5));
            Assert.IsTrue(HostName.IsAddressLike(Bytes.Ascii("1.0x7f"), 0, 6));
            Assert.IsTrue(HostName.IsAddressLike(Bytes.Ascii("2130706433"), 0, 10));
            Assert.IsFalse(HostName.IsAddressLike(Bytes.Ascii("whatsapp.net"), 0, 12));
            Assert.IsFalse(HostName.IsAddressLike(Bytes.Ascii("1.2.3.example"), 0, 13));
            Assert.IsFalse(HostName.IsAddressLike(Bytes.Ascii("xn--p1ai"), 0, 8));
        }

        // A verdict and its reason as one number, so one assert checks both on either runtime
        // (nanoFramework's Assert has no enum overloads).
        private static int Code(Verdict verdict)
        {
            return (int)verdict * 100;
        }

        private static int Refused(RefusalReason reason)
        {
            return ((int)Verdict.Refuse * 100) + (int)reason;
        }

        private static int Code(Verdict verdict, RefusalReason reason)
        {
            return verdict == Verdict.Refuse ? Refused(reason) : Code(verdict);
        }

        private static int Plain(Route route, byte[] buffer, int offset, int count)
        {
            RefusalReason reason;
            Verdict verdict = Admission.Plain(route, buffer, offset, count, out reason);
            return Code(verdict, reason);
        }

        private static int TlsRecord(byte[] buffer, int offset, int count)
        {
            RefusalReason reason;
            Verdict verdict = Admission.TlsRecord(buffer, offset, count, out reason);
            return Code(verdict, reason);
        }

        private static int Sni(Route route, ClientHelloReader reader, byte[] buffer, int offset, int count)
        {
            RefusalReason reason;
            Verdict verdict = Admission.Sni(route, reader, buffer, offset, count, out reason);
            return Code(verdict, reason);
        }

        private static Route Chat(bool allowTls, bool openingCheck)
        {
            RouteConfig c = ConfigDefaults.ChatRoute(5222);
            c.AllowTls = allowTls;
            c.ChatOpeningCheck = openingCheck;
            return Build(c);
        }

        private static Route Media()
        {
            return Build(ConfigDefaults.MediaRoute(7777));
        }

        private static Route Sni(string[] patterns)
        {
            RouteConfig c = ConfigDefaults.MediaRoute(7777);
            c.AllowedSni = patterns;
            return Build(c);
        }

        private static Route Build(RouteConfig c)
        {
            string error;
            Route route = Route.Build(c, 0, out error);
            Assert.IsNotNull(route, error);
            return route;
        }
    }
}
