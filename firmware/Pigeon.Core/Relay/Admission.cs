using Pigeon.Routing;
using Pigeon.Tls;

namespace Pigeon.Relay
{
    /// <summary>
    /// What a client's first bytes mean, route by route: every admission decision of the relay,
    /// as pure functions over the bytes read so far, shared by both pumps and tested without
    /// sockets. Each returns a <see cref="Verdict"/>, and the <see cref="RefusalReason"/> of a refusal beside it.
    /// <code>
    ///   acceptProxy route      PROXY v1/v2 header first   (<see cref="ProxyHeaderReader"/>)
    ///   SNI route (media)      ClientHello, SNI in the allow-list            <see cref="Sni"/>
    ///   terminateTls route     a TLS handshake record    -> StartTls          <see cref="TlsRecord"/>
    ///                          then inside the TLS: a ClientHello for a Signal host -> Go (passed through)
    ///                          HTTP or what no chat client sends -> Decoy (the web site), else chat  <see cref="Inner"/>
    ///   plain route (chat)     anything but a TLS hello (unless allowTls)     <see cref="Plain"/>
    /// </code>
    /// A newcomer adding a protocol adds a function here and a stage in <see cref="RelaySession.Admit"/>
    /// (docs/architecture.md, "How to add a protocol").
    /// </summary>
    public static class Admission
    {
        private const byte HandshakeRecord = 0x16;

        /// <summary>A plain (chat) route's first bytes.</summary>
        public static Verdict Plain(Route route, byte[] buffer, int offset, int count, out RefusalReason reason)
        {
            reason = RefusalReason.TlsOnChatPort;
            if (count < 1)
            {
                return Verdict.NeedMore;
            }

            if (!route.AllowTls)
            {
                int tls = TlsStart(buffer, offset, count);
                if (tls == TlsUndecided)
                {
                    return Verdict.NeedMore;
                }

                if (tls == TlsYes)
                {
                    return Verdict.Refuse; // the app has "use TLS" on
                }
            }

            return route.ChatOpeningCheck ? ChatOpening.Check(buffer, offset, count, out reason) : Verdict.Go;
        }

        /// <summary>A terminateTls route's first bytes: a TLS handshake record starts the handshake.</summary>
        public static Verdict TlsRecord(byte[] buffer, int offset, int count, out RefusalReason reason)
        {
            reason = RefusalReason.NotTls;
            int tls = TlsStart(buffer, offset, count);
            if (tls == TlsYes)
            {
                return Verdict.StartTls;
            }

            return tls == TlsUndecided ? Verdict.NeedMore : Verdict.Refuse;
        }

        /// <summary>The first bytes inside the TLS of a terminateTls route.</summary>
        public static Verdict Inner(Route route, byte[] buffer, int offset, int count, out RefusalReason reason)
        {
            reason = RefusalReason.NotChatClient;
            int http = HttpProbe.Classify(buffer, offset, count);
            if (http == HttpProbe.Http)
            {
                return Verdict.Decoy;
            }

            if (http == HttpProbe.NeedMore)
            {
                return Verdict.NeedMore;
            }

            if (!route.ChatOpeningCheck)
            {
                return Verdict.Go;
            }

            // What no chat client sends gets the web site's answer, as it would from a web server.
            Verdict chat = ChatOpening.Check(buffer, offset, count, out reason);
            return chat == Verdict.Refuse ? Verdict.Decoy : chat;
        }

        /// <summary>An SNI route's ClientHello so far, read by <paramref name="reader"/>.</summary>
        public static Verdict Sni(Route route, ClientHelloReader reader, byte[] buffer, int offset, int count, out RefusalReason reason)
        {
            return Sni(route.AllowList, reader, buffer, offset, count, out reason);
        }

        /// <summary>A ClientHello so far, its SNI checked against <paramref name="allowList"/> (a media route's, or a TLS route's Signal hosts).</summary>
        public static Verdict Sni(HostAllowList allowList, ClientHelloReader reader, byte[] buffer, int offset, int count, out RefusalReason reason)
        {
            reason = RefusalReason.SniNotAllowed;
            HelloResult result = reader.Read(buffer, offset, count);
            if (result == HelloResult.NeedMore)
            {
                return Verdict.NeedMore;
            }

            if (result == HelloResult.NotTls)
            {
                reason = RefusalReason.NotTls;
                return Verdict.Refuse;
            }

            if (result == HelloResult.Malformed)
            {
                reason = RefusalReason.Malformed;
                return Verdict.Refuse;
            }

            if (result == HelloResult.NoServerName)
            {
                return Verdict.Refuse;
            }

            // An address where a name belongs is refused whatever the patterns say: the relay
            // must never be steered to an address by the client (RFC 6066 §3 forbids them in SNI).
            if (HostName.IsAddressLike(reader.HostBuffer, reader.HostOffset, reader.HostLength))
            {
                return Verdict.Refuse;
            }

            return allowList.Allows(reader.HostBuffer, reader.HostOffset, reader.HostLength) ? Verdict.Go : Verdict.Refuse;
        }

        private const int TlsNo = 0;
        private const int TlsYes = 1;
        private const int TlsUndecided = 2;

        // 0x16 0x03 0x00-0x04 opens a TLS handshake record (SSL 3.0 to TLS 1.3 record versions).
        private static int TlsStart(byte[] buffer, int offset, int count)
        {
            if (count < 1)
            {
                return TlsUndecided;
            }

            if (buffer[offset] != HandshakeRecord)
            {
                return TlsNo;
            }

            if (count < 2)
            {
                return TlsUndecided;
            }

            if (buffer[offset + 1] != 0x03)
            {
                return TlsNo;
            }

            if (count < 3)
            {
                return TlsUndecided;
            }

            return buffer[offset + 2] <= 0x04 ? TlsYes : TlsNo;
        }
    }
}
