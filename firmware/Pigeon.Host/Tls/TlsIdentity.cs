using System;
using System.IO;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Pigeon.Config;

namespace Pigeon.Host.Tls
{
    /// <summary>
    /// The certificate terminateTls routes present: the PEM files the config names
    /// (relay.tlsCertificateFile / tlsKeyFile), or one Pigeon made itself at first start and keeps
    /// beside the config (<see cref="CertificateFile"/>, <see cref="KeyFile"/>; the key readable by
    /// its owner only). A made certificate is ECDSA P-256, self-signed, under a random host-like
    /// name: WhatsApp does not check it, and a fixed name is what censors fingerprinted in
    /// WhatsApp's own proxy (WhatsApp/proxy#51), which now also makes a random one per install.
    /// Only the name, the SHA-256 fingerprint and the dates are ever shown; never the key.
    /// </summary>
    public sealed class TlsIdentity : IDisposable
    {
        /// <summary>The made certificate, in the data folder.</summary>
        public const string CertificateFile = "tls-certificate.pem";

        /// <summary>Its private key, in the data folder, mode 0600.</summary>
        public const string KeyFile = "tls-key.pem";

        private static readonly string[] s_topLevels = { "com", "net", "org", "io", "info", "co", "app", "dev", "site", "online", "cloud", "me" };

