using System;
using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Pigeon.Host.Tls;

namespace Pigeon.Host.Acme
{
    /// <summary>
    /// The answers to ACME challenges while a CA validates the relay's name: HTTP-01 (RFC 8555
    /// §8.3: GET http://NAME/.well-known/acme-challenge/TOKEN answers the key authorization, served
    /// by <see cref="HttpSite"/> on port 80) and TLS-ALPN-01 (RFC 8737: a handshake for NAME
    /// offering "acme-tls/1" on port 443 gets a self-signed certificate for NAME carrying the
    /// SHA-256 of the key authorization in a critical acmeIdentifier extension; chosen per
    /// ClientHello by <see cref="CertificateStore"/>). Each answer exists only while its
    /// challenge is being validated.
    /// </summary>
    public sealed class AcmeChallenges
    {
        /// <summary>The path HTTP-01 tokens live under.</summary>
        public const string HttpPath = "/.well-known/acme-challenge/";

        /// <summary>id-pe-acmeIdentifier (RFC 8737 §6.1).</summary>
        public const string AcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";

        private readonly ConcurrentDictionary<string, string> _http = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        private readonly CertificateStore _store;
        private int _httpServed;

        /// <summary>Challenges answered through <paramref name="store"/> (TLS-ALPN-01) and <see cref="HttpAnswer"/> (HTTP-01).</summary>
        public AcmeChallenges(CertificateStore store)
        {
            _store = store;
        }

        /// <summary>HTTP-01 requests answered so far (a figure for the log and tests).</summary>
        public int HttpServed
        {
            get { return _httpServed; }
        }

        /// <summary>The key authorization for an HTTP-01 <paramref name="token"/> being validated, else null.</summary>
        public string HttpAnswer(string token)
        {
            if (token == null || !_http.TryGetValue(token, out string answer))
            {
                return null;
            }

            System.Threading.Interlocked.Increment(ref _httpServed);
            return answer;
        }

        /// <summary>Answers GET /.well-known/acme-challenge/<paramref name="token"/> with <paramref name="keyAuthorization"/>.</summary>
        public void AddHttp(string token, string keyAuthorization)
        {
            _http[token] = keyAuthorization;
        }

        /// <summary>Stops answering <paramref name="token"/>.</summary>
        public void RemoveHttp(string token)
        {
            _http.TryRemove(token, out _);
        }

        /// <summary>Answers "acme-tls/1" handshakes for <paramref name="name"/> with the validation certificate for <paramref name="keyAuthorization"/>.</summary>
        public void AddTlsAlpn(string name, string keyAuthorization)
        {
            using X509Certificate2 validation = ValidationCertificate(name, keyAuthorization);
            _store.AddValidation(name, X509CertificateLoader.LoadPkcs12(validation.Export(X509ContentType.Pkcs12), null));
        }

        /// <summary>Stops answering "acme-tls/1" for <paramref name="name"/>.</summary>
        public void RemoveTlsAlpn(string name)
        {
            _store.RemoveValidation(name);
        }

        /// <summary>
        /// The TLS-ALPN-01 certificate (RFC 8737 §3): self-signed, subjectAltName dNSName
        /// <paramref name="name"/>, and the critical acmeIdentifier extension whose value is the
        /// DER OCTET STRING of SHA-256(key authorization).
        /// </summary>
        public static X509Certificate2 ValidationCertificate(string name, string keyAuthorization)
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            CertificateRequest request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
            SubjectAlternativeNameBuilder san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(name);
            request.CertificateExtensions.Add(san.Build());
            AsnWriter digest = new AsnWriter(AsnEncodingRules.DER);
            digest.WriteOctetString(SHA256.HashData(Encoding.ASCII.GetBytes(keyAuthorization)));
            request.CertificateExtensions.Add(new X509Extension(new Oid(AcmeIdentifierOid), digest.Encode(), true));
            DateTimeOffset now = DateTimeOffset.UtcNow;
            return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        }
    }
}
