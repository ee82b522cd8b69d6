using System;

namespace Pigeon.Portal
{
    /// <summary>
    /// What the status page shows of the certificate of the host's TLS routes (written by
    /// <see cref="TlsStatusWriter"/>): the one presented, where it comes from, and, when ACME
    /// keeps it, the state of that (the reason it failed and the next try). Host only.
    /// </summary>
    public sealed class TlsStatus
    {
        /// <summary>The host name in the certificate presented.</summary>
        public string Name { get; set; }

        /// <summary>Its SHA-256, lower-case hex.</summary>
        public string Sha256 { get; set; }

        /// <summary>Start of its validity, UTC.</summary>
        public DateTime NotBefore { get; set; }

        /// <summary>End of its validity, UTC.</summary>
        public DateTime NotAfter { get; set; }

        /// <summary>Pigeon made it and can make another.</summary>
        public bool Made { get; set; }

        /// <summary>"made", "files" (relay.tlsCertificateFile) or "acme".</summary>
        public string Source { get; set; }

        /// <summary>Who signed it (its issuer's common name).</summary>
        public string Issuer { get; set; }

        /// <summary>Why the last change of the configured files was not taken; null when none was refused.</summary>
        public string Problem { get; set; }

        /// <summary>The name ACME asks certificates for; null when ACME is off.</summary>
        public string AcmeName { get; set; }

        /// <summary>"working", "ok" or "failed".</summary>
        public string AcmeState { get; set; }

        /// <summary>Why the last ACME attempt failed; null after a success.</summary>
        public string AcmeProblem { get; set; }

        /// <summary>When ACME tries next (the renewal, or the retry), UTC.</summary>
        public DateTime AcmeNextAttempt { get; set; }
    }
}
