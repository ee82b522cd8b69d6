using Pigeon.Json;

namespace Pigeon.Portal
{
    /// <summary>
    /// The certificate the relay presents on routes that take the app's TLS off (terminateTls),
    /// for the status page ("tls" in /api/status) and its "new certificate" action. The host sets
    /// one when a route terminates TLS; the board, which cannot, sets none. Nothing of the private
    /// key ever goes through it.
    /// </summary>
    public interface ITlsCertificate
    {
        /// <summary>Writes one JSON object (see <see cref="TlsStatusWriter"/>).</summary>
        void WriteStatus(JsonWriter json);

        /// <summary>
        /// Replaces a certificate Pigeon made with a new one, presented from the next handshake on.
        /// False with a plain reason when it cannot (the config names its own certificate files).
        /// </summary>
        bool Renew(out string error);
    }
}
