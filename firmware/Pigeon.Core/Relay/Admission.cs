using Pigeon.Routing;
using Pigeon.Tls;

namespace Pigeon.Relay
{
    /// <summary>
    /// What a client's first bytes mean, route by route: every admission decision of the relay,
    /// as pure functions over the bytes read so far, shared by both pumps and tested without
    /// sockets. Each returns a <see cref="Verdict"/> (or a <see cref="RefusalReason"/>).
    /// <code>
    ///   acceptProxy route      PROXY v1/v2 header first   (<see cref="ProxyHeaderReader"/>)
    ///   SNI route (media)      ClientHello, SNI in the allow-list            <see cref="Sni"/>
    ///   terminateTls route     a TLS handshake record    -> StartTls          <see cref="TlsRecord"/>
    ///                          then inside the TLS: HTTP -> Decoy, else chat  <see cref="Inner"/>
    ///   plain route (chat)     anything but a TLS hello (unless allowTls)     <see cref="Plain"/>
    /// </code>
    /// A newcomer adding a protocol adds a function here and a stage in <see cref="RelaySession.Admit"/>.
    /// </summary>
    public static class Admission
    {
        private const byte HandshakeRecord = 0x16;

        /// <summary>A plain (chat) route's first bytes.</summary>
        public static int Plain(Route route, byte[] buffer, int offset, int count)
        {
            if (count < 1)
            {
                return Verdict.NeedMore;
            }

            if (!route.AllowTls)
            {
                int tls = TlsStart(buffer, offset, count);
                if (tls == Verdict.NeedMore)
                {
                    return Verdict.NeedMore;
                }

                if (tls == Verdict.Go)
                {
                    return (int)RefusalReason.TlsOnChatPort; // the app has "use TLS" on
                }
            }

            return route.ChatOpeningCheck ? ChatOpening.Check(buffer, offset, count) : Verdict.Go;
        }

        /// <summary>A terminateTls route's first bytes: a TLS handshake record starts the handshake.</summary>
        public static int TlsRecord(byte[] buffer, int offset, int count)
        {
            int tls = TlsStart(buffer, offset, count);
            if (tls == Verdict.Go)
            {
                return Verdict.StartTls;
            }

            return tls == Verdict.NeedMore ? Verdict.NeedMore : (int)RefusalReason.NotTls;
        }

        /// <summary>The first bytes inside the TLS of a terminateTls route.</summary>
        public static int Inner(Route route, byte[] buffer, int offset, int count)
        {
            int http = HttpProbe.Classify(buffer, offset, count);
            if (http == HttpProbe.Http)
            {
                return Verdict.Decoy;
            }

            if (http == HttpProbe.NeedMore)
            {
                return Verdict.NeedMore;
            }

            return route.ChatOpeningCheck ? ChatOpening.Check(buffer, offset, count) : Verdict.Go;
        }

        /// <summary>An SNI route's ClientHello so far, read by <paramref name="reader"/>.</summary>
        public static int Sni(Route route, ClientHelloReader reader, byte[] buffer, int offset, int count)
        {
            HelloResult result = reader.Read(buffer, offset, count);
            if (result == HelloResult.NeedMore)
            {
                return Verdict.NeedMore;
            }

            if (result == HelloResult.NotTls)
            {
                return (int)RefusalReason.NotTls;
            }

            if (result == HelloResult.Malformed)
            {
                return (int)RefusalReason.Malformed;
            }

            if (result == HelloResult.NoServerName)
            {
                return (int)RefusalReason.SniNotAllowed;
            }

            // An address where a name belongs is refused whatever the patterns say: the relay
            // must never be steered to an address by the client (RFC 6066 §3 forbids them in SNI).
            if (HostName.IsAddressLike(reader.HostBuffer, reader.HostOffset, reader.HostLength))
            {
                return (int)RefusalReason.SniNotAllowed;
            }

            return route.AllowList.Allows(reader.HostBuffer, reader.HostOffset, reader.HostLength)
                ? Verdict.Go
                : (int)RefusalReason.SniNotAllowed;
        }

        // 0x16 0x03 0x00-0x04 opens a TLS handshake record (SSL 3.0 to TLS 1.3 record versions):
        // Go when it does, NeedMore while undecided, NotTls when it does not.
        private static int TlsStart(byte[] buffer, int offset, int count)
        {
            if (count < 1)
            {
                return Verdict.NeedMore;
            }

            if (buffer[offset] != HandshakeRecord)
            {
                return (int)RefusalReason.NotTls;
            }

            if (count < 2)
            {
                return Verdict.NeedMore;
            }

            if (buffer[offset + 1] != 0x03)
            {
                return (int)RefusalReason.NotTls;
            }

            if (count < 3)
            {
                return Verdict.NeedMore;
            }

            return buffer[offset + 2] <= 0x04 ? Verdict.Go : (int)RefusalReason.NotTls;
        }
    }
}
