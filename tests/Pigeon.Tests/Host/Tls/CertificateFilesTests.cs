using System;
using System.Diagnostics;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Host.Tls;
using Pigeon.Relay;
using Pigeon.Tests.Host.Acme;
using Pigeon.Tests.Host.Reach;
using Pigeon.Tests.Host.Relay;
using Pigeon.Testing;
using static Pigeon.Testing.Loopback;
using static Pigeon.Tests.Host.Relay.LoopbackRig;

namespace Pigeon.Tests.Host.Tls
{
    /// <summary>
    /// relay.tlsCertificateFile / tlsKeyFile as certbot, lego and Caddy write them (a full chain,
    /// keys as PKCS#8, PKCS#1 and SEC1), the chain sent with the certificate, and the files
    /// replaced on disk while the relay runs: the next handshake gets the new certificate, a
    /// session opened before keeps relaying, and a half-written or mismatched pair is refused
    /// with the reason while the old one stays.
    /// </summary>
    [TestClass]
    [DoNotParallelize]
    public class CertificateFilesTests
    {
        [TestMethod]
        [DataRow(false, "pkcs8")]
        [DataRow(false, "sec1")]
        [DataRow(false, "sec1-with-parameters")]
        [DataRow(true, "pkcs8")]
        [DataRow(true, "pkcs1")]
        public void FromPem_FullChainAndEachKeyForm_LeafWithItsChain(bool rsa, string form)
        {
            using TestChain chain = TestChain.Make("relay.example.org", rsa);
            string key = form == "pkcs8" ? chain.Pkcs8Pem : form == "sec1-with-parameters" ? TestChain.EcParametersPem + chain.TraditionalPem : chain.TraditionalPem;
            StringAssert.Contains(key, form == "pkcs8" ? "BEGIN PRIVATE KEY" : rsa ? "BEGIN RSA PRIVATE KEY" : "BEGIN EC PRIVATE KEY");
            using TlsIdentity identity = TlsIdentity.FromPem(chain.FullChainPem, key, TlsIdentity.OriginFiles, "fullchain.pem");
            Assert.AreEqual(chain.Leaf.Thumbprint, identity.Certificate.Thumbprint);
            Assert.IsTrue(identity.Certificate.HasPrivateKey);
            Assert.AreEqual(1, identity.Chain.Count);
            Assert.AreEqual(chain.Intermediate.Thumbprint, identity.Chain[0].Thumbprint);
            Assert.AreEqual("relay.example.org", identity.Name);
        }

        [TestMethod]
        public void FromPem_LeafAfterItsIntermediate_StillTheLeaf()
        {
            using TestChain chain = TestChain.Make("relay.example.org");
            string reversed = chain.Intermediate.ExportCertificatePem() + "\n" + chain.Leaf.ExportCertificatePem() + "\n";
            using TlsIdentity identity = TlsIdentity.FromPem(reversed, chain.Pkcs8Pem, TlsIdentity.OriginFiles, "x");
            Assert.AreEqual(chain.Leaf.Thumbprint, identity.Certificate.Thumbprint);
        }

