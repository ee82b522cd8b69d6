using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Net;
using Pigeon.Reach;
using Pigeon.Tests.Support;

namespace Pigeon.Tests.Host.Reach
{
    /// <summary>The mapper against a fake router on 127.0.0.1 (SSDP, description, SOAP, NAT-PMP).</summary>
    [TestClass]
    public class PortMapperTests
    {
        private static PortMapper Mapper(FakeRouter router, Recording net, FakeClock clock, ListLog log, bool natPmp)
        {
            UpnpClient upnp = new UpnpClient(net, net, IPv4.Loopback, router.SsdpPort, 600, 2000, 16384);
            NatPmp pmp = natPmp ? new NatPmp(net, IPv4.Loopback, router.NatPmpPort) : null;
            PortMapper mapper = new PortMapper(upnp, pmp, IPv4.Loopback, clock, log, "Pigeon relay");
            mapper.SetPorts(new int[] { 5222, 587 });
            return mapper;
        }

        [TestMethod]
        public void Refresh_UpnpRouter_MapsEveryPortAndReadsAddress()
        {
            using FakeRouter router = new FakeRouter();
            Recording net = new Recording();
            FakeClock clock = new FakeClock(1000);
            PortMapper mapper = Mapper(router, net, clock, new ListLog(), true);

            mapper.Refresh();

            Assert.AreEqual(MappingMethod.Upnp, mapper.Method);
            MappingStatus[] status = mapper.Snapshot();
            Assert.AreEqual(MappingState.Mapped, status[0].State, status[0].Message);
            Assert.AreEqual(MappingState.Mapped, status[1].State, status[1].Message);
            Assert.AreEqual(5222, status[0].ExternalPort);
            Assert.AreEqual(PortMapper.UpnpLeaseSeconds, status[0].LeaseSeconds);
            Assert.AreEqual(1000 + (PortMapper.UpnpLeaseSeconds * 1000L), status[0].ExpiresAtMs);
            Assert.AreEqual("81.2.69.160", IPv4.ToText(mapper.ExternalAddress));
            Assert.AreEqual(AddressKind.Public, mapper.AddressKind);
            Assert.AreEqual("81.2.69.160", mapper.ShareHost(""));
            Assert.AreEqual("relay.example.net", mapper.ShareHost("relay.example.net"));

            string add = router.Bodies.Find(b => b.Contains("<NewExternalPort>5222<", System.StringComparison.Ordinal));
            Assert.IsNotNull(add);
            StringAssert.Contains(add, "<NewProtocol>TCP</NewProtocol><NewInternalPort>5222</NewInternalPort><NewInternalClient>127.0.0.1</NewInternalClient>");
            StringAssert.Contains(add, "<NewLeaseDuration>3600</NewLeaseDuration>");
            Assert.IsTrue(net.OnlyLoopback(), string.Join("; ", net.Contacts));
        }

        [TestMethod]
        public void Refresh_LeaseHalfGone_Renewed()
        {
            using FakeRouter router = new FakeRouter();
            Recording net = new Recording();
            FakeClock clock = new FakeClock(0);
            PortMapper mapper = Mapper(router, net, clock, new ListLog(), false);
            mapper.Refresh();
            Assert.AreEqual(2, router.Count("AddPortMapping"));

            clock.Advance((PortMapper.UpnpLeaseSeconds * 500L) - 1);
            mapper.Refresh();
            Assert.AreEqual(2, router.Count("AddPortMapping"), "renewed too early");

            clock.Advance(1);
            mapper.Refresh();
            Assert.AreEqual(4, router.Count("AddPortMapping"), "not renewed at half the lease");
            Assert.AreEqual((PortMapper.UpnpLeaseSeconds * 1500L), mapper.Snapshot()[0].ExpiresAtMs);
        }

