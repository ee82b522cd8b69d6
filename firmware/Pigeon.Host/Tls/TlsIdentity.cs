using System;
using System.IO;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Pigeon.Config;

namespace Pigeon.Host.Tls
{
    /// <summary>
    /// A certificate terminateTls routes present, with its private key and the chain sent with it:
    /// the PEM files the config names (relay.tlsCertificateFile / tlsKeyFile, as certbot, lego or
    /// Caddy write them), one obtained by ACME (<see cref="Acme.AcmeService"/>), or one Pigeon made
    /// itself at first start and keeps beside the config (<see cref="CertificateFile"/>,
    /// <see cref="KeyFile"/>). A made certificate is ECDSA P-256, self-signed, under a random
    /// host-like name: WhatsApp does not check it, and a fixed name is what censors fingerprinted in
    /// WhatsApp's own proxy (WhatsApp/proxy#51), which now also makes a random one per install.
    /// Only the name, the SHA-256 fingerprint and the dates are ever shown; never the key.
    /// </summary>
    /// <remarks>
    /// A made pair is switched by one rename: <see cref="KeyFile"/> holds the key and then the
    /// certificate (as HAProxy's combined PEM does), written to a temporary file, flushed and
    /// renamed over the old one; <see cref="CertificateFile"/> is a copy of the certificate alone
    /// for people and tools to read, written after it. A reader takes the certificate from the key
    /// file when it holds one, so a kill or a power cut between the two renames leaves the old
    /// pair or the new one, never a key and a certificate that do not match. A data folder from
    /// before (a key file with the key alone) is read as two files, as it was written.
    /// </remarks>
    public sealed class TlsIdentity : IDisposable
    {
        /// <summary>The made certificate, in the data folder (a copy; the key file holds the pair).</summary>
        public const string CertificateFile = "tls-certificate.pem";

        /// <summary>Its private key followed by the certificate, in the data folder, mode 0600.</summary>
        public const string KeyFile = "tls-key.pem";

        /// <summary><see cref="Origin"/> of a certificate Pigeon made.</summary>
        public const string OriginMade = "made";

        /// <summary><see cref="Origin"/> of the config's own PEM files.</summary>
        public const string OriginFiles = "files";

        /// <summary><see cref="Origin"/> of a certificate obtained by ACME.</summary>
        public const string OriginAcme = "acme";

        private const string CertificateLabel = "-----BEGIN CERTIFICATE-----";

        private static readonly string[] s_topLevels = { "com", "net", "org", "io", "info", "co", "app", "dev", "site", "online", "cloud", "me" };

