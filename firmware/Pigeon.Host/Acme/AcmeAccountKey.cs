using System;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Pigeon.Json;

namespace Pigeon.Host.Acme
{
    /// <summary>
    /// The ACME account key (ECDSA P-256) and what RFC 8555 §6.2 makes of it: the public key as a
    /// JWK (RFC 7517/7518 §6.2), its thumbprint (RFC 7638) for key authorizations, and JWS
    /// requests signed ES256 (RFC 7515 flattened JSON, RFC 7518 §3.4: r || s, 32 bytes each).
    /// </summary>
    public sealed class AcmeAccountKey : IDisposable
    {
        private readonly ECDsa _key;
        private readonly string _x;
        private readonly string _y;

        /// <summary>Wraps <paramref name="key"/> (a P-256 key; owned from now on).</summary>
        public AcmeAccountKey(ECDsa key)
        {
            _key = key;
            ECParameters p = key.ExportParameters(false);
            if (p.Curve.Oid?.Value != "1.2.840.10045.3.1.7")
            {
                throw new CryptographicException("the ACME account key must be ECDSA P-256");
            }

            _x = Base64Url.EncodeToString(p.Q.X);
            _y = Base64Url.EncodeToString(p.Q.Y);
            Thumbprint = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(JwkText())));
        }

        /// <summary>base64url(SHA-256 of the JWK's members in lexicographic order, no white space).</summary>
        public string Thumbprint { get; }

        /// <summary>A new P-256 key.</summary>
        public static AcmeAccountKey Create()
        {
            return new AcmeAccountKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        }

        /// <summary>The key from PKCS#8 PEM.</summary>
        public static AcmeAccountKey FromPem(string pem)
        {
            ECDsa key = ECDsa.Create();
            try
            {
                key.ImportFromPem(pem);
                return new AcmeAccountKey(key);
            }
            catch
            {
                key.Dispose();
                throw;
            }
        }

        /// <summary>The private key as PKCS#8 PEM (for the owner-only account file).</summary>
        public string ToPem()
        {
            return _key.ExportPkcs8PrivateKeyPem();
        }

        /// <summary>"token.thumbprint" (RFC 8555 §8.1).</summary>
        public string KeyAuthorization(string token)
        {
            return token + "." + Thumbprint;
        }

        /// <summary>
        /// The JWS body of a request to <paramref name="url"/>: with the JWK (newAccount) when
        /// <paramref name="kid"/> is null, else with the account URL; <paramref name="payload"/>
        /// null for POST-as-GET (an empty payload, §6.3).
        /// </summary>
        public byte[] Sign(string url, string nonce, string kid, string payload)
        {
            JsonWriter header = new JsonWriter(256);
            header.BeginObject().Member("alg", "ES256");
            if (kid == null)
            {
                header.Name("jwk").BeginObject().Member("crv", "P-256").Member("kty", "EC").Member("x", _x).Member("y", _y).EndObject();
            }
            else
            {
                header.Member("kid", kid);
            }

            header.Member("nonce", nonce).Member("url", url).EndObject();
            string protectedPart = Base64Url.EncodeToString(header.ToUtf8());
            string payloadPart = payload == null ? string.Empty : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
            byte[] signature = _key.SignData(Encoding.ASCII.GetBytes(protectedPart + "." + payloadPart), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            JsonWriter body = new JsonWriter(512);
            body.BeginObject().Member("protected", protectedPart).Member("payload", payloadPart).Member("signature", Base64Url.EncodeToString(signature)).EndObject();
            return body.ToUtf8();
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _key.Dispose();
        }

        private string JwkText()
        {
            return "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + _x + "\",\"y\":\"" + _y + "\"}";
        }
    }
}
