using System;
using System.Buffers.Text;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Pigeon.Json;

namespace Pigeon.Host.Acme
{
    /// <summary>
    /// An ACME client (RFC 8555) for one certificate with one DNS name: directory, nonces
    /// (a badNonce problem is retried with the nonce that came with it, §6.5), the account
    /// (newAccount with the key, which finds an existing account too, §7.3), newOrder, each
    /// authorization's challenge answered through <see cref="AcmeChallenges"/> (HTTP-01 or
    /// TLS-ALPN-01), polling with Retry-After, finalize with a CSR, and the certificate chain
    /// downloaded as PEM. JSON through the project's own reader and writer.
    /// </summary>
    public sealed class AcmeClient
    {
        /// <summary>HTTP-01 (RFC 8555 §8.3).</summary>
        public const string Http01 = "http-01";

        /// <summary>TLS-ALPN-01 (RFC 8737).</summary>
        public const string TlsAlpn01 = "tls-alpn-01";

        private const string ErrorPrefix = "urn:ietf:params:acme:error:";
        private const int MaxBadNonceRetries = 10;
        private const int MaxAnswerBytes = 1 << 20;

        private readonly HttpClient _http;
        private readonly Uri _directoryUrl;
        private readonly AcmeAccountKey _key;
        private JsonNode _directory;
        private string _nonce;
        private string _kid;

        /// <summary>A client of the CA at <paramref name="directoryUrl"/> for the account <paramref name="key"/>, over <paramref name="http"/>.</summary>
        public AcmeClient(Uri directoryUrl, AcmeAccountKey key, HttpClient http)
        {
            _directoryUrl = directoryUrl;
            _key = key;
            _http = http;
        }

        /// <summary>badNonce answers retried so far (Pebble refuses 5 % of good nonces on purpose).</summary>
        public int BadNonceRetries { get; private set; }