        private TlsIdentity(X509Certificate2 certificate, X509Certificate2Collection chain, string origin, string source)
        {
            Certificate = certificate;
            Chain = chain ?? new X509Certificate2Collection();
            Origin = origin;
            Source = source;
            Name = certificate.GetNameInfo(X509NameType.DnsName, false);
            Fingerprint = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)).ToLowerInvariant();
            Context = SslStreamCertificateContext.Create(certificate, Chain, offline: true);
        }

        /// <summary>The certificate, with its private key.</summary>
        public X509Certificate2 Certificate { get; }

        /// <summary>The intermediate certificates sent after it (empty for a self-signed one).</summary>
        public X509Certificate2Collection Chain { get; }

        /// <summary>True when Pigeon made it (it can make another: the portal's "new certificate").</summary>
        public bool Made
        {
            get { return Origin == OriginMade; }
        }

        /// <summary>Where it comes from: <see cref="OriginMade"/>, <see cref="OriginFiles"/> or <see cref="OriginAcme"/>.</summary>
        public string Origin { get; }

        /// <summary>Where it was read from (a path), for the log.</summary>
        public string Source { get; }

        /// <summary>The host name in the certificate.</summary>
        public string Name { get; }

        /// <summary>SHA-256 of the certificate, lower-case hex (what a user can compare).</summary>
        public string Fingerprint { get; }

        /// <summary>The certificate and its chain as SslStream sends them.</summary>
        public SslStreamCertificateContext Context { get; }

        /// <summary>The end of its validity, UTC.</summary>
        public DateTime NotAfter
        {
            get { return Certificate.NotAfter.ToUniversalTime(); }
        }

        /// <summary>
        /// The identity for <paramref name="relay"/>: its PEM files when named, else the made one in
        /// <paramref name="dataDir"/>, made now when absent or unreadable. Null with a plain reason
        /// when the named files cannot be used.
        /// </summary>
        public static TlsIdentity Load(RelayConfig relay, string dataDir, out string error)
        {
            return Load(relay, dataDir, out error, out _);
        }

        /// <summary>
        /// As <see cref="Load(RelayConfig, string, out string)"/>; <paramref name="replaced"/> says
        /// why a made pair found in the folder could not be used and was replaced (null: it was not).
        /// </summary>
        public static TlsIdentity Load(RelayConfig relay, string dataDir, out string error, out string replaced)
        {
            error = null;
            replaced = null;
            if (!string.IsNullOrEmpty(relay.TlsCertificateFile))
            {
                try
                {
                    return FromPemFiles(relay.TlsCertificateFile, relay.TlsKeyFile, OriginFiles);
                }
                catch (Exception e) when (Unusable(e))
                {
                    error = "relay.tlsCertificateFile: cannot use " + relay.TlsCertificateFile + " with " + relay.TlsKeyFile + ": " + e.Message;
                    return null;
                }
            }

            string certificate = Path.Combine(dataDir, CertificateFile);
            string key = Path.Combine(dataDir, KeyFile);
            if (File.Exists(key))
            {
                try
                {
                    string keyText = File.ReadAllText(key);
                    bool paired = keyText.Contains(CertificateLabel, StringComparison.Ordinal);
                    string certificateText = paired ? keyText : File.ReadAllText(certificate);
                    TlsIdentity made = FromPem(certificateText, keyText, OriginMade, certificate);
                    if (paired)
                    {
                        RepairCopy(certificate, made);
                    }

                    return made;
                }
                catch (Exception e) when (Unusable(e))
                {
                    // A torn or damaged pair (a power cut during the first start of an old version): make a new one.
                    replaced = e.Message;
                }
            }

            try
            {
                return Make(dataDir);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                error = CannotWrite(dataDir, e);
                return null;
            }
        }

        /// <summary>Why a made pair could not be written to <paramref name="dataDir"/>, and what to do about it.</summary>
        public static string CannotWrite(string dataDir, Exception e)
        {
            return "TLS: cannot write the certificate Pigeon makes in " + dataDir + " (" + e.Message
                + "); give the relay's user write access to that folder, choose another with --data-dir, or name a certificate in relay.tlsCertificateFile";
        }

        /// <summary>Makes a new certificate and key in <paramref name="dataDir"/>, replacing any there (the portal's "new certificate").</summary>
        public static TlsIdentity Make(string dataDir)
        {
            OwnerOnlyFile.CreateFolder(dataDir);
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

            string keyPem = key.ExportPkcs8PrivateKeyPem();
            string certificatePem = unsigned.ExportCertificatePem();
            string pair = keyPem + "\n" + certificatePem + "\n";
            string certificatePath = Path.Combine(dataDir, CertificateFile);
            WriteAtomically(Path.Combine(dataDir, KeyFile), pair, true); // the switch: old pair or new pair
            WriteAtomically(certificatePath, certificatePem + "\n", false);
            return FromPem(pair, pair, OriginMade, certificatePath);
        }

        /// <summary>
        /// Deletes the made certificate and key, and ACME's account key and certificate (factory
        /// reset); the config's own PEM files are never touched.
        /// </summary>
        public static void Delete(string dataDir)
        {
            if (Directory.Exists(dataDir))
            {
                File.Delete(Path.Combine(dataDir, CertificateFile));
                File.Delete(Path.Combine(dataDir, KeyFile));
                File.Delete(Path.Combine(dataDir, Acme.AcmeService.AccountFile));
                File.Delete(Path.Combine(dataDir, Acme.AcmeService.CertificateFile));
            }
        }

        /// <summary>
        /// Reads a certificate, its chain and its key from PEM files as certbot (fullchain.pem,
        /// privkey.pem), lego (NAME.crt, NAME.key) or Caddy (NAME.crt, NAME.key) write them: one or
        /// more CERTIFICATE blocks, and a key as PKCS#8 ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY")
        /// or SEC1 ("EC PRIVATE KEY", with or without "EC PARAMETERS"). The certificate the key
        /// belongs to is the one presented (whatever its place in the file), the others are its
        /// chain. Throws when the files cannot be read, hold no certificate or no usable key, or the
        /// key belongs to none of the certificates.
        /// </summary>
        public static TlsIdentity FromPemFiles(string certificatePath, string keyPath, string origin)
        {
            return FromPem(File.ReadAllText(certificatePath), File.ReadAllText(keyPath), origin, certificatePath);
        }

        /// <summary>As <see cref="FromPemFiles"/>, from the files' text (<paramref name="source"/> for the log).</summary>
        public static TlsIdentity FromPem(string certificates, string key, string origin, string source)
        {
            if (key.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
            {
                throw new CryptographicException("the key is encrypted with a passphrase; give Pigeon an unencrypted key (mode 0600)");
            }

            X509Certificate2Collection all = new X509Certificate2Collection();
            all.ImportFromPem(certificates);
            if (all.Count == 0)
            {
                throw new CryptographicException("no certificate (-----BEGIN CERTIFICATE-----) in the file");
            }

            X509Certificate2 leaf = null;
            string mismatch = null;
            for (int i = 0; i < all.Count && leaf == null; i++)
            {
                try
                {
                    using X509Certificate2 pem = X509Certificate2.CreateFromPem(all[i].ExportCertificatePem(), key);

                    // PEM pairs loaded this way hold an ephemeral key that SslStream cannot use on
                    // every platform; a round trip through PKCS#12 gives one it can.
                    leaf = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
                }
                catch (Exception e) when (e is ArgumentException || e is CryptographicException)
                {
                    mismatch = e.Message; // the key is not this certificate's (or not even of its kind)
                }
            }

            if (leaf == null)
            {
                throw new CryptographicException("the key does not belong to " + (all.Count == 1 ? "the certificate" : "any of the " + all.Count + " certificates") + " in the file"
                    + (mismatch == null ? string.Empty : " (" + mismatch + ")"));
            }

            X509Certificate2Collection chain = new X509Certificate2Collection();
            foreach (X509Certificate2 other in all)
            {
                if (other.Thumbprint != leaf.Thumbprint)
                {
                    chain.Add(other);
                }
            }

            return new TlsIdentity(leaf, chain, origin, source);
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

        /// <summary>
        /// Writes <paramref name="text"/> to <paramref name="path"/> through a flushed temporary file
        /// and one rename: a reader sees the old file or the new one. <paramref name="secret"/>:
        /// owner-only (0600) whatever the umask; else 0644.
        /// </summary>
        public static void WriteAtomically(string path, string text, bool secret)
        {
            string temporary = path + ".new";
            File.Delete(temporary); // a leftover with other permissions would keep them
            FileStream stream;
            if (secret)
            {
                stream = OwnerOnlyFile.Create(temporary);
            }
            else
            {
                FileStreamOptions options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
                }

                stream = new FileStream(temporary, options);
            }

            using (stream)
            {
                byte[] bytes = Encoding.ASCII.GetBytes(text);
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(true);
            }

            File.Move(temporary, path, true);
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Certificate.Dispose();
        }

        /// <summary>True for what reading a PEM pair throws when a file is missing, unreadable, torn or mismatched.</summary>
        internal static bool Unusable(Exception e)
        {
            return e is IOException || e is CryptographicException || e is UnauthorizedAccessException || e is ArgumentException;
        }

        // The readable copy left behind by a kill between the two renames: bring it in line.
        private static void RepairCopy(string path, TlsIdentity identity)
        {
            string pem = identity.Certificate.ExportCertificatePem() + "\n";
            try
            {
                if (!File.Exists(path) || File.ReadAllText(path) != pem)
                {
                    WriteAtomically(path, pem, false);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // Only a copy: the pair in the key file is what is used.
            }
        }
    }
}
