using Pigeon.Net;

namespace Pigeon.Config
{
    /// <summary>
    /// The host's part of <see cref="ConfigValidator"/> (files named *.Host.cs are compiled into
    /// Pigeon.Core on the host only): the rules of what only a server has, the decoy page, the
    /// certificate files, relay.httpPort and ACME (docs/server.md, "The certificate"). A board
    /// refuses relay.httpPort and ACME whole and uses none of the others.
    /// </summary>
    public static partial class ConfigValidator
    {
        /// <summary>
        /// Longest relay.decoyPage (characters): a plain page, not a site, and one the stored
        /// config (ConfigDefaults.MaxDocumentBytes, with its routes) still has room for.
        /// </summary>
        public const int MaxDecoyPageLength = 4096;

        static partial void ValidateServer(RelayConfig relay, PigeonConfig config, ValidationReport report)
        {
            if (relay.DecoyPage != null && relay.DecoyPage.Length > MaxDecoyPageLength)
            {
                report.AddError("relay.decoyPage", "is " + relay.DecoyPage.Length.ToString() + " characters; at most " + MaxDecoyPageLength.ToString());
            }

            bool certificate = !Empty(relay.TlsCertificateFile);
            if (certificate != !Empty(relay.TlsKeyFile))
            {
                report.AddError(certificate ? "relay.tlsKeyFile" : "relay.tlsCertificateFile", "must be set together with " + (certificate ? "relay.tlsCertificateFile" : "relay.tlsKeyFile") + " (both PEM files, or neither: then Pigeon makes its own)");
            }

            int other = relay.Routes == null ? -1 : RouteOnPort(relay.Routes, relay.Routes.Length, relay.HttpPort);
            if (relay.HttpPort != 0 && Port(relay.HttpPort, "relay.httpPort", report))
            {
                if (config.Portal != null && config.Portal.Port == relay.HttpPort)
                {
                    report.AddError("relay.httpPort", "port " + relay.HttpPort.ToString() + " is the portal's; the web site needs a port of its own");
                }
                else if (other >= 0)
                {
                    report.AddError("relay.httpPort", PortUsedBy(relay.Routes, other));
                }
            }

            string challenge = relay.AcmeChallenge;
            if (challenge != null && challenge.Length > 0 && challenge != "http-01" && challenge != "tls-alpn-01")
            {
                report.AddError("relay.acmeChallenge", "must be \"http-01\", \"tls-alpn-01\" or empty (whichever the relay can answer)");
            }

            string url = relay.AcmeDirectoryUrl;
            if (!Empty(url) && Text(url, "relay.acmeDirectoryUrl", MaxTextLength, report) && !url.StartsWith("https://"))
            {
                report.AddError("relay.acmeDirectoryUrl", "must be an https:// address (empty = Let's Encrypt)");
            }

            string email = relay.AcmeEmail;
            if (!Empty(email) && Text(email, "relay.acmeEmail", MaxTextLength, report) && (email.IndexOf('@') < 1 || email.IndexOf(' ') >= 0))
            {
                report.AddError("relay.acmeEmail", "must be an e-mail address (or empty)");
            }

            if (!relay.Acme)
            {
                return;
            }

            if (!Empty(relay.TlsCertificateFile))
            {
                report.AddError("relay.acme", "and relay.tlsCertificateFile both give the certificate; choose one (clear the files, or set acme to false)");
            }

            string host = config.Network == null ? null : config.Network.PublicHost;
            uint ignored;
            if (Empty(host) || IPv4.TryParse(host, out ignored))
            {
                report.AddError("relay.acme", "needs network.publicHost: the relay's public DNS name (the one dynamic DNS keeps up to date), which the certificate is for");
            }

            bool terminates = false;
            for (int i = 0; relay.Routes != null && i < relay.Routes.Length; i++)
            {
                terminates = terminates || (relay.Routes[i] != null && relay.Routes[i].TerminateTls);
            }

            if (!terminates)
            {
                report.AddWarning("relay.acme", "no route terminates TLS (terminateTls), so the certificate would be presented nowhere");
            }

            if (challenge == "http-01" && relay.HttpPort == 0)
            {
                report.AddError("relay.acmeChallenge", "http-01 is answered on relay.httpPort, which is 0; set it to 80 (the port the CA connects to)");
            }
            else if (challenge == "tls-alpn-01" && !terminates)
            {
                report.AddError("relay.acmeChallenge", "tls-alpn-01 is answered on a route that terminates TLS (port 443), and there is none");
            }
            else if (Empty(challenge) && relay.HttpPort == 0 && !terminates)
            {
                report.AddError("relay.acme", "has no way to answer the CA: set relay.httpPort to 80, or terminate TLS on a route on 443");
            }
        }
    }
}
