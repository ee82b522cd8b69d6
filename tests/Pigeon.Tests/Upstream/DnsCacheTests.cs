// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Net;
using Pigeon.Routing;
using Pigeon.Tests.Support;
using Pigeon.Upstream;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Upstream
{
    [TestClass]
    public class DnsCacheTests
    {
        [TestMethod]
        public void TryResolve_HitWithinLifetime_AsksOnce()
        {
            FakeClock clock = new FakeClock();
            FakeResolver resolver = new FakeResolver("g.whatsapp.net", 0x0A000001);
            DnsCache cache = new DnsCache(resolver, clock, 300, 4);
            uint a;
            Assert.IsTrue(cache.TryResolve("g.whatsapp.net", out a));
            Assert.AreEqual(0x0A000001u, a);
            byte[] upper = Bytes.Ascii("G.WhatsApp.net");
            Assert.IsTrue(cache.TryResolve(upper, 0, upper.Length, out a), "byte form, other case, same entry");
            Assert.AreEqual(1, resolver.Calls);
            clock.Now += 299000;
            Assert.IsTrue(cache.TryResolve("g.whatsapp.net", out a));
            Assert.AreEqual(1, resolver.Calls);
            clock.Now += 2000;
            Assert.IsTrue(cache.TryResolve("g.whatsapp.net", out a));
            Assert.AreEqual(2, resolver.Calls, "expired: asked again");
        }

        [TestMethod]
        public void TryResolve_Failure_RememberedBriefly()
        {
            FakeClock clock = new FakeClock();
            FakeResolver resolver = new FakeResolver("known.example", 1);
            DnsCache cache = new DnsCache(resolver, clock, 300, 4);
            uint a;
            Assert.IsFalse(cache.TryResolve("unknown.example", out a));
            Assert.IsFalse(cache.TryResolve("unknown.example", out a));
            Assert.AreEqual(1, resolver.Calls);
            clock.Now += DnsCache.NegativeSeconds * 1000 + 1;
            Assert.IsFalse(cache.TryResolve("unknown.example", out a));
            Assert.AreEqual(2, resolver.Calls);
        }

        [TestMethod]
        public void TryResolve_Literal_NoLookup()
        {
            FakeResolver resolver = new FakeResolver("x", 1);
            DnsCache cache = new DnsCache(resolver, new FakeClock(), 300, 2);
            uint a;
            Assert.IsTrue(cache.TryResolve("127.0.0.1", out a));
            Assert.AreEqual(IPv4.Loopback, a);
            Assert.AreEqual(0, resolver.Calls);
        }

        [TestMethod]
        public void TryResolve_MoreNamesThanCapacity_EvictsOldest()
        {
            FakeResolver resolver = new FakeResolver("*", 7);
            DnsCache cache = new DnsCache(resolver, new FakeClock(), 300, 2);
            uint a;
            cache.TryResolve("a.example", out a);
            cache.TryResolve("b.example", out a);
            cache.TryResolve("c.example", out a);
            Assert.AreEqual(3, resolver.Calls);
            cache.TryResolve("c.example", out a);
            cache.TryResolve("b.example", out a);
            Assert.AreEqual(3, resolver.Calls, "b and c still cached");
            cache.TryResolve("a.example", out a);
            Assert.AreEqual(4, resolver.Calls, "a was evicted");
        }
    }
}
