using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pigeon.Tests.Host.Tls
{
    /// <summary>
    /// A root, an intermediate and a leaf for a name, as a CA's chain looks: the PEM files certbot,
    /// lego and Caddy write are made from it (fullchain = leaf then intermediate), with the leaf's
    /// key in each form they use.
    /// </summary>
    internal sealed class TestChain : IDisposable
    {
        // DER of the P-256 OID (06 08 2A 86 48 CE 3D 03 01 07), as openssl's "EC PARAMETERS" block holds it.
        public const string EcParametersPem = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";

        private TestChain(X509Certificate2 root, X509Certificate2 intermediate, X509Certificate2 leaf, AsymmetricAlgorithm key)
        {
            Root = root;
            Intermediate = intermediate;
            Leaf = leaf;
            Key = key;
        }

        public X509Certificate2 Root { get; }

        public X509Certificate2 Intermediate { get; }

        public X509Certificate2 Leaf { get; }

        /// <summary>The leaf's key (ECDsa or RSA).</summary>
        public AsymmetricAlgorithm Key { get; }

        /// <summary>certbot's fullchain.pem: the leaf, then the intermediate.</summary>
        public string FullChainPem => Leaf.ExportCertificatePem() + "\n" + Intermediate.ExportCertificatePem() + "\n";

        public string Pkcs8Pem => Key is RSA rsa ? rsa.ExportPkcs8PrivateKeyPem() : ((ECDsa)Key).ExportPkcs8PrivateKeyPem();

        /// <summary>"RSA PRIVATE KEY" (PKCS#1) or "EC PRIVATE KEY" (SEC1), as lego and Caddy write them.</summary>
        public string TraditionalPem => Key is RSA rsa ? rsa.ExportRSAPrivateKeyPem() : ((ECDsa)Key).ExportECPrivateKeyPem();

        public static TestChain Make(string name, bool rsaLeaf = false)
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            using ECDsa rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            CertificateRequest rootRequest = new CertificateRequest("CN=Test Root", rootKey, HashAlgorithmName.SHA256);
            rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            X509Certificate2 root = rootRequest.CreateSelfSigned(now.AddDays(-2), now.AddYears(5));

            using ECDsa intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            CertificateRequest intermediateRequest = new CertificateRequest("CN=Test Intermediate", intermediateKey, HashAlgorithmName.SHA256);
            intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            using X509Certificate2 intermediatePublic = intermediateRequest.Create(root, now.AddDays(-1), now.AddYears(2), new byte[] { 2 });
            X509Certificate2 intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);

            AsymmetricAlgorithm key = rsaLeaf ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
            CertificateRequest leafRequest = key is RSA rsa
                ? new CertificateRequest("CN=" + name, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : new CertificateRequest("CN=" + name, (ECDsa)key, HashAlgorithmName.SHA256);
            SubjectAlternativeNameBuilder san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(name);
            leafRequest.CertificateExtensions.Add(san.Build());
            leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            byte[] serial = RandomNumberGenerator.GetBytes(12);
            serial[0] &= 0x7F;
            // Signed by the intermediate's ECDSA key whatever the leaf's own kind.
            X509Certificate2 leaf = leafRequest.Create(intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(intermediateKey), now.AddHours(-1), now.AddDays(90), serial);
            return new TestChain(root, intermediate, leaf, key);
        }

        public void Dispose()
        {
            Root.Dispose();
            Intermediate.Dispose();
            Leaf.Dispose();
            Key.Dispose();
        }
    }
}