        /// <summary>How long to wait between polls when the CA gives no Retry-After (1 s).</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>How long an authorization or an order may stay pending or processing (2 minutes).</summary>
        public TimeSpan PollLimit { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>
        /// Obtains a certificate for <paramref name="name"/> with <paramref name="certificateKey"/>,
        /// answering each authorization's <paramref name="challengeType"/> challenge through
        /// <paramref name="challenges"/>. Returns the chain as PEM (the certificate first).
        /// Throws <see cref="AcmeException"/> with the reason.
        /// </summary>
        public async Task<string> ObtainAsync(string name, string contactEmail, string challengeType, AcmeChallenges challenges, ECDsa certificateKey, CancellationToken cancel)
        {
            await DirectoryAsync(cancel).ConfigureAwait(false);
            await AccountAsync(contactEmail, cancel).ConfigureAwait(false);
            JsonWriter order = new JsonWriter(128);
            order.BeginObject().Name("identifiers").BeginArray().BeginObject().Member("type", "dns").Member("value", name).EndObject().EndArray().EndObject();
            Answer created = await PostAsync(Url("newOrder"), order.ToString(), cancel).ConfigureAwait(false);
            string orderUrl = created.Location ?? throw new AcmeException("the CA made an order without saying where it is (no Location)", null);
            JsonNode body = created.Json;
            JsonNode authorizations = body.Get("authorizations");
            for (int i = 0; authorizations != null && i < authorizations.Count; i++)
            {
                await AuthorizeAsync(authorizations[i].Text, challengeType, challenges, cancel).ConfigureAwait(false);
            }

            body = await PollAsync(orderUrl, "order", s => s != "pending", cancel).ConfigureAwait(false);
            if (body.GetString("status") != "ready" && body.GetString("status") != "valid")
            {
                throw new AcmeException("the order is " + body.GetString("status") + " after its authorizations" + Problem(body.Get("error")), null);
            }

            if (body.GetString("status") == "ready")
            {
                JsonWriter finalize = new JsonWriter(1024);
                finalize.BeginObject().Member("csr", Base64Url.EncodeToString(SigningRequest(name, certificateKey))).EndObject();
                await PostAsync(body.GetString("finalize"), finalize.ToString(), cancel).ConfigureAwait(false);
                body = await PollAsync(orderUrl, "order", s => s != "processing" && s != "ready", cancel).ConfigureAwait(false);
            }

            string certificateUrl = body.GetString("certificate");
            if (body.GetString("status") != "valid" || certificateUrl == null)
            {
                throw new AcmeException("the order ended " + body.GetString("status") + " without a certificate" + Problem(body.Get("error")), null);
            }

            Answer chain = await PostAsync(certificateUrl, null, cancel, "application/pem-certificate-chain").ConfigureAwait(false);
            string pem = Encoding.ASCII.GetString(chain.Body);
            if (!pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                throw new AcmeException("the CA's certificate download holds no PEM certificate", null);
            }

            return pem;
        }

        /// <summary>The CSR (PKCS#10, DER) for <paramref name="name"/>: subject CN and subjectAltName dNSName.</summary>
        public static byte[] SigningRequest(string name, ECDsa key)
        {
            CertificateRequest request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
            SubjectAlternativeNameBuilder san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(name);
            request.CertificateExtensions.Add(san.Build());
            return request.CreateSigningRequest();
        }

        private async Task AccountAsync(string contactEmail, CancellationToken cancel)
        {
            if (_kid != null)
            {
                return;
            }

            JsonWriter account = new JsonWriter(128);
            account.BeginObject().Member("termsOfServiceAgreed", true);
            if (!string.IsNullOrEmpty(contactEmail))
            {
                account.Name("contact").BeginArray().String("mailto:" + contactEmail).EndArray();
            }

            account.EndObject();
            Answer answer = await PostAsync(Url("newAccount"), account.ToString(), cancel, null, true).ConfigureAwait(false);
            _kid = answer.Location ?? throw new AcmeException("the CA did not give the account's URL (no Location)", null);
            string status = answer.Json?.GetString("status");
            if (status != null && status != "valid")
            {
                _kid = null;
                throw new AcmeException("the ACME account is " + status, "unauthorized");
            }
        }

        private async Task AuthorizeAsync(string url, string challengeType, AcmeChallenges challenges, CancellationToken cancel)
        {
            JsonNode authorization = (await PostAsync(url, null, cancel).ConfigureAwait(false)).Json;
            string status = authorization.GetString("status");
            string name = authorization.Get("identifier")?.GetString("value");
            if (status == "valid")
            {
                return; // validated before (the CA may reuse an authorization)
            }

            if (status != "pending")
            {
                throw new AcmeException("the authorization for " + name + " is " + status, null);
            }

            JsonNode challenge = null;
            JsonNode list = authorization.Get("challenges");
            string offered = string.Empty;
            for (int i = 0; list != null && i < list.Count; i++)
            {
                offered += (i > 0 ? ", " : string.Empty) + list[i].GetString("type");
                if (list[i].GetString("type") == challengeType)
                {
                    challenge = list[i];
                }
            }

            if (challenge == null)
            {
                throw new AcmeException("the CA does not offer " + challengeType + " for " + name + " (it offers " + offered + ")", null);
            }

            string token = challenge.GetString("token");
            if (token == null || token.Length < 22 || token.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_')))
            {
                throw new AcmeException("the CA's challenge token is not base64url text", null);
            }

            string keyAuthorization = _key.KeyAuthorization(token);
            bool http = challengeType == Http01;
            if (http)
            {
                challenges.AddHttp(token, keyAuthorization);
            }
            else
            {
                challenges.AddTlsAlpn(name, keyAuthorization);
            }

            try
            {
                await PostAsync(challenge.GetString("url"), "{}", cancel).ConfigureAwait(false);
                authorization = await PollAsync(url, "authorization", s => s != "pending", cancel).ConfigureAwait(false);
            }
            finally
            {
                if (http)
                {
                    challenges.RemoveHttp(token);
                }
                else
                {
                    challenges.RemoveTlsAlpn(name);
                }
            }

            if (authorization.GetString("status") != "valid")
            {
                // The reason is in the challenge that failed.
                string reason = string.Empty;
                list = authorization.Get("challenges");
                for (int i = 0; list != null && i < list.Count; i++)
                {
                    if (list[i].GetString("type") == challengeType)
                    {
                        reason = Problem(list[i].Get("error"));
                    }
                }

                throw new AcmeException("the CA could not validate " + name + " by " + challengeType + reason, "unauthorized");
            }
        }

        private async Task<JsonNode> PollAsync(string url, string what, Func<string, bool> done, CancellationToken cancel)
        {
            Stopwatch waited = Stopwatch.StartNew();
            while (true)
            {
                Answer answer = await PostAsync(url, null, cancel).ConfigureAwait(false);
                string status = answer.Json.GetString("status");
                if (done(status))
                {
                    return answer.Json;
                }

                if (waited.Elapsed > PollLimit)
                {
                    throw new AcmeException("the " + what + " was still " + status + " after " + (int)PollLimit.TotalSeconds + " s", null);
                }

                TimeSpan wait = answer.RetryAfter ?? PollInterval;
                wait = wait > TimeSpan.FromSeconds(10) ? TimeSpan.FromSeconds(10) : wait < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : wait;
                await Task.Delay(wait, cancel).ConfigureAwait(false);
            }
        }

        private string Url(string name)
        {
            string url = _directory?.GetString(name);
            if (url == null)
            {
                throw new AcmeException("the CA's directory has no " + name, null);
            }

            return url;
        }

        private async Task DirectoryAsync(CancellationToken cancel)
        {
            if (_directory != null)
            {
                return;
            }

            using HttpRequestMessage request = new HttpRequestMessage(HttpMethod.Get, _directoryUrl);
            Answer answer = await SendAsync(request, cancel).ConfigureAwait(false);
            if (answer.Status != 200 || answer.Json.Kind != JsonKind.Object || answer.Json.GetString("newNonce") == null)
            {
                throw new AcmeException("the ACME directory " + _directoryUrl + " answered HTTP " + answer.Status + (answer.Status == 200 ? " but is not an ACME directory" : string.Empty), null);
            }

            _directory = answer.Json;
        }

        private async Task<string> NonceAsync(CancellationToken cancel)
        {
            if (_nonce != null)
            {
                string nonce = _nonce;
                _nonce = null; // each nonce is good once
                return nonce;
            }

            using HttpRequestMessage request = new HttpRequestMessage(HttpMethod.Head, Url("newNonce"));
            Answer answer = await SendAsync(request, cancel).ConfigureAwait(false);
            string fresh = _nonce;
            _nonce = null;
            return fresh ?? throw new AcmeException("the CA gave no nonce (no Replay-Nonce header; HTTP " + answer.Status + ")", null);
        }

        private async Task<Answer> PostAsync(string url, string payload, CancellationToken cancel, string accept = null, bool withKey = false)
        {
            await DirectoryAsync(cancel).ConfigureAwait(false);
            if (url == null)
            {
                throw new AcmeException("the CA's answer lacks a URL it should have", null);
            }

            for (int attempt = 0; ; attempt++)
            {
                string nonce = await NonceAsync(cancel).ConfigureAwait(false);
                using HttpRequestMessage request = new HttpRequestMessage(HttpMethod.Post, url);
                request.Content = new ByteArrayContent(_key.Sign(url, nonce, withKey ? null : _kid, payload));
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/jose+json");
                if (accept != null)
                {
                    request.Headers.Accept.ParseAdd(accept);
                }

                Answer answer = await SendAsync(request, cancel).ConfigureAwait(false);
                if (answer.Status < 400)
                {
                    return answer;
                }

                string type = answer.Json?.GetString("type");
                type = type != null && type.StartsWith(ErrorPrefix, StringComparison.Ordinal) ? type.Substring(ErrorPrefix.Length) : type;
                if (type == "badNonce" && attempt < MaxBadNonceRetries)
                {
                    BadNonceRetries++;
                    continue; // §6.5: retry with the nonce that came with the error
                }

                throw new AcmeException("the CA refused (HTTP " + answer.Status + ")" + Problem(answer.Json), type);
            }
        }

        private async Task<Answer> SendAsync(HttpRequestMessage request, CancellationToken cancel)
        {
            request.Headers.UserAgent.ParseAdd("Pigeon-ACME/1");
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new AcmeException("cannot reach the ACME server " + request.RequestUri.Host + ": " + e.Message, "connection");
            }
            catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
            {
                throw new AcmeException("the ACME server " + request.RequestUri.Host + " did not answer in time", "connection");
            }

            using (response)
            {
                if (response.Headers.TryGetValues("Replay-Nonce", out var nonces))
                {
                    _nonce = nonces.FirstOrDefault();
                }

                byte[] body = await ReadAsync(response, cancel).ConfigureAwait(false);
                JsonNode json = null;
                if (body.Length > 0 && (body[0] == (byte)'{' || body[0] == (byte)'['))
                {
                    json = JsonReader.Parse(body, 0, body.Length, 16, out _);
                }

                TimeSpan? retryAfter = response.Headers.RetryAfter?.Delta;
                if (retryAfter == null && response.Headers.RetryAfter?.Date is DateTimeOffset at)
                {
                    retryAfter = at - DateTimeOffset.UtcNow;
                }

                return new Answer((int)response.StatusCode, response.Headers.Location?.ToString(), json, body, retryAfter);
            }
        }

        private static async Task<byte[]> ReadAsync(HttpResponseMessage response, CancellationToken cancel)
        {
            using System.IO.Stream stream = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
            using System.IO.MemoryStream copy = new System.IO.MemoryStream();
            byte[] buffer = new byte[16384];
            int n;
            while ((n = await stream.ReadAsync(buffer, cancel).ConfigureAwait(false)) > 0)
            {
                if (copy.Length + n > MaxAnswerBytes)
                {
                    throw new AcmeException("the CA's answer is larger than 1 MB", null);
                }

                copy.Write(buffer, 0, n);
            }

            return copy.ToArray();
        }

        // ": detail (type)" from a problem document, or nothing.
        private static string Problem(JsonNode problem)
        {
            string detail = problem?.GetString("detail");
            string type = problem?.GetString("type");
            if (detail == null && type == null)
            {
                return string.Empty;
            }

            type = type != null && type.StartsWith(ErrorPrefix, StringComparison.Ordinal) ? type.Substring(ErrorPrefix.Length) : type;
            return ": " + (detail ?? "no detail") + (type == null ? string.Empty : " (" + type + ")");
        }

        private sealed class Answer
        {
            public Answer(int status, string location, JsonNode json, byte[] body, TimeSpan? retryAfter)
            {
                Status = status;
                Location = location;
                Json = json ?? JsonNode.NewObject();
                Body = body;
                RetryAfter = retryAfter;
            }

            public int Status { get; }

            public string Location { get; }

            public JsonNode Json { get; }

            public byte[] Body { get; }

            public TimeSpan? RetryAfter { get; }
        }
    }
}
