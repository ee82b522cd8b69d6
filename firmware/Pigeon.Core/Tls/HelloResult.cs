namespace Pigeon.Tls
{
    /// <summary>What <see cref="ClientHelloReader.Read"/> concluded from the bytes received so far.</summary>
    public enum HelloResult
    {
        /// <summary>The bytes so far are a valid prefix of a ClientHello; wait for more.</summary>
        NeedMore = 0,

        /// <summary>A complete, well-formed ClientHello with exactly one host name.</summary>
        Found = 1,

        /// <summary>A complete, well-formed ClientHello without a server_name extension.</summary>
        NoServerName = 2,

        /// <summary>The first bytes are not a TLS handshake record at all.</summary>
        NotTls = 3,

        /// <summary>A TLS record that breaks the rules, or a hello larger than the cap.</summary>
        Malformed = 4,
    }
}
