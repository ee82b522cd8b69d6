using Pigeon.Host.Tls;
using Pigeon.Json;
using Pigeon.Portal;

namespace Pigeon.Host
{
    /// <summary>
    /// The certificate of the host's terminateTls routes as the portal sees it: name, SHA-256
    /// fingerprint, dates, where it comes from and ACME's state (<see cref="CertificateService.Status"/>);
    /// "new certificate" goes to <see cref="HostApp.RenewCertificate"/>, which presents it from the
    /// next handshake and logs its name and fingerprint. The key never leaves <see cref="TlsIdentity"/>.
    /// </summary>
    public sealed class PortalCertificate : ITlsCertificate
    {
        private readonly HostApp _app;

        /// <summary>Reports on and renews <paramref name="app"/>'s certificate.</summary>
        public PortalCertificate(HostApp app)
        {
            _app = app;
        }

        /// <inheritdoc />
        public void WriteStatus(JsonWriter json)
        {
            TlsStatusWriter.Write(json, _app.Certificates.Status());
        }

        /// <inheritdoc />
        public bool Renew(out string error)
        {
            return _app.RenewCertificate(out error);
        }
    }
}