        [TestMethod]
        public void Refresh_OnlyPermanentLeases_RetriedWithZero()
        {
            using FakeRouter router = new FakeRouter { OnlyPermanent = true };
            Recording net = new Recording();
            FakeClock clock = new FakeClock(0);
            PortMapper mapper = Mapper(router, net, clock, new ListLog(), false);
            mapper.Refresh();

            MappingStatus status = mapper.Snapshot()[0];
            Assert.AreEqual(MappingState.Mapped, status.State, status.Message);
            Assert.AreEqual(0, status.LeaseSeconds);
            Assert.AreEqual(0L, status.ExpiresAtMs);
            Assert.AreEqual(4, router.Count("AddPortMapping")); // 3600 refused (725), then 0, per port

            clock.Advance(PortMapper.PermanentRefreshMs);
            mapper.Refresh();
            Assert.IsTrue(router.Count("AddPortMapping") > 4, "a permanent mapping is added again after 30 minutes");
        }

        [TestMethod]
        [DataRow(718, "port taken by another device")]
        [DataRow(606, "UPnP is off in its settings")]
        [DataRow(401, "does not offer this UPnP action")]
        [DataRow(501, "action failed")]
        [DataRow(728, "no free port mapping slots")]
        [DataRow(729, "another mechanism")]
        public void Refresh_AddFault_FailedWithSentence(int code, string words)
        {
            using FakeRouter router = new FakeRouter { AddFault = code, NatPmpOn = false };
            Recording net = new Recording();
            ListLog log = new ListLog();
            PortMapper mapper = Mapper(router, net, new FakeClock(0), log, false);
            mapper.Refresh();

            MappingStatus status = mapper.Snapshot()[0];
            Assert.AreEqual(MappingState.Failed, status.State);
            Assert.AreEqual(MappingMethod.Upnp, status.Method);
            StringAssert.Contains(status.Message, words);
            Assert.IsTrue(log.Lines.Exists(l => l.StartsWith("warn: port mapping: port 5222", System.StringComparison.Ordinal)));
        }

        [TestMethod]
        public void Refresh_UpnpRefusesNatPmpAllows_MappedByNatPmp()
        {
            using FakeRouter router = new FakeRouter { AddFault = 606 };
            Recording net = new Recording();
            PortMapper mapper = Mapper(router, net, new FakeClock(0), new ListLog(), true);
            mapper.Refresh();

            MappingStatus status = mapper.Snapshot()[0];
            Assert.AreEqual(MappingState.Mapped, status.State, status.Message);
            Assert.AreEqual(MappingMethod.NatPmp, status.Method);
            StringAssert.Contains(status.Message, "UPnP refused");
        }

        [TestMethod]
        public void Refresh_NoUpnp_NatPmpMapsAndReadsAddress()
        {
            using FakeRouter router = new FakeRouter { SsdpOn = false, NatPmpAddress = 0x64400007 };
            Recording net = new Recording();
            PortMapper mapper = Mapper(router, net, new FakeClock(0), new ListLog(), true);
            mapper.Refresh();

            Assert.AreEqual(MappingMethod.NatPmp, mapper.Method);
            MappingStatus status = mapper.Snapshot()[1];
            Assert.AreEqual(MappingState.Mapped, status.State, status.Message);
            Assert.AreEqual(587, status.ExternalPort);
            Assert.AreEqual(NatPmp.RecommendedLifetime, status.LeaseSeconds);
            Assert.AreEqual(AddressKind.CarrierGradeNat, mapper.AddressKind);
            StringAssert.Contains(mapper.AddressNote, "cannot be reached from outside");
            Assert.IsNull(mapper.ShareHost(null));
            Assert.IsTrue(net.OnlyLoopback(), string.Join("; ", net.Contacts));
        }

        [TestMethod]
        public void Refresh_NatPmpGrantsOtherPort_StatusSaysWhichToShare()
        {
            using FakeRouter router = new FakeRouter { SsdpOn = false, NatPmpGrantedPort = 40000 };
            PortMapper mapper = Mapper(router, new Recording(), new FakeClock(0), new ListLog(), true);
            mapper.Refresh();
            MappingStatus status = mapper.Snapshot()[0];
            Assert.AreEqual(40000, status.ExternalPort);
            StringAssert.Contains(status.Message, "outside port 40000 instead of 5222");
        }