        [TestMethod]
        public void FromPem_WrongKeyEncryptedKeyNoCertificate_RefusedWithTheReason()
        {
            using TestChain chain = TestChain.Make("relay.example.org");
            using TestChain other = TestChain.Make("relay.example.org");
            CryptographicException e = Assert.ThrowsExactly<CryptographicException>(() => TlsIdentity.FromPem(chain.FullChainPem, other.Pkcs8Pem, TlsIdentity.OriginFiles, "x"));
            StringAssert.Contains(e.Message, "does not belong to any of the 2 certificates");
            e = Assert.ThrowsExactly<CryptographicException>(() => TlsIdentity.FromPem(chain.FullChainPem,
                ((ECDsa)chain.Key).ExportEncryptedPkcs8PrivateKeyPem("secret", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000)), TlsIdentity.OriginFiles, "x"));
            StringAssert.Contains(e.Message, "encrypted");
            e = Assert.ThrowsExactly<CryptographicException>(() => TlsIdentity.FromPem(chain.Pkcs8Pem, chain.Pkcs8Pem, TlsIdentity.OriginFiles, "x"));
            StringAssert.Contains(e.Message, "no certificate");
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [Timeout(60000)]
        public void Relay_FullChainFiles_SendsTheIntermediate(string pump)
        {
            using TestChain chain = TestChain.Make("relay.example.org");
            using TlsIdentity identity = TlsIdentity.FromPem(chain.FullChainPem, chain.TraditionalPem, TlsIdentity.OriginFiles, "x");
            using RelayRun run = new RelayRun((listen, upstream) => TlsChat(listen, upstream)).Start(pump, identity);
            (X509Certificate2 served, X509Certificate2Collection sent) = AcmePebbleTests.Presented(run.Port, "relay.example.org");
            Assert.AreEqual(chain.Leaf.Thumbprint, served.Thumbprint);
            using X509Chain check = new X509Chain();
            check.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            check.ChainPolicy.CustomTrustStore.Add(chain.Root);
            check.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            check.ChainPolicy.ExtraStore.AddRange(sent);
            Assert.IsTrue(check.Build(served), "a client that knows only the root builds the chain from what was sent");
            Assert.IsTrue(System.Linq.Enumerable.Any(sent, c => c.Thumbprint == chain.Intermediate.Thumbprint), "the intermediate was sent");
        }

