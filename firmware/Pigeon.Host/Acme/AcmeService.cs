using System;
using System.IO;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Pigeon.Host.Tls;
using Pigeon.Net;

namespace Pigeon.Host.Acme
{
    /// <summary>
    /// Keeps a certificate from an ACME CA (Let's Encrypt by default) for the relay's public name:
    /// at start it presents the one kept in the data folder when it is for that name and still
    /// valid, else it asks for one at once (the self-signed identity is presented meanwhile). It
    /// renews at two thirds of a certificate's life (day 60 of Let's Encrypt's 90), and after a
    /// failure tries again later, each wait twice the one before (<see cref="RetryDelay"/>). Every
    /// new certificate is presented from the next handshake through the <see cref="CertificateStore"/>.
    /// The account key (<see cref="AccountFile"/>) and the certificate with its key and chain
    /// (<see cref="CertificateFile"/>, one file, so the pair is replaced in one rename) are kept
    /// owner-only (0600) in the data folder.
    /// </summary>
    public sealed class AcmeService : IDisposable
    {
        /// <summary>The account key (PKCS#8 PEM), in the data folder, 0600.</summary>
        public const string AccountFile = "acme-account.pem";

        /// <summary>The certificate's key then its chain (PEM), in the data folder, 0600.</summary>
        public const string CertificateFile = "acme-certificate.pem";

        /// <summary>Let's Encrypt's production directory, used when relay.acmeDirectoryUrl is empty.</summary>
        public const string LetsEncrypt = "https://acme-v02.api.letsencrypt.org/directory";

        /// <summary>Not asked yet, or asking.</summary>
        public const string StateWorking = "working";

        /// <summary>A certificate from the CA is presented.</summary>
        public const string StateOk = "ok";

        /// <summary>The last attempt failed (<see cref="Problem"/> says why; <see cref="NextAttempt"/> when again).</summary>
        public const string StateFailed = "failed";

        private readonly string _dataDir;
        private readonly CertificateStore _store;
        private readonly ILog _log;
        private readonly object _lock = new object();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private Task _running;
        private Timer _timer;
        private DateTime _next;
        private int _failures;
        private int _typeIndex;

        /// <summary>
        /// A service for <paramref name="name"/> at the CA <paramref name="directoryUrl"/>, answering
        /// <paramref name="challengeTypes"/> (tried in turn after failures) through
        /// <paramref name="store"/> and <see cref="Challenges"/>.
        /// </summary>
        public AcmeService(string name, string directoryUrl, string email, string[] challengeTypes, string dataDir, CertificateStore store, ILog log)
        {
            Name = name;
            DirectoryUrl = new Uri(string.IsNullOrEmpty(directoryUrl) ? LetsEncrypt : directoryUrl);
            Email = email;
            ChallengeTypes = challengeTypes;
            _dataDir = dataDir;
            _store = store;
            _log = log;
            Challenges = new AcmeChallenges(store);
            State = StateWorking;
        }

        /// <summary>The name certificates are asked for (network.publicHost).</summary>
        public string Name { get; }

        /// <summary>The CA's directory.</summary>
        public Uri DirectoryUrl { get; }

        /// <summary>The contact address given to the CA (may be empty).</summary>
        public string Email { get; }

        /// <summary>The challenge types answered: the first until it fails, then the next.</summary>
        public string[] ChallengeTypes { get; }

        /// <summary>The answers to challenges while they are validated (port 80 reads HTTP-01 ones here).</summary>
        public AcmeChallenges Challenges { get; }

        /// <summary><see cref="StateWorking"/>, <see cref="StateOk"/> or <see cref="StateFailed"/>.</summary>
        public string State { get; private set; }

        /// <summary>Why the last attempt failed (null after a success).</summary>
        public string Problem { get; private set; }

        /// <summary>When the next attempt is due (UTC): the renewal, or the retry after a failure.</summary>
        public DateTime NextAttempt
        {
            get { return _next; }
        }

