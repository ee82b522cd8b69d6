using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using Pigeon.Config;
using Pigeon.Host.Acme;
using Pigeon.Net;
using Pigeon.Portal;

namespace Pigeon.Host.Tls
{
    /// <summary>
    /// Where the certificate of the terminateTls routes comes from, and what keeps it current:
    /// the config's PEM files (reloaded when they change, <see cref="CertificateFileWatcher"/>),
    /// ACME (<see cref="AcmeService"/>, with the made self-signed identity presented until the CA
    /// answers and whenever it cannot), or the made identity alone (the portal's "new
    /// certificate" replaces it). The relay asks <see cref="Store"/> at each handshake.
    /// </summary>
    public sealed class CertificateService : IDisposable
    {
        private readonly string _dataDir;
        private readonly ILog _log;

        private CertificateService(CertificateStore store, string dataDir, ILog log)
        {
            Store = store;
            _dataDir = dataDir;
            _log = log;
        }

        /// <summary>What the relay's TLS routes present, chosen per ClientHello.</summary>
        public CertificateStore Store { get; }

        /// <summary>The certificate presented to ordinary handshakes now.</summary>
        public TlsIdentity Current
        {
            get { return Store.Current; }
        }

        /// <summary>The watcher of relay.tlsCertificateFile / tlsKeyFile (null when the config names none).</summary>
        public CertificateFileWatcher Files { get; private set; }

        /// <summary>The ACME service (null unless relay.acme).</summary>
        public AcmeService Acme { get; private set; }

        /// <summary>
        /// The certificate for <paramref name="config"/>'s TLS routes, with what keeps it current
        /// (started by <see cref="Start"/>). Null, with the reason in <paramref name="errors"/>,
        /// when the configured files cannot be used.
        /// </summary>
        public static CertificateService Load(PigeonConfig config, string dataDir, ILog log, List<string> errors)
        {
            RelayConfig relay = config.Relay;
            string error;
            string replaced;
            TlsIdentity identity = TlsIdentity.Load(relay, dataDir, out error, out replaced);
            if (identity == null)
            {
                errors.Add(error);
                return null;
            }

            if (replaced != null)
            {
                log.Warn("TLS: the certificate pair in " + dataDir + " could not be read (" + replaced + "); made a new one");
            }

            CertificateService service = new CertificateService(new CertificateStore(identity), dataDir, log);
            if (!string.IsNullOrEmpty(relay.TlsCertificateFile))
            {
                service.Files = new CertificateFileWatcher(relay.TlsCertificateFile, relay.TlsKeyFile, service.Store, log);
            }

            if (relay.Acme)
            {
                service.Acme = new AcmeService(config.Network.PublicHost, relay.AcmeDirectoryUrl, relay.AcmeEmail, ChallengeTypes(relay), dataDir, service.Store, log);
                TlsIdentity kept = service.Acme.LoadKept();
                if (kept != null)
                {
                    service.Store.Use(kept);
                }
            }

            TlsIdentity used = service.Current;
            log.Info("TLS: certificate " + used.Name + " (" + Describe(used, dataDir) + "), SHA-256 " + used.Fingerprint + ", valid until " + used.NotAfter.ToString("yyyy-MM-dd")
                + (service.Acme != null && used.Origin != TlsIdentity.OriginAcme ? "; asking " + service.Acme.DirectoryUrl.Host + " for one for " + service.Acme.Name : string.Empty));
            return service;
        }

        /// <summary>The challenge types relay.acmeChallenge allows, in the order they are tried.</summary>
        public static string[] ChallengeTypes(RelayConfig relay)
        {
            if (relay.AcmeChallenge == AcmeClient.Http01 || relay.AcmeChallenge == AcmeClient.TlsAlpn01)
            {
                return new[] { relay.AcmeChallenge };
            }

            List<string> types = new List<string>();
            foreach (RouteConfig route in relay.Routes ?? new RouteConfig[0])
            {
                if (route != null && route.TerminateTls && types.Count == 0)
                {
                    types.Add(AcmeClient.TlsAlpn01);
                }
            }

            if (relay.HttpPort > 0)
            {
                types.Add(AcmeClient.Http01);
            }

            return types.Count > 0 ? types.ToArray() : new[] { AcmeClient.TlsAlpn01 };
        }

        /// <summary>Starts watching the files and the ACME plan.</summary>
        public void Start()
        {
            Files?.Start();
            Acme?.Start();
        }

        /// <summary>
        /// Makes a new self-signed certificate and presents it from the next handshake on (the
        /// portal's "new certificate"). False with a reason when the certificate is not Pigeon's
        /// own (the config's files, or one from the CA).
        /// </summary>
        public bool RenewMade(out string error)
        {
            error = null;
            TlsIdentity current = Store.Current;
            if (Files != null)
            {
                error = "the config names its own certificate (relay.tlsCertificateFile); replace that file instead";
                return false;
            }

            if (current.Origin == TlsIdentity.OriginAcme)
            {
                error = "the certificate comes from the CA (ACME) for " + current.Name + " and renews itself; turn relay.acme off to use a made one";
                return false;
            }

            TlsIdentity fresh;
            try
            {
                fresh = TlsIdentity.Make(_dataDir);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                error = TlsIdentity.CannotWrite(_dataDir, e); // the certificate in use stays
                return false;
            }

            Store.Use(fresh);
            _log.Info("TLS: new certificate " + fresh.Name + ", SHA-256 " + fresh.Fingerprint);
            GC.KeepAlive(current); // handshakes under way may still hold it; the collector frees it
            return true;
        }

        /// <summary>What the status page shows (name, dates, where it comes from, ACME's state or a refused reload).</summary>
        public TlsStatus Status()
        {
            TlsIdentity current = Store.Current; // one identity for every member, even mid-renewal
            TlsStatus status = new TlsStatus
            {
                Name = current.Name,
                Sha256 = current.Fingerprint,
                NotBefore = current.Certificate.NotBefore.ToUniversalTime(),
                NotAfter = current.NotAfter,
                Made = current.Made,
                Source = current.Origin,
                Issuer = current.Certificate.GetNameInfo(X509NameType.SimpleName, true),
                Problem = Files?.Problem,
            };
            AcmeService acme = Acme;
            if (acme != null)
            {
                status.AcmeName = acme.Name;
                status.AcmeState = acme.State;
                status.AcmeProblem = acme.Problem;
                status.AcmeNextAttempt = acme.NextAttempt;
            }

            return status;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Files?.Dispose();
            Acme?.Dispose();
        }

        private static string Describe(TlsIdentity identity, string dataDir)
        {
            switch (identity.Origin)
            {
                case TlsIdentity.OriginMade:
                    return "made by Pigeon, " + Path.Combine(dataDir, TlsIdentity.CertificateFile);
                case TlsIdentity.OriginAcme:
                    return "from " + identity.Certificate.GetNameInfo(X509NameType.SimpleName, true) + " by ACME, " + identity.Source;
                default:
                    return identity.Source + (identity.Chain.Count > 0 ? ", with " + identity.Chain.Count + " chain certificate" + (identity.Chain.Count > 1 ? "s" : string.Empty) : string.Empty)
                        + ", reloaded when it changes";
            }
        }
    }
}
