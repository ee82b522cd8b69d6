using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pigeon.Testing
{
    /// <summary>Self-signed certificates made for one test or one run, with their keys and PEM forms.</summary>
    public static class TestCertificates
    {
        /// <summary>An ECDSA P-256 certificate for <paramref name="commonName"/> and <paramref name="names"/>, valid from a day ago for 30 days.</summary>
        public static X509Certificate2 SelfSigned(string commonName, params string[] names)
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            return SelfSigned(commonName, names, now.AddDays(-1), now.AddDays(30), false);
        }

        /// <summary>
        /// A certificate with its private key (ECDSA P-256, or RSA 2048 when <paramref name="rsa"/>)
        /// for CN=<paramref name="commonName"/>, with <paramref name="names"/> (host names and
        /// addresses) as its subject alternative names when there are any. It comes back through
        /// PKCS#12, so an SslStream server on Linux can use its key, and that key can be exported.
        /// </summary>
        public static X509Certificate2 SelfSigned(string commonName, string[] names, DateTimeOffset notBefore, DateTimeOffset notAfter, bool rsa)
        {
            using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
            CertificateRequest request = rsa
                ? new CertificateRequest("CN=" + commonName, (RSA)key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : new CertificateRequest("CN=" + commonName, (ECDsa)key, HashAlgorithmName.SHA256);
            if (names.Length > 0)
            {
                SubjectAlternativeNameBuilder san = new SubjectAlternativeNameBuilder();
                foreach (string name in names)
                {
                    if (IPAddress.TryParse(name, out IPAddress address))
                    {
                        san.AddIpAddress(address);
                    }
                    else
                    {
                        san.AddDnsName(name);
                    }
                }

                request.CertificateExtensions.Add(san.Build());
            }

            using X509Certificate2 made = request.CreateSelfSigned(notBefore, notAfter);
            return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null, X509KeyStorageFlags.Exportable);
        }

        /// <summary>The certificate's private key as PKCS#8 PEM ("PRIVATE KEY").</summary>
        public static string KeyPem(X509Certificate2 certificate)
        {
            using ECDsa ecdsa = certificate.GetECDsaPrivateKey();
            if (ecdsa != null)
            {
                return ecdsa.ExportPkcs8PrivateKeyPem();
            }

            using RSA rsa = certificate.GetRSAPrivateKey();
            return rsa.ExportPkcs8PrivateKeyPem();
        }

        /// <summary>The certificate, then its key, in one PEM text (HAProxy's "crt" file).</summary>
        public static string CertificateAndKeyPem(X509Certificate2 certificate)
        {
            return certificate.ExportCertificatePem() + "\n" + KeyPem(certificate) + "\n";
        }
    }
}