        /// <summary>The certificate from the CA in use (null before the first).</summary>
        public TlsIdentity Certificate { get; private set; }

        /// <summary>How long the last successful attempt took.</summary>
        public TimeSpan LastDuration { get; private set; }

        /// <summary>badNonce answers retried, over all attempts.</summary>
        public int BadNonceRetries { get; private set; }

        /// <summary>Certificates obtained since start.</summary>
        public int Obtained { get; private set; }

        /// <summary>Roots to trust for the CA's HTTPS instead of the system's (a private CA, a test CA); null = the system's.</summary>
        public X509Certificate2Collection TrustedRoots { get; set; }

        /// <summary>The clock renewals are planned by (tests move it forward).</summary>
        public Func<DateTime> UtcNow { get; set; } = () => DateTime.UtcNow;

        /// <summary>How often the plan is looked at (1 minute).</summary>
        public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

        /// <summary>
        /// The wait after <paramref name="failures"/> failures in a row: 2 minutes, then twice the
        /// wait before, at most 12 hours (Let's Encrypt allows 5 failed validations per name and
        /// account an hour).
        /// </summary>
        public static TimeSpan RetryDelay(int failures)
        {
            double minutes = 2 * Math.Pow(2, Math.Max(0, Math.Min(failures, 20) - 1));
            return TimeSpan.FromMinutes(Math.Min(minutes, 12 * 60));
        }

        /// <summary>When a certificate is renewed: two thirds into its validity.</summary>
        public static DateTime RenewalTime(X509Certificate2 certificate)
        {
            DateTime from = certificate.NotBefore.ToUniversalTime();
            DateTime until = certificate.NotAfter.ToUniversalTime();
            return from + TimeSpan.FromTicks((until - from).Ticks * 2 / 3);
        }

        /// <summary>
        /// The certificate kept in the data folder, when it is for <see cref="Name"/> and not
        /// expired; null otherwise. The renewal is planned from it.
        /// </summary>
        public TlsIdentity LoadKept()
        {
            string path = Path.Combine(_dataDir, CertificateFile);
            _next = UtcNow();
            if (!File.Exists(path))
            {
                return null;
            }

            try
            {
                string pem = File.ReadAllText(path);
                TlsIdentity kept = TlsIdentity.FromPem(pem, pem, TlsIdentity.OriginAcme, path);
                if (!kept.Certificate.MatchesHostname(Name, allowWildcards: false) || kept.NotAfter <= UtcNow())
                {
                    _log.Info("ACME: the certificate kept in " + path + " is for " + kept.Name + ", valid until " + kept.NotAfter.ToString("yyyy-MM-dd") + ": a new one for " + Name + " is asked for");
                    return null;
                }

                Certificate = kept;
                State = StateOk;
                _next = RenewalTime(kept.Certificate);
                return kept;
            }
            catch (Exception e) when (TlsIdentity.Unusable(e))
            {
                _log.Warn("ACME: the certificate kept in " + path + " cannot be used (" + e.Message + "); a new one is asked for");
                return null;
            }
        }

        /// <summary>Starts the plan: an attempt now if one is due, then a look every <see cref="CheckInterval"/>.</summary>
        public void Start()
        {
            _timer = new Timer(_ => CheckAsync(), null, TimeSpan.Zero, CheckInterval);
        }

        /// <summary>
        /// Starts an attempt when one is due and none is running; returns the attempt under way
        /// (or a finished task). Tests await it.
        /// </summary>
        public Task CheckAsync()
        {
            lock (_lock)
            {
                if (_running != null && !_running.IsCompleted)
                {
                    return _running;
                }

                if (_stop.IsCancellationRequested || UtcNow() < _next)
                {
                    return Task.CompletedTask;
                }

                _running = Task.Run(AttemptAsync);
                return _running;
            }
        }

        /// <summary>Stops the plan and any attempt under way.</summary>
        public void Dispose()
        {
            _timer?.Dispose();
            _stop.Cancel();
            try
            {
                _running?.Wait(5000);
            }
            catch (AggregateException)
            {
                // cancelled
            }
        }