        [TestMethod]
        [DataRow("events", "rename")]
        [DataRow("threads", "rename")]
        [DataRow("events", "symlink")]
        [DataRow("threads", "in-place")]
        [Timeout(60000)]
        public void FilesReplaced_NextHandshakeGetsTheNewOne_SessionBeforeKeepsRelaying(string pump, string how)
        {
            string folder = TestFolder.Create();
            try
            {
                using TestChain a = TestChain.Make("relay.example.org");
                using TestChain b = TestChain.Make("relay.example.org", rsaLeaf: how == "symlink");
                Files files = new Files(folder, how);
                files.Write(a.FullChainPem, a.Pkcs8Pem);
                ListLog log = new ListLog();
                CertificateStore store = new CertificateStore(TlsIdentity.FromPemFiles(files.Certificate, files.Key, TlsIdentity.OriginFiles));
                using CertificateFileWatcher watcher = new CertificateFileWatcher(files.Certificate, files.Key, store, log);
                using RelayRun run = new RelayRun((listen, upstream) => TlsChat(listen, upstream)).Start(pump, store);

                // A session opened before the swap.
                using Socket raw = run.Connect();
                using SslStream before = TlsClient(raw, "relay.example.org");
                Assert.AreEqual(a.Leaf.Thumbprint, X509CertificateLoader.LoadCertificate(before.RemoteCertificate.GetRawCertData()).Thumbprint);
                before.Write(new byte[] { (byte)'W', (byte)'A', 6, 5 });
                using Socket up = run.Accept(10000);
                CollectionAssert.AreEqual(new byte[] { (byte)'W', (byte)'A', 6, 5 }, ReadExactly(up, 4));

                Assert.IsFalse(watcher.Poll(), "nothing changed yet");
                files.Write(b.FullChainPem, b.TraditionalPem);
                Stopwatch swap = Stopwatch.StartNew();
                Assert.IsFalse(watcher.Poll(), "a change is taken only once it has held still for one look");
                Assert.IsTrue(watcher.Poll(), "taken on the next look");
                Assert.AreEqual(b.Leaf.Thumbprint, AcmePebbleTests.Presented(run.Port, "relay.example.org").Served.Thumbprint, "the next handshake gets the new certificate");
                swap.Stop();
                Assert.AreEqual(1, watcher.Reloads);
                Assert.IsTrue(log.Lines.Exists(l => l.StartsWith("info: TLS: reloaded " + files.Certificate, StringComparison.Ordinal)));

                // The session opened before still relays both ways, through the old certificate's keys.
                const int Size = 256 * 1024;
                using NetworkStream upStream = new NetworkStream(up, false);
                Task<byte[]> atUpstream = Task.Run(() => ReceiveHash(upStream, Size));
                Task<byte[]> sent = Task.Run(() => SendPattern(before, Size, 3));
                Task<byte[]> back = Task.Run(() => SendPattern(upStream, Size, 4));
                CollectionAssert.AreEqual(back.Result, ReceiveHash(before, Size), "upstream -> the old session, intact");
                CollectionAssert.AreEqual(sent.Result, atUpstream.Result, "the old session -> upstream, intact");
                Console.WriteLine(pump + "/" + how + ": new certificate served " + swap.ElapsedMilliseconds + " ms after the files changed (two looks and a handshake)");
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        [TestMethod]
        [Timeout(60000)]
        public void HalfWrittenOrMismatchedPair_Refused_OldOneKept_ThenTakenWhenWhole()
        {
            string folder = TestFolder.Create();
            try
            {
                using TestChain a = TestChain.Make("relay.example.org");
                using TestChain b = TestChain.Make("relay.example.org");
                Files files = new Files(folder, "in-place");
                files.Write(a.FullChainPem, a.Pkcs8Pem);
                ListLog log = new ListLog();
                CertificateStore store = new CertificateStore(TlsIdentity.FromPemFiles(files.Certificate, files.Key, TlsIdentity.OriginFiles));
                using CertificateFileWatcher watcher = new CertificateFileWatcher(files.Certificate, files.Key, store, log);

                File.WriteAllText(files.Certificate, b.FullChainPem); // the certificate first; its key not yet
                Assert.IsFalse(watcher.Poll());
                Assert.IsFalse(watcher.Poll(), "a certificate without its key is not taken");
                Assert.IsFalse(watcher.Poll(), "and not tried again until the files change");
                Assert.AreEqual(a.Leaf.Thumbprint, store.Current.Certificate.Thumbprint, "the old pair stays");
                StringAssert.Contains(watcher.Problem, "does not belong");
                Assert.AreEqual(1, log.Lines.FindAll(l => l.Contains("changed but the new files were not taken", StringComparison.Ordinal)).Count, "said once: " + string.Join("\n", log.Lines));

                File.WriteAllText(files.Key, "-----BEGIN PRIVATE KEY-----\nMIGH"); // the key half written
                Assert.IsFalse(watcher.Poll());
                Assert.IsFalse(watcher.Poll());
                Assert.AreEqual(a.Leaf.Thumbprint, store.Current.Certificate.Thumbprint);

                File.WriteAllText(files.Key, b.Pkcs8Pem);
                Assert.IsFalse(watcher.Poll());
                Assert.IsTrue(watcher.Poll());
                Assert.AreEqual(b.Leaf.Thumbprint, store.Current.Certificate.Thumbprint);
                Assert.IsNull(watcher.Problem);
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        /// <summary>
        /// The pair as each tool replaces it: "rename" (lego, Caddy: a new file renamed over the
        /// old), "symlink" (certbot: live/NAME/*.pem are links switched to archive/NAME/*N.pem),
        /// "in-place" (a person copying over the file).
        /// </summary>
        private sealed class Files
        {
            private readonly string _folder;
            private readonly string _how;
            private int _generation;

            public Files(string folder, string how)
            {
                _folder = folder;
                _how = how;
                Directory.CreateDirectory(Path.Combine(folder, "live"));
                Directory.CreateDirectory(Path.Combine(folder, "archive"));
            }

            public string Certificate => Path.Combine(_folder, "live", "fullchain.pem");

            public string Key => Path.Combine(_folder, "live", "privkey.pem");

            public void Write(string certificate, string key)
            {
                _generation++;
                if (_how == "symlink")
                {
                    string c = Path.Combine(_folder, "archive", "fullchain" + _generation + ".pem");
                    string k = Path.Combine(_folder, "archive", "privkey" + _generation + ".pem");
                    File.WriteAllText(c, certificate);
                    File.WriteAllText(k, key);
                    Relink(Certificate, c);
                    Relink(Key, k);
                }
                else if (_how == "rename")
                {
                    File.WriteAllText(Certificate + ".tmp", certificate);
                    File.Move(Certificate + ".tmp", Certificate, true);
                    File.WriteAllText(Key + ".tmp", key);
                    File.Move(Key + ".tmp", Key, true);
                }
                else
                {
                    File.WriteAllText(Certificate, certificate);
                    File.WriteAllText(Key, key);
                }
            }

            private static void Relink(string link, string target)
            {
                File.CreateSymbolicLink(link + ".new", target);
                File.Move(link + ".new", link, true);
            }
        }
    }
}
