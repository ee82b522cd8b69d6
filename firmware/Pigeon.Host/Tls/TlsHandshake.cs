using System;
using System.IO;
using System.Net.Security;
using System.Threading.Tasks;
using Pigeon.Relay;

namespace Pigeon.Host.Tls
{
    /// <summary>
    /// The host's one TLS server handshake, for both pumps: SslStream over a stream of the
    /// client's socket, fed first the bytes admission already read (the ClientHello), and a
    /// failure told apart as the client's doing (gone, reset: ClosedEarly) or its TLS's
    /// (TlsFailed). The event pump awaits <see cref="RunAsync"/>; the blocking pump (--pump
    /// threads, <see cref="TlsServer"/>) calls <see cref="Run"/>.
    /// </summary>
    internal sealed class TlsHandshake
    {
        private readonly PrefixedStream _transport;
        private readonly byte[] _prefix;

        /// <summary>A handshake over <paramref name="raw"/> whose first bytes were read already (they are copied).</summary>
        public TlsHandshake(Stream raw, byte[] first, int offset, int count)
        {
            _prefix = new byte[count]; // the ClientHello so far; per TLS session, not per byte
            Buffer.BlockCopy(first, offset, _prefix, 0, count);
            _transport = new PrefixedStream(_prefix, raw);
            Stream = new SslStream(_transport, false);
        }

        /// <summary>The TLS stream: the caller disposes it when the session ends; a failed handshake disposes it here.</summary>
        public SslStream Stream { get; }

        /// <summary>After a failure: why, as the relay counts it.</summary>
        public RefusalReason Refusal { get; private set; }

        /// <summary>Runs the handshake, awaiting, with the certificate <paramref name="certificates"/> picks for this hello; false on failure (see <see cref="Refusal"/>).</summary>
        public async ValueTask<bool> RunAsync(CertificateStore certificates)
        {
            try
            {
                await Stream.AuthenticateAsServerAsync(certificates.Select, _prefix, default).ConfigureAwait(false);
                return true;
            }
            catch (Exception e)
            {
                Fail(e);
                return false;
            }
        }

        /// <summary>Runs the handshake, blocking (the threaded pump); false on failure (see <see cref="Refusal"/>).</summary>
        public bool Run(CertificateStore certificates)
        {
            try
            {
                Stream.AuthenticateAsServer(certificates.Choose(_prefix, 0, _prefix.Length, null));
                return true;
            }
            catch (Exception e)
            {
                Fail(e);
                return false;
            }
        }

        private void Fail(Exception e)
        {
            Stream.Dispose();
            Refusal = RefusalReason.TlsFailed;
            if (_transport.PeerGone)
            {
                Refusal = RefusalReason.ClosedEarly;
                return;
            }

            for (Exception inner = e; inner != null; inner = inner.InnerException)
            {
                if (inner is System.Net.Sockets.SocketException || inner is ObjectDisposedException)
                {
                    Refusal = RefusalReason.ClosedEarly;
                    return;
                }
            }

            // SslStream throws AuthenticationException or IOException ("unexpected packet
            // format") for what it refuses; the transport was fine, so the client's TLS was not.
        }
    }
}
