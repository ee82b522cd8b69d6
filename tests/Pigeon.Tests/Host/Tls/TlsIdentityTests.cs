using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Host.Tls;
using Pigeon.Tests.Host.Relay;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Tls
{
    [TestClass]
    public class TlsIdentityTests
    {
        [TestMethod]
        public void Load_FirstStartMakesP256WithRandomName_SecondStartKeepsIt()
        {
            string folder = TestFolder.Create();
            try
            {
                using TlsIdentity first = TlsIdentity.Load(ConfigDefaults.Relay(false), folder, out string error);
                Assert.IsNotNull(first, error);
                Assert.IsTrue(first.Made);
                using (ECDsa key = first.Certificate.GetECDsaPrivateKey())
                {
                    Assert.IsNotNull(key, "an ECDSA key");
                    Assert.AreEqual(256, key.KeySize, "P-256");
                    Assert.AreEqual("1.2.840.10045.3.1.7", key.ExportParameters(false).Curve.Oid.Value, "secp256r1 (P-256)");
                }

                Assert.IsTrue(Regex.IsMatch(first.Name, "^([a-z][a-z0-9]{4,11}\\.){1,2}[a-z]{2,6}$"), "host-like: " + first.Name);
                Assert.AreEqual("CN=" + first.Name, first.Certificate.Subject, "self-signed under its name");
                Assert.AreEqual(first.Certificate.Subject, first.Certificate.Issuer);

                using TlsIdentity again = TlsIdentity.Load(ConfigDefaults.Relay(false), folder, out error);
                Assert.AreEqual(first.Fingerprint, again.Fingerprint, "kept across restarts");
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        [TestMethod]
        public void Make_EachInstallDifferent_KeyOwnerOnly_NoFixedName()
        {
            string a = TestFolder.Create();
            string b = TestFolder.Create();
            try
            {
                using TlsIdentity one = TlsIdentity.Make(a);
                using TlsIdentity two = TlsIdentity.Make(b);
                Assert.AreNotEqual(one.Name, two.Name);
                Assert.AreNotEqual(one.Fingerprint, two.Fingerprint);
                Assert.AreNotEqual(one.Certificate.SerialNumber, two.Certificate.SerialNumber);
                if (!OperatingSystem.IsWindows())
                {
                    Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(a, TlsIdentity.KeyFile)), "key readable by its owner only");
                }

                StringAssert.Contains(File.ReadAllText(Path.Combine(a, TlsIdentity.KeyFile)), "PRIVATE KEY");
                StringAssert.Contains(File.ReadAllText(Path.Combine(a, TlsIdentity.CertificateFile)), "BEGIN CERTIFICATE");
            }
            finally
            {
                Directory.Delete(a, true);
                Directory.Delete(b, true);
            }
        }

        [TestMethod]
        public void Load_FolderNotWritable_AClearErrorNotACrash()
        {
            // A file where the state folder should be cannot be written into, even by root (the
            // tests may run as root, which ignores a folder's permissions).
            string folder = TestFolder.Create();
            string notAFolder = Path.Combine(folder, "state");
            File.WriteAllText(notAFolder, "");
            try
            {
                string error;
                TlsIdentity made = TlsIdentity.Load(ConfigDefaults.Relay(false), notAFolder, out error);
                Assert.IsNull(made);
                StringAssert.Contains(error, "cannot write the certificate Pigeon makes in " + notAFolder);
                StringAssert.Contains(error, "relay.tlsCertificateFile");
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        [TestMethod]
        public void Delete_ThenLoad_MakesANewOne()
        {
            string folder = TestFolder.Create();
            try
            {
                using TlsIdentity first = TlsIdentity.Load(ConfigDefaults.Relay(false), folder, out _);
                TlsIdentity.Delete(folder);
                Assert.IsFalse(File.Exists(Path.Combine(folder, TlsIdentity.KeyFile)));
                using TlsIdentity second = TlsIdentity.Load(ConfigDefaults.Relay(false), folder, out _);
                Assert.AreNotEqual(first.Fingerprint, second.Fingerprint);
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        [TestMethod]
        public void Load_DamagedMadeFiles_MakesANewPair()
        {
            string folder = TestFolder.Create();
            try
            {
                using (TlsIdentity.Make(folder))
                {
                }

                File.WriteAllText(Path.Combine(folder, TlsIdentity.KeyFile), "-----BEGIN PRIVATE KEY-----\ntorn");
                using TlsIdentity fresh = TlsIdentity.Load(ConfigDefaults.Relay(false), folder, out string error);
                Assert.IsNotNull(fresh, error);
                Assert.IsTrue(fresh.Certificate.HasPrivateKey);
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        [TestMethod]
        public void Load_ConfiguredPemFiles_Used_BadOnesRefusedWithTheField()
        {
            string made = TestFolder.Create();
            string data = TestFolder.Create();
            try
            {
                using TlsIdentity source = TlsIdentity.Make(made);
                RelayConfig relay = ConfigDefaults.Relay(false);
                relay.TlsCertificateFile = Path.Combine(made, TlsIdentity.CertificateFile);
                relay.TlsKeyFile = Path.Combine(made, TlsIdentity.KeyFile);
                using TlsIdentity loaded = TlsIdentity.Load(relay, data, out string error);
                Assert.IsNotNull(loaded, error);
                Assert.IsFalse(loaded.Made);
                Assert.AreEqual(source.Fingerprint, loaded.Fingerprint);
                Assert.IsFalse(File.Exists(Path.Combine(data, TlsIdentity.KeyFile)), "nothing made when the config names its own");

                relay.TlsKeyFile = Path.Combine(made, "missing.pem");
                Assert.IsNull(TlsIdentity.Load(relay, data, out error));
                StringAssert.StartsWith(error, "relay.tlsCertificateFile: cannot use");
            }
            finally
            {
                Directory.Delete(made, true);
                Directory.Delete(data, true);
            }
        }

        [TestMethod]
        public void Make_KeyFileHoldsThePair_ACopyLeftBehindIsIgnoredAndRepaired()
        {
            string folder = TestFolder.Create();
            try
            {
                using TlsIdentity first = TlsIdentity.Make(folder);
                string firstCopy = File.ReadAllText(Path.Combine(folder, TlsIdentity.CertificateFile));
                using TlsIdentity second = TlsIdentity.Make(folder);
                string pair = File.ReadAllText(Path.Combine(folder, TlsIdentity.KeyFile));
                StringAssert.Contains(pair, "BEGIN PRIVATE KEY");
                StringAssert.Contains(pair, "BEGIN CERTIFICATE", "the key file holds the pair: one rename switches both");

                // A kill between the two renames: the pair is new, the readable copy still the old one.
                File.WriteAllText(Path.Combine(folder, TlsIdentity.CertificateFile), firstCopy);
                using TlsIdentity loaded = TlsIdentity.Load(ConfigDefaults.Relay(false), folder, out string error, out string replaced);
                Assert.IsNotNull(loaded, error);
                Assert.IsNull(replaced, "nothing made anew");
                Assert.AreEqual(second.Fingerprint, loaded.Fingerprint, "the pair, not the copy");
                using X509Certificate2 copy = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(folder, TlsIdentity.CertificateFile)));
                Assert.AreEqual(second.Certificate.Thumbprint, copy.Thumbprint, "the copy repaired");
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        [TestMethod]
        public void Load_FolderFromBefore_KeyAloneBesideTheCertificate_StillRead()
        {
            string folder = TestFolder.Create();
            try
            {
                using X509Certificate2 old = TestCertificates.SelfSigned("old.example", new string[0], DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(300), false);
                File.WriteAllText(Path.Combine(folder, TlsIdentity.KeyFile), TestCertificates.KeyPem(old));
                File.WriteAllText(Path.Combine(folder, TlsIdentity.CertificateFile), old.ExportCertificatePem());
                using TlsIdentity loaded = TlsIdentity.Load(ConfigDefaults.Relay(false), folder, out string error, out string replaced);
                Assert.IsNotNull(loaded, error);
                Assert.IsNull(replaced);
                Assert.AreEqual(old.Thumbprint, loaded.Certificate.Thumbprint);
                Assert.IsTrue(loaded.Made);

                // The torn pair the old two-file write could leave: a key and another certificate.
                using ECDsa other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                File.WriteAllText(Path.Combine(folder, TlsIdentity.KeyFile), other.ExportPkcs8PrivateKeyPem());
                using TlsIdentity fresh = TlsIdentity.Load(ConfigDefaults.Relay(false), folder, out error, out replaced);
                Assert.IsNotNull(replaced, "said why it was replaced");
                Assert.AreNotEqual(old.Thumbprint, fresh.Certificate.Thumbprint);
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }
    }
}
