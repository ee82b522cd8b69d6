using Pigeon.Host.Tls;
using Pigeon.Json;
using Pigeon.Portal;

namespace Pigeon.Host
{
    /// <summary>
    /// The certificate of the host's terminateTls routes as the portal sees it: name, SHA-256
    /// fingerprint, dates and whether Pigeon made it, read from the identity in use; "new
    /// certificate" goes to <see cref="HostApp.RenewCertificate"/>, which presents it from the next
    /// handshake and logs its name and fingerprint. The key never leaves <see cref="TlsIdentity"/>.
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
            TlsIdentity identity = _app.Tls; // one identity for every member, even mid-renewal
            TlsStatusWriter.Write(json, identity.Name, identity.Fingerprint, identity.Certificate.NotBefore.ToUniversalTime(),
                identity.Certificate.NotAfter.ToUniversalTime(), identity.Made);
        }

        /// <inheritdoc />
        public bool Renew(out string error)
        {
            return _app.RenewCertificate(out error);
        }
    }
}