        [TestMethod]
        [DataRow(2, "off in its settings")]
        [DataRow(3, "not connected to the internet")]
        [DataRow(4, "no free port mapping slots")]
        public void Refresh_NatPmpError_FailedWithSentence(int code, string words)
        {
            using FakeRouter router = new FakeRouter { SsdpOn = false, NatPmpResult = code };
            PortMapper mapper = Mapper(router, new Recording(), new FakeClock(0), new ListLog(), true);
            mapper.Refresh();
            MappingStatus status = mapper.Snapshot()[0];
            Assert.AreEqual(MappingState.Failed, status.State);
            StringAssert.Contains(status.Message, words);
        }

        [TestMethod]
        public void Refresh_NatPmpStrayAnswerFromOtherPort_Ignored()
        {
            using FakeRouter router = new FakeRouter { SsdpOn = false, NatPmpStrayFirst = true };
            PortMapper mapper = Mapper(router, new Recording(), new FakeClock(0), new ListLog(), true);
            mapper.Refresh();
            Assert.AreEqual("81.2.69.160", IPv4.ToText(mapper.ExternalAddress));
            Assert.AreEqual(MappingState.Mapped, mapper.Snapshot()[0].State);
        }

        [TestMethod]
        public void Refresh_NoRouterAtAll_FailedWithBothReasonsThenRetriesLater()
        {
            using FakeRouter router = new FakeRouter { SsdpOn = false, NatPmpOn = false };
            FakeClock clock = new FakeClock(0);
            PortMapper mapper = Mapper(router, new Recording(), clock, new ListLog(), true);
            mapper.Refresh();

            MappingStatus status = mapper.Snapshot()[0];
            Assert.AreEqual(MappingState.Failed, status.State);
            StringAssert.Contains(status.Message, "UPnP may be off");
            StringAssert.Contains(status.Message, "did not answer NAT-PMP");
            Assert.AreEqual(AddressKind.None, mapper.AddressKind);
            int searches = router.Count("M-SEARCH");

            mapper.Refresh();
            Assert.AreEqual(searches, router.Count("M-SEARCH"), "searched again before the retry time");
            router.SsdpOn = true;
            clock.Advance(PortMapper.RetryMs);
            mapper.Refresh();
            Assert.AreEqual(MappingState.Mapped, mapper.Snapshot()[0].State);
        }

        [TestMethod]
        [DataRow("100.64.12.1", AddressKind.CarrierGradeNat)]
        [DataRow("192.168.0.20", AddressKind.Private)]
        [DataRow("10.0.0.2", AddressKind.Private)]
        [DataRow("0.0.0.0", AddressKind.None)]
        [DataRow("", AddressKind.None)]
        [DataRow("81.2.69.160", AddressKind.Public)]
        public void Refresh_ExternalAddressInEachRange_Kind(string external, AddressKind kind)
        {
            using FakeRouter router = new FakeRouter { ExternalIp = external };
            PortMapper mapper = Mapper(router, new Recording(), new FakeClock(0), new ListLog(), false);
            mapper.Refresh();
            Assert.AreEqual(kind, mapper.AddressKind);
            Assert.AreEqual(kind == AddressKind.Public, mapper.AddressNote.IndexOf("cannot be reached from outside", System.StringComparison.Ordinal) < 0);
        }

        [TestMethod]
        public void Refresh_ExternalAddressNotIPv4_Ignored()
        {
            using FakeRouter router = new FakeRouter { ExternalIp = "<b>81.2.69.160</b>" };
            PortMapper mapper = Mapper(router, new Recording(), new FakeClock(0), new ListLog(), false);
            mapper.Refresh();
            Assert.AreEqual(0u, mapper.ExternalAddress);
            Assert.AreEqual(AddressKind.None, mapper.AddressKind);
        }

