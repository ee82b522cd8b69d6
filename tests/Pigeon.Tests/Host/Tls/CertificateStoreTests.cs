using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Host.Acme;
using Pigeon.Host.Tls;
using Pigeon.Relay;
using Pigeon.Tests.Host.Relay;
using Pigeon.Tests.Support;
using Pigeon.Testing;
using static Pigeon.Testing.Loopback;
using static Pigeon.Tests.Host.Relay.LoopbackRig;

namespace Pigeon.Tests.Host.Tls
{
    /// <summary>
    /// The one place the relay's certificate is chosen, per ClientHello: during a TLS-ALPN-01
    /// validation, a hello for the name offering "acme-tls/1" gets the validation certificate and
    /// that protocol (RFC 8737 §3), any other hello the current certificate; the ALPN list the
    /// relay offers otherwise; and the ClientHello fields read for it.
    /// </summary>
    [TestClass]
    [DoNotParallelize]
    public class CertificateStoreTests
    {
        private const string Name = "relay.example.org";

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [Timeout(60000)]
        public void Validation_OnlyAcmeTls1ForTheName_GetsTheValidationCertificate(string pump)
        {
            string folder = TestFolder.Create();
            try
            {
                using TlsIdentity made = TlsIdentity.Make(folder);
                CertificateStore store = new CertificateStore(made);
                AcmeChallenges challenges = new AcmeChallenges(store);
                string keyAuthorization = "token-abcdefghijklmnopqrstuvwxyz.thumbprint";
                challenges.AddTlsAlpn(Name, keyAuthorization);
                using RelayRun run = new RelayRun((listen, upstream) => TlsChat(listen, upstream)).Start(pump, store);
                int port = run.Port;

                (X509Certificate2 validation, SslApplicationProtocol protocol) = Handshake(port, Name, CertificateStore.AcmeTls1);
                Assert.AreEqual(CertificateStore.AcmeTls1, protocol, "acme-tls/1 negotiated");
                Assert.IsTrue(validation.MatchesHostname(Name, false));
                X509Extension identifier = validation.Extensions[AcmeChallenges.AcmeIdentifierOid];
                Assert.IsNotNull(identifier, "the acmeIdentifier extension");
                Assert.IsTrue(identifier.Critical);
                byte[] expected = new byte[34];
                expected[0] = 0x04;
                expected[1] = 32;
                SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(keyAuthorization)).CopyTo(expected, 2);
                CollectionAssert.AreEqual(expected, identifier.RawData, "OCTET STRING of SHA-256(key authorization)");

                Assert.AreEqual(made.Certificate.Thumbprint, Handshake(port, Name, null).Certificate.Thumbprint, "the same name without acme-tls/1: the current one");
                Assert.AreEqual(made.Certificate.Thumbprint, Handshake(port, "other.example", CertificateStore.AcmeTls1).Certificate.Thumbprint, "acme-tls/1 for another name: the current one");
                challenges.RemoveTlsAlpn(Name);
                Assert.AreEqual(made.Certificate.Thumbprint, Handshake(port, Name, null).Certificate.Thumbprint, "after the validation: the current one");
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        [TestMethod]
        [Timeout(60000)]
        public void ApplicationProtocols_OfferedToOrdinaryHandshakes()
        {
            string folder = TestFolder.Create();
            try
            {
                using TlsIdentity made = TlsIdentity.Make(folder);
                CertificateStore store = new CertificateStore(made);
                Assert.IsNull(store.Options.ApplicationProtocols, "none unless set");
                store.ApplicationProtocols = new List<SslApplicationProtocol> { SslApplicationProtocol.Http11 };
                using RelayRun run = new RelayRun((listen, upstream) => TlsChat(listen, upstream)).Start("events", store);
                (_, SslApplicationProtocol protocol) = Handshake(run.Port, Name, SslApplicationProtocol.Http2, SslApplicationProtocol.Http11);
                Assert.AreEqual(SslApplicationProtocol.Http11, protocol);
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        [TestMethod]
        public void ClientHelloFields_SniAndAlpn_AlsoSplitOverRecords_CutShortIsIncomplete()
        {
            byte[] hello = new HelloBuilder { Names = new[] { Name }, Alpn = new[] { "h2", "acme-tls/1" } }.Build();
            ClientHelloFields fields = ClientHelloFields.Parse(hello, 0, hello.Length);
            Assert.IsTrue(fields.Complete);
            Assert.AreEqual(Name, fields.ServerName);
            Assert.IsTrue(fields.OffersAcmeTls1);

            byte[] plain = new HelloBuilder { Names = new[] { Name }, Alpn = new[] { "h2", "http/1.1" } }.Build();
            Assert.IsFalse(ClientHelloFields.Parse(plain, 0, plain.Length).OffersAcmeTls1);

            byte[] split = HelloBuilder.Frame(new HelloBuilder { Names = new[] { Name }, Alpn = new[] { "acme-tls/1" } }.Handshake(), new[] { 40, 80, 120, 160 });
            fields = ClientHelloFields.Parse(split, 0, split.Length);
            Assert.IsTrue(fields.Complete && fields.OffersAcmeTls1 && fields.ServerName == Name, "reassembled from records of 40 bytes");

            fields = ClientHelloFields.Parse(hello, 0, 60);
            Assert.IsFalse(fields.Complete);
            Assert.IsFalse(ClientHelloFields.Parse(new byte[] { 0x16, 3, 1, 0 }, 0, 4).Complete);
            Assert.IsFalse(ClientHelloFields.Parse(null, 0, 0).Complete);
        }

        private static (X509Certificate2 Certificate, SslApplicationProtocol Protocol) Handshake(int port, string sni, params SslApplicationProtocol[] protocols)
        {
            using Socket raw = Client(port);
            using SslStream tls = new SslStream(new NetworkStream(raw, false), false);
            SslClientAuthenticationOptions options = new SslClientAuthenticationOptions { TargetHost = sni, RemoteCertificateValidationCallback = (_, _, _, _) => true };
            if (protocols != null && protocols.Length > 0 && protocols[0] != default)
            {
                options.ApplicationProtocols = new List<SslApplicationProtocol>(protocols);
            }

            tls.AuthenticateAsClient(options);
            return (X509CertificateLoader.LoadCertificate(tls.RemoteCertificate.GetRawCertData()), tls.NegotiatedApplicationProtocol);
        }
    }
}