        private async Task AttemptAsync()
        {
            string type = ChallengeTypes[_typeIndex % ChallengeTypes.Length]; // the one that last worked, or the next after a failure
            State = Certificate == null ? StateWorking : State;
            System.Diagnostics.Stopwatch took = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                using AcmeAccountKey account = LoadAccount();
                using HttpClient http = new HttpClient(Handler()) { Timeout = TimeSpan.FromSeconds(30) };
                AcmeClient client = new AcmeClient(DirectoryUrl, account, http);
                string keyPem;
                string chain;
                try
                {
                    using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                    keyPem = key.ExportPkcs8PrivateKeyPem();
                    chain = await client.ObtainAsync(Name, Email, type, Challenges, key, _stop.Token).ConfigureAwait(false);
                }
                finally
                {
                    BadNonceRetries += client.BadNonceRetries;
                }

                string path = Path.Combine(_dataDir, CertificateFile);
                string pair = keyPem + "\n" + chain.Trim() + "\n";
                TlsIdentity fresh = TlsIdentity.FromPem(pair, pair, TlsIdentity.OriginAcme, path); // checked before it replaces anything
                TlsIdentity.WriteAtomically(path, pair, true);
                TlsIdentity old = _store.Current;
                _store.Use(fresh);
                GC.KeepAlive(old);
                Certificate = fresh;
                LastDuration = took.Elapsed;
                Obtained++;
                _failures = 0;
                Problem = null;
                State = StateOk;
                _next = RenewalTime(fresh.Certificate);
                string issuer = fresh.Certificate.GetNameInfo(X509NameType.SimpleName, true);
                _log.Info("ACME: certificate for " + Name + " from " + issuer + " (" + type + ", " + took.ElapsedMilliseconds + " ms), valid until "
                    + fresh.NotAfter.ToString("yyyy-MM-dd HH:mm") + " UTC, SHA-256 " + fresh.Fingerprint + "; renewal planned for " + _next.ToString("yyyy-MM-dd HH:mm") + " UTC");
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // stopping
            }
            catch (Exception e) when (!(e is OperationCanceledException && _stop.IsCancellationRequested))
            {
                // Any failure, the CA's or an unexpected one, is a failed attempt: said, retried later.
                _failures++;
                _typeIndex++; // the other challenge type next time, when there are two
                Problem = e.Message;
                State = StateFailed;
                _next = UtcNow() + RetryDelay(_failures);
                _log.Warn("ACME: no certificate for " + Name + " (" + type + "): " + e.Message + "; "
                    + (Certificate != null ? "still presenting the one valid until " + Certificate.NotAfter.ToString("yyyy-MM-dd") : "presenting " + _store.Current.Name + " meanwhile")
                    + "; next try " + _next.ToString("yyyy-MM-dd HH:mm") + " UTC");
            }
        }

        private AcmeAccountKey LoadAccount()
        {
            string path = Path.Combine(_dataDir, AccountFile);
            if (File.Exists(path))
            {
                return AcmeAccountKey.FromPem(File.ReadAllText(path));
            }

            AcmeAccountKey made = AcmeAccountKey.Create();
            OwnerOnlyFile.CreateFolder(_dataDir);
            TlsIdentity.WriteAtomically(path, made.ToPem(), true);
            return made;
        }

        private HttpMessageHandler Handler()
        {
            SocketsHttpHandler handler = new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
            X509Certificate2Collection roots = TrustedRoots;
            if (roots != null)
            {
                handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                {
                    if (certificate == null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                    {
                        return false; // a name mismatch is never accepted
                    }

                    using X509Chain custom = new X509Chain();
                    custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    custom.ChainPolicy.CustomTrustStore.AddRange(roots);
                    custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    if (chain != null)
                    {
                        custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
                    }

                    return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                };
            }

            return handler;
        }
    }
}