        [TestMethod]
        public void SetPorts_RouteRemoved_DeletesItsMapping()
        {
            using FakeRouter router = new FakeRouter();
            PortMapper mapper = Mapper(router, new Recording(), new FakeClock(0), new ListLog(), false);
            mapper.Refresh();
            mapper.SetPorts(new int[] { 587 });

            Assert.AreEqual(1, router.Count("DeletePortMapping"));
            StringAssert.Contains(router.Bodies.FindLast(b => b.Contains("DeletePortMapping", System.StringComparison.Ordinal)), "<NewExternalPort>5222</NewExternalPort>");
            Assert.AreEqual(1, mapper.Snapshot().Length);
            Assert.AreEqual(MappingState.Mapped, mapper.Snapshot()[0].State);
        }

        [TestMethod]
        public void RemoveAll_FactoryReset_DeletesEveryMapping()
        {
            using FakeRouter router = new FakeRouter();
            PortMapper mapper = Mapper(router, new Recording(), new FakeClock(0), new ListLog(), false);
            mapper.Refresh();
            mapper.RemoveAll();
            Assert.AreEqual(2, router.Count("DeletePortMapping"));
            Assert.AreEqual(MappingState.Removed, mapper.Snapshot()[0].State);
        }

        [TestMethod]
        public void RemoveAll_NatPmpMapping_DeletedWithLifetimeZero()
        {
            using FakeRouter router = new FakeRouter { SsdpOn = false };
            PortMapper mapper = Mapper(router, new Recording(), new FakeClock(0), new ListLog(), true);
            mapper.Refresh();
            mapper.RemoveAll();
            byte[] last = router.NatPmpRequests[router.NatPmpRequests.Count - 1];
            Assert.AreEqual(12, last.Length);
            Assert.AreEqual(2, last[1]);
            Assert.AreEqual(0, last[6] | last[7] | last[8] | last[9] | last[10] | last[11]);
        }

        [TestMethod]
        public void SetEnabled_Off_DeletesAndStopsSearching()
        {
            using FakeRouter router = new FakeRouter();
            PortMapper mapper = Mapper(router, new Recording(), new FakeClock(0), new ListLog(), false);
            mapper.Refresh();
            mapper.SetEnabled(false);
            int searches = router.Count("M-SEARCH");
            mapper.Refresh();
            Assert.AreEqual(2, router.Count("DeletePortMapping"));
            Assert.AreEqual(searches, router.Count("M-SEARCH"));
            Assert.AreEqual(MappingState.Off, mapper.Snapshot()[0].State);
        }

        private static PortMapper PcpMapper(FakeRouter router, ListLog log)
        {
            Recording net = new Recording();
            UpnpClient upnp = new UpnpClient(net, net, IPv4.Loopback, router.SsdpPort, 600, 2000, 16384);
            NatPmp pmp = new NatPmp(net, IPv4.Loopback, router.NatPmpPort);
            Pcp pcp = new Pcp(net, IPv4.Loopback, router.NatPmpPort, IPv4.Loopback, new CountingRandom());
            PortMapper mapper = new PortMapper(upnp, pmp, pcp, IPv4.Loopback, new FakeClock(0), log, "Pigeon relay");
            mapper.SetPorts(new int[] { 5222, 587 });
            return mapper;
        }

