using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Relay;
using Pigeon.Routing;
using Pigeon.Tests.Support;

namespace Pigeon.Tests.Host.Relay
{
    /// <summary>
    /// Host-only: admission of the bytes inside a terminated TLS (Admission.Host.cs; a board has
    /// no TLS stage). The other admissions are the shared AdmissionTests'.
    /// </summary>
    [TestClass]
    public class AdmissionInnerTests
    {
        [TestMethod]
        public void Inner_HttpRequest_IsDecoy_ChatOpeningIsGo()
        {
            Route route = Chat(false, false);
            Assert.AreEqual(Code(Verdict.Decoy), Inner(route, Bytes.Ascii("GET / HTTP/1.1\r\n"), 0, 16));
            Assert.AreEqual(Code(Verdict.Decoy), Inner(route, Bytes.Ascii("OPTIONS * HTTP/1.1\r\n"), 0, 20));
            Assert.AreEqual(Code(Verdict.NeedMore), Inner(route, Bytes.Ascii("GET"), 0, 3));
            Assert.AreEqual(Code(Verdict.NeedMore), Inner(route, Bytes.Ascii("GET "), 0, 4));
            Assert.AreEqual(Code(Verdict.NeedMore), Inner(route, Bytes.Ascii("WA"), 0, 2));
            Assert.AreEqual(Code(Verdict.Go), Inner(route, Bytes.Ascii("WA\u0006\u0005"), 0, 4));
            // Not "GET\u0000": nanoCLR stores string literals zero-terminated, so on the board that
            // literal is "GET" and the test would read past it (found on the POSIX nanoCLR).
            Assert.AreEqual(Code(Verdict.Go), Inner(route, new byte[] { (byte)'G', (byte)'E', (byte)'T', 0 }, 0, 4));
            Assert.AreEqual(Code(Verdict.Go), Inner(route, Bytes.Ascii("GET x"), 0, 5), "no path: not a request line");
            Assert.AreEqual(Code(Verdict.Go), Inner(route, Bytes.Ascii("ABCDEFGHIJKL"), 0, 12), "longer than any method");
        }

        private static int Inner(Route route, byte[] buffer, int offset, int count)
        {
            RefusalReason reason;
            Verdict verdict = Admission.Inner(route, buffer, offset, count, out reason);
            return Code(verdict, reason);
        }

        private static int Code(Verdict verdict)
        {
            return (int)verdict * 100;
        }

        private static int Code(Verdict verdict, RefusalReason reason)
        {
            return verdict == Verdict.Refuse ? ((int)Verdict.Refuse * 100) + (int)reason : Code(verdict);
        }

        private static Route Chat(bool allowTls, bool openingCheck)
        {
            RouteConfig c = ConfigDefaults.ChatRoute(5222);
            c.AllowTls = allowTls;
            c.ChatOpeningCheck = openingCheck;
            string error;
            Route route = Route.Build(c, 0, out error);
            Assert.IsNotNull(route, error);
            return route;
        }
    }
}
