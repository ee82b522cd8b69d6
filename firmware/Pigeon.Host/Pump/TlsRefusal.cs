using System;
using System.Net.Sockets;
using Pigeon.Relay;

namespace Pigeon.Host.Pump
{
    /// <summary>Why a TLS server handshake failed, as a refusal reason (both host pumps use it).</summary>
    internal static class TlsRefusal
    {
        /// <summary>
        /// A client that closed or reset mid-handshake is <see cref="RefusalReason.ClosedEarly"/>;
        /// anything the TLS layer refused (garbage after the record header, no common version or
        /// cipher, a bad message) is <see cref="RefusalReason.TlsFailed"/>. A handshake cut by the
        /// hello timeout is told apart by the caller, which knows the reaper closed it.
        /// </summary>
        /// <param name="e">what the handshake threw</param>
        /// <param name="peerGone">the transport under the TLS saw the peer close or reset</param>
        public static int Classify(Exception e, bool peerGone)
        {
            if (peerGone)
            {
                return (int)RefusalReason.ClosedEarly;
            }

            for (Exception inner = e; inner != null; inner = inner.InnerException)
            {
                if (inner is SocketException || inner is ObjectDisposedException)
                {
                    return (int)RefusalReason.ClosedEarly;
                }
            }

            // SslStream throws AuthenticationException or IOException ("unexpected packet
            // format") for what it refuses; the transport was fine, so the client's TLS was not.
            return (int)RefusalReason.TlsFailed;
        }
    }
}