        private TlsIdentity(X509Certificate2 certificate, bool made, string source)
        {
            Certificate = certificate;
            Made = made;
            Source = source;
            Name = certificate.GetNameInfo(X509NameType.DnsName, false);
            Fingerprint = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)).ToLowerInvariant();
            ServerOptions = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = SslStreamCertificateContext.Create(certificate, null, offline: true),
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificateRequired = false,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                AllowRenegotiation = false,
            };
        }

        /// <summary>The certificate, with its private key.</summary>
        public X509Certificate2 Certificate { get; }

        /// <summary>True when Pigeon made it (false: the config's own PEM files).</summary>
        public bool Made { get; }

        /// <summary>Where it was read from (a path), for the log.</summary>
        public string Source { get; }

        /// <summary>The host name in the certificate.</summary>
        public string Name { get; }

        /// <summary>SHA-256 of the certificate, lower-case hex (what a user can compare).</summary>
        public string Fingerprint { get; }

        /// <summary>The TLS server settings for SslStream: this certificate, TLS 1.2 and 1.3, no client certificate.</summary>
        public SslServerAuthenticationOptions ServerOptions { get; }

        /// <summary>
        /// The identity for <paramref name="relay"/>: its PEM files when named, else the made one in
        /// <paramref name="dataDir"/>, made now when absent or unreadable. Null with a plain reason
        /// when the named files cannot be used.
        /// </summary>
        public static TlsIdentity Load(RelayConfig relay, string dataDir, out string error)
        {
            error = null;
            if (!string.IsNullOrEmpty(relay.TlsCertificateFile))
            {
                try
                {
                    return new TlsIdentity(FromPem(relay.TlsCertificateFile, relay.TlsKeyFile), false, relay.TlsCertificateFile);
                }
                catch (Exception e) when (e is IOException || e is CryptographicException || e is UnauthorizedAccessException || e is ArgumentException)
                {
                    error = "relay.tlsCertificateFile: cannot use " + relay.TlsCertificateFile + " with " + relay.TlsKeyFile + ": " + e.Message;
                    return null;
                }
            }

            string certificate = Path.Combine(dataDir, CertificateFile);
            string key = Path.Combine(dataDir, KeyFile);
            if (File.Exists(certificate) && File.Exists(key))
            {
                try
                {
                    return new TlsIdentity(FromPem(certificate, key), true, certificate);
                }
                catch (Exception e) when (e is IOException || e is CryptographicException || e is UnauthorizedAccessException || e is ArgumentException)
                {
                    // A torn or damaged pair (a power cut during the first start): make a new one.
                }
            }

            return Make(dataDir);
        }

        /// <summary>Makes a new certificate and key in <paramref name="dataDir"/>, replacing any there (the portal's "new certificate").</summary>
        public static TlsIdentity Make(string dataDir)
        {
            Directory.CreateDirectory(dataDir);
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            string name = RandomHostName();
            CertificateRequest request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
            SubjectAlternativeNameBuilder san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(name);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));

            // Dates and serial vary per install too: a start a few days back, about a year ahead.
            DateTimeOffset start = DateTimeOffset.UtcNow.AddDays(-1 - RandomNumberGenerator.GetInt32(30)).AddSeconds(-RandomNumberGenerator.GetInt32(86400));
            DateTimeOffset end = start.AddDays(365 + RandomNumberGenerator.GetInt32(60));
            byte[] serial = RandomNumberGenerator.GetBytes(16);
            serial[0] &= 0x7F; // positive (RFC 5280 §4.1.2.2)
            X509SignatureGenerator signer = X509SignatureGenerator.CreateForECDsa(key);
            using X509Certificate2 unsigned = request.Create(new X500DistinguishedName("CN=" + name), signer, start, end, serial);
            using X509Certificate2 withKey = unsigned.CopyWithPrivateKey(key);

            string keyPem = key.ExportPkcs8PrivateKeyPem();
            string certificatePem = withKey.ExportCertificatePem();
            WriteAtomically(Path.Combine(dataDir, KeyFile), keyPem, true);
            WriteAtomically(Path.Combine(dataDir, CertificateFile), certificatePem, false);
            return new TlsIdentity(FromPem(Path.Combine(dataDir, CertificateFile), Path.Combine(dataDir, KeyFile)), true, Path.Combine(dataDir, CertificateFile));
        }

        /// <summary>Deletes the made certificate and key (factory reset); the config's own PEM files are never touched.</summary>
        public static void Delete(string dataDir)
        {
            if (Directory.Exists(dataDir))
            {
                File.Delete(Path.Combine(dataDir, CertificateFile));
                File.Delete(Path.Combine(dataDir, KeyFile));
            }
        }

        /// <summary>
        /// A random name that looks like an ordinary host: one or two lower-case labels of 5-12
        /// letters and digits under a common top-level domain ("kq7vhzmt.net", "api.x3fbnq.io").
        /// </summary>
        public static string RandomHostName()
        {
            StringBuilder name = new StringBuilder();
            int labels = 1 + RandomNumberGenerator.GetInt32(2);
            for (int l = 0; l < labels; l++)
            {
                int length = 5 + RandomNumberGenerator.GetInt32(8);
                for (int i = 0; i < length; i++)
                {
                    // Letters mostly, a digit now and then, never a digit first.
                    int pick = i == 0 ? RandomNumberGenerator.GetInt32(26) : RandomNumberGenerator.GetInt32(32);
                    name.Append(pick < 26 ? (char)('a' + pick) : (char)('0' + ((pick - 26) % 10)));
                }

                name.Append('.');
            }

            name.Append(s_topLevels[RandomNumberGenerator.GetInt32(s_topLevels.Length)]);
            return name.ToString();
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Certificate.Dispose();
        }

        // PEM pairs loaded this way hold an ephemeral key that SslStream cannot use on every
        // platform; a round trip through PKCS#12 gives one it can.
        private static X509Certificate2 FromPem(string certificate, string key)
        {
            using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(certificate, key);
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }

        private static void WriteAtomically(string path, string text, bool secret)
        {
            string temporary = path + ".new";
            FileStreamOptions options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = secret ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                    : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            }

            File.Delete(temporary); // a leftover with other permissions would keep them
            using (FileStream stream = new FileStream(temporary, options))
            {
                byte[] bytes = Encoding.ASCII.GetBytes(text);
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(true);
            }

            File.Move(temporary, path, true);
        }
    }
}