        [TestMethod]
        public void Refresh_PcpOnlyRouter_MappedByPcp()
        {
            using FakeRouter router = new FakeRouter { SsdpOn = false, PcpOnly = true };
            PortMapper mapper = PcpMapper(router, new ListLog());
            mapper.Refresh();

            Assert.AreEqual(MappingMethod.Pcp, mapper.Method);
            MappingStatus[] status = mapper.Snapshot();
            Assert.AreEqual(MappingState.Mapped, status[0].State, status[0].Message);
            Assert.AreEqual("mapped by PCP", status[0].Message);
            Assert.AreEqual(MappingState.Mapped, status[1].State, status[1].Message);
            Assert.AreEqual(587, status[1].ExternalPort);
            Assert.AreEqual(NatPmp.RecommendedLifetime, status[0].LeaseSeconds);
            Assert.AreEqual("pcp", MappingStatus.MethodName(status[0].Method));
            Assert.AreEqual("81.2.69.160", IPv4.ToText(mapper.ExternalAddress));
            StringAssert.Contains(mapper.RouterNote, "PCP router at 127.0.0.1");

            List<byte[]> maps = router.NatPmpRequests.FindAll(r => r[0] == 2);
            Assert.AreEqual(2, maps.Count);
            Assert.AreEqual(60, maps[0].Length);
            Assert.AreEqual(1, maps[0][1]);
            Assert.AreEqual(127, maps[0][20]); // ::ffff:127.0.0.1 as the client
            Assert.AreNotEqual(Convert.ToHexString(maps[0], 24, 12), Convert.ToHexString(maps[1], 24, 12), "each mapping has its own nonce");
        }

        [TestMethod]
        public void Refresh_PcpStrayAnswerFromOtherPort_Ignored()
        {
            using FakeRouter router = new FakeRouter { SsdpOn = false, PcpOnly = true, NatPmpStrayFirst = true };
            PortMapper mapper = PcpMapper(router, new ListLog());
            mapper.Refresh();
            Assert.AreEqual(MappingState.Mapped, mapper.Snapshot()[0].State, mapper.Snapshot()[0].Message);
            Assert.AreEqual("81.2.69.160", IPv4.ToText(mapper.ExternalAddress));
        }

        [TestMethod]
        [DataRow(2, "not allowed in its settings")]
        [DataRow(8, "no free port mapping slots")]
        [DataRow(11, "cannot give the outside port")]
        public void Refresh_PcpError_FailedWithSentence(int code, string words)
        {
            using FakeRouter router = new FakeRouter { SsdpOn = false, PcpOnly = true, PcpResult = code };
            PortMapper mapper = PcpMapper(router, new ListLog());
            mapper.Refresh();
            MappingStatus status = mapper.Snapshot()[0];
            Assert.AreEqual(MappingState.Failed, status.State);
            Assert.AreEqual(MappingMethod.Pcp, status.Method);
            StringAssert.Contains(status.Message, words);
        }

        [TestMethod]
        public void Refresh_PcpOnlyRouterWithoutPcpClient_FailsSayingPcp()
        {
            using FakeRouter router = new FakeRouter { SsdpOn = false, PcpOnly = true };
            PortMapper mapper = Mapper(router, new Recording(), new FakeClock(0), new ListLog(), true);
            mapper.Refresh();
            MappingStatus status = mapper.Snapshot()[0];
            Assert.AreEqual(MappingState.Failed, status.State);
            StringAssert.Contains(status.Message, "speaks PCP, not NAT-PMP");
        }

        [TestMethod]
        public void RemoveAll_PcpMapping_DeletedWithLifetimeZeroAndSameNonce()
        {
            using FakeRouter router = new FakeRouter { SsdpOn = false, PcpOnly = true };
            PortMapper mapper = PcpMapper(router, new ListLog());
            mapper.Refresh();
            mapper.RemoveAll();

            List<byte[]> maps = router.NatPmpRequests.FindAll(r => r[0] == 2);
            Assert.AreEqual(4, maps.Count);
            byte[] made = maps[0];
            byte[] deleted = maps.Find(r => r[4] == 0 && r[5] == 0 && r[6] == 0 && r[7] == 0 && r[40] == made[40] && r[41] == made[41]);
            Assert.IsNotNull(deleted, "no lifetime-0 MAP for port 5222");
            Assert.AreEqual(Convert.ToHexString(made, 24, 12), Convert.ToHexString(deleted, 24, 12));
            Assert.AreEqual(MappingState.Removed, mapper.Snapshot()[0].State);
        }
    }
}
