using System;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using Pigeon.Testing;

namespace Pigeon.Bench
{
    /// <summary>
    /// The one certificate every TLS-terminating relay of a bench run serves (ECDSA P-256,
    /// self-signed, CN and SAN bench.example), as PEM files in a folder of the run's own.
    /// </summary>
    /// <remarks>
    /// The clients are part of the measured machine (they share its cores with the relay), and
    /// .NET's client parses and chains whatever certificate it is sent, callback or not: with
    /// Pigeon serving the one it makes for itself (four extensions) and HAProxy a bare one, the
    /// handshake rows charged Pigeon for its client's extra work. One certificate for both
    /// leaves only the relays to differ.
    /// </remarks>
    public static class BenchCertificate
    {
        private static readonly Lazy<string> Folder = new Lazy<string>(Write);

        /// <summary>The certificate alone (Pigeon's relay.tlsCertificateFile).</summary>
        public static string CertificatePem => Path.Combine(Folder.Value, "certificate.pem");

        /// <summary>Its PKCS#8 key (Pigeon's relay.tlsKeyFile).</summary>
        public static string KeyPem => Path.Combine(Folder.Value, "key.pem");

        /// <summary>The certificate and its key in one file (HAProxy's crt).</summary>
        public static string CombinedPem => Path.Combine(Folder.Value, "combined.pem");

        private static string Write()
        {
            string folder = Directory.CreateTempSubdirectory("pigeon-bench-cert-").FullName;
            using X509Certificate2 certificate = TestCertificates.SelfSigned("bench.example", "bench.example");
            File.WriteAllText(Path.Combine(folder, "certificate.pem"), certificate.ExportCertificatePem() + "\n");
            File.WriteAllText(Path.Combine(folder, "key.pem"), TestCertificates.KeyPem(certificate));
            File.WriteAllText(Path.Combine(folder, "combined.pem"), TestCertificates.CertificateAndKeyPem(certificate));
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, true); // the key is a test key, but leave nothing behind
                }
            };
            return folder;
        }
    }
}
