using System;
using System.Collections.Generic;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace Pigeon.Host.Tls
{
    /// <summary>
    /// Every certificate decision of the relay's TLS routes, in one place, per ClientHello: the
    /// certificate in use (made, the config's files, or ACME's), replaced while running by a
    /// reload or a renewal (from the next handshake on; sessions under way keep theirs), and
    /// during an ACME TLS-ALPN-01 validation (RFC 8737) the validation certificate for a
    /// ClientHello that offers only the "acme-tls/1" protocol for the name being validated.
    /// Both pumps ask it at each handshake: the event pump through <see cref="Select"/> (an
    /// <see cref="ServerOptionsSelectionCallback"/>), the threaded pump through
    /// <see cref="Choose"/>, each with the hello bytes admission read as the state.
    /// </summary>
    public sealed class CertificateStore
    {
        /// <summary>The ALPN protocol of TLS-ALPN-01 validation (RFC 8737 §6.2).</summary>
        public static readonly SslApplicationProtocol AcmeTls1 = new SslApplicationProtocol("acme-tls/1");

        private readonly object _lock = new object();
        private readonly Dictionary<string, SslServerAuthenticationOptions> _validations = new Dictionary<string, SslServerAuthenticationOptions>(StringComparer.OrdinalIgnoreCase);
        private volatile TlsIdentity _current;
        private volatile SslServerAuthenticationOptions _options;
        private volatile SslServerAuthenticationOptions _noAlpn; // for a client that offers none of ours
        private List<SslApplicationProtocol> _protocols;
        private volatile int _validationCount;

        /// <summary>A store presenting <paramref name="identity"/>.</summary>
        public CertificateStore(TlsIdentity identity)
        {
            Use(identity);
        }

        /// <summary>The certificate presented to ordinary handshakes.</summary>
        public TlsIdentity Current
        {
            get { return _current; }
        }

        /// <summary>The server options of ordinary handshakes (the current certificate, TLS 1.2 and 1.3, the ALPN list).</summary>
        public SslServerAuthenticationOptions Options
        {
            get { return _options; }
        }

        /// <summary>
        /// The application protocols offered to ordinary handshakes (ALPN, in order of preference);
        /// null or empty: none negotiated. Setting it takes effect from the next handshake.
        /// </summary>
        public List<SslApplicationProtocol> ApplicationProtocols
        {
            get
            {
                return _protocols;
            }

            set
            {
                lock (_lock)
                {
                    _protocols = value;
                    _options = Build(_current.Context, value);
                    _noAlpn = Build(_current.Context, null);
                }
            }
        }

        /// <summary>Presents <paramref name="identity"/> from the next handshake on.</summary>
        public void Use(TlsIdentity identity)
        {
            if (identity == null)
            {
                throw new ArgumentNullException(nameof(identity));
            }

            lock (_lock)
            {
                _options = Build(identity.Context, _protocols);
                _noAlpn = Build(identity.Context, null);
                _current = identity; // handshakes under way keep the options they took
            }
        }

        /// <summary>
        /// While <paramref name="name"/> is being validated by TLS-ALPN-01: a ClientHello for it
        /// offering "acme-tls/1" gets <paramref name="validation"/> (the self-signed certificate
        /// with the acmeIdentifier extension) and that protocol.
        /// </summary>
        public void AddValidation(string name, X509Certificate2 validation)
        {
            SslServerAuthenticationOptions options = Build(SslStreamCertificateContext.Create(validation, null, offline: true), new List<SslApplicationProtocol> { AcmeTls1 });
            lock (_lock)
            {
                _validations[name] = options;
                _validationCount = _validations.Count;
            }
        }

        /// <summary>Ends the validation of <paramref name="name"/>.</summary>
        public void RemoveValidation(string name)
        {
            lock (_lock)
            {
                _validations.Remove(name);
                _validationCount = _validations.Count;
            }
        }

        /// <summary>
        /// The event pump's choice (a <see cref="ServerOptionsSelectionCallback"/>):
        /// <paramref name="state"/> is the bytes of the ClientHello admission read (a byte[], or
        /// null). Completes at once.
        /// </summary>
        public ValueTask<SslServerAuthenticationOptions> Select(SslStream stream, SslClientHelloInfo hello, object state, CancellationToken cancellationToken)
        {
            byte[] bytes = state as byte[];
            return new ValueTask<SslServerAuthenticationOptions>(Choose(bytes, 0, bytes == null ? 0 : bytes.Length, hello.ServerName));
        }

        /// <summary>
        /// The options for a handshake whose ClientHello starts with <paramref name="count"/> bytes
        /// at <paramref name="offset"/>; <paramref name="serverName"/> is its SNI when the caller
        /// knows it (null: read from the bytes). Costs nothing unless a validation is under way.
        /// </summary>
        public SslServerAuthenticationOptions Choose(byte[] hello, int offset, int count, string serverName)
        {
            List<SslApplicationProtocol> protocols = _protocols;
            if (_validationCount == 0 && (protocols == null || protocols.Count == 0))
            {
                return _options;
            }

            // ALPN as a web server negotiates it: our protocol when the client offers it, and no
            // ALPN at all (rather than a failed handshake) when it offers none of ours: a client
            // is never refused for what it lists there.
            ClientHelloFields fields = ClientHelloFields.Parse(hello, offset, count);
            SslServerAuthenticationOptions ordinary = fields.OffersHttp11 || !fields.Complete ? _options : _noAlpn;
            if (_validationCount == 0)
            {
                return ordinary;
            }

            string name = serverName ?? fields.ServerName;
            if (string.IsNullOrEmpty(name))
            {
                return ordinary;
            }

            SslServerAuthenticationOptions validation;
            lock (_lock)
            {
                if (!_validations.TryGetValue(name, out validation))
                {
                    return ordinary;
                }
            }

            // The validator offers acme-tls/1 alone. When the hello was cut short of its
            // extensions the name decides: only the CA asks for that name while it validates.
            return !fields.Complete || fields.OffersAcmeTls1 ? validation : ordinary;
        }

        private static SslServerAuthenticationOptions Build(SslStreamCertificateContext context, List<SslApplicationProtocol> protocols)
        {
            return new SslServerAuthenticationOptions
            {
                ServerCertificateContext = context,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificateRequired = false,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                AllowRenegotiation = false,
                ApplicationProtocols = protocols == null || protocols.Count == 0 ? null : new List<SslApplicationProtocol>(protocols),
            };
        }
    }
}
