using System;

namespace Pigeon.Host.Acme
{
    /// <summary>
    /// An ACME request that did not succeed: the CA's problem document (RFC 8555 §6.7, RFC 7807)
    /// or what went wrong on the way, in words for the log and the status page.
    /// </summary>
    public sealed class AcmeException : Exception
    {
        /// <summary>The problem with its type (without "urn:ietf:params:acme:error:") and the CA's detail.</summary>
        public AcmeException(string message, string problemType)
            : base(message)
        {
            ProblemType = problemType;
        }

        /// <summary>"badNonce", "rateLimited", "unauthorized", ...; null when the CA did not say.</summary>
        public string ProblemType { get; }
    }
}
