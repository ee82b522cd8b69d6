using Pigeon.Routing;

namespace Pigeon.Relay
{
    /// <summary>
    /// The host's part of <see cref="RelaySession"/>'s sequence (files named *.Host.cs are
    /// compiled into Pigeon.Core on the host only): the TLS stage of a terminateTls route and
    /// the web site it shows to what is not a client.
    /// </summary>
    /// <remarks>
    /// <code>
    ///   Admit ─┬─ StartTls ► Handshake ─► ReadClient (inside the TLS) ... Admit the inner bytes ─┬─ a Signal ClientHello ─► Go (its host)
    ///          │                                                                                 ├─ chat ───────────────► Go
    ///          │                                                                                 └─ Decoy, or a refusal ─► the web site
    ///          └─ Decoy ───► the web site: ReadClient (rest of the head) ─► SendClient head, body ─► keep-alive: WaitClient ... | ShutdownClient ─► Done
    /// </code>
    /// </remarks>
    public abstract partial class RelaySession
    {
        private const int AtHandshake = 2;
        private const int AtWebRead = 3;   // a request head for the web site
        private const int AtWebHead = 4;   // its answer's head sent
        private const int AtWebBody = 5;   // its answer's body sent
        private const int AtWebEnd = 6;    // the FIN after the last answer
        private const int AtWebWait = 13;  // a kept-alive connection waits for its next request

        private byte[] _webBody;
        private int _webBodyLength;
        private int _webConsumed;
        private bool _webKeepAlive;

        // A TLS route waits as long as a web server would (a prober times it); the slot defence
        // (Reap) still ends the wait at the hello timeout when places are scarce.
        partial void TlsHelloWait(Route route, ref int waitMs)
        {
            IWebSite site = _relay.Web;
            if (route.TerminateTls && site != null)
            {
                waitMs = site.HeaderTimeoutMs;
            }
        }

        partial void CompletedTls(int result, ref SessionStep next)
        {
            switch (_at)
            {
                case AtHandshake:
                    if (result <= 0)
                    {
                        next = HandshakeFailed(RefusalReason.TlsFailed);
                        return;
                    }

                    _stage = StageInner;
                    _skip = 0;
                    _received = 0; // the bytes inside the TLS start over at the buffer's start
                    next = Read();
                    return;

                case AtWebRead:
                    if (result > 0) // else the prober went away (counted when its first bytes came)
                    {
                        _received += result;
                        next = WebAnswerOrRead();
                    }

                    return;

                case AtWebWait:
                    if (result >= 0)
                    {
                        next = WebAnswerOrRead();
                    }

                    return;

                case AtWebHead:
                    if (result > 0 && _webBodyLength > 0)
                    {
                        _at = AtWebBody;
                        next = Step(SessionStep.SendClient, _webBody, 0, _webBodyLength);
                    }
                    else if (result > 0)
                    {
                        next = WebAnswered();
                    }

                    return;

                case AtWebBody:
                    if (result > 0)
                    {
                        next = WebAnswered();
                    }

                    return;
            }
        }

        partial void DecideTls(Verdict verdict, RefusalReason reason, ref SessionStep next)
        {
            if (verdict == Verdict.StartTls)
            {
                _at = AtHandshake;
                next = Step(SessionStep.Handshake, _admission, _skip, _received - _skip);
            }
            else if (verdict == Verdict.Decoy)
            {
                // An HTTP request is a prober's; anything else that no client sends is answered
                // the same way (a web server's 400) and counted as what it is.
                Refuse(HttpProbe.Classify(_admission, 0, _received) == HttpProbe.Http ? RefusalReason.Probe : RefusalReason.NotChatClient);
                next = WebAnswerOrRead();
            }
            else if (_stage == StageInner && _relay.Web != null)
            {
                // Inside the TLS even a refusal looks like a web server's answer.
                Refuse(reason);
                ReturnReader();
                next = WebAnswerOrRead();
            }
        }

        partial void AdmitInner(byte[] buffer, int offset, int count, ref Verdict verdict, ref RefusalReason reason)
        {
            Route route = _route;
            _signal = route.SignalAllowList != null && Admission.TlsRecord(buffer, offset, count, out reason) != Verdict.Refuse;
            if (_signal)
            {
                // A TLS ClientHello inside the TLS: Signal's app speaking to one of its hosts.
                if (_reader == null)
                {
                    _reader = _relay.RentReader();
                }

                verdict = Admission.Sni(route.SignalAllowList, _reader, buffer, offset, count, out reason);
                return;
            }

            ReturnReader();
            verdict = Admission.Inner(route, buffer, offset, count, out reason);
        }

        // The web site's part (terminateTls routes, for what is not a client): read a request
        // head, answer it, then keep the connection for the next one or finish with a FIN.
        // The answer's head is written at the admission buffer's end, past the request.
        private SessionStep WebAnswerOrRead()
        {
            IWebSite site = _relay.Web;
            if (_admission == null)
            {
                _admission = RentBuffer(1);
            }

            int room = _admission.Length - site.MaxHeadLength;
            if (_received >= room && !Grow())
            {
                _received = room; // a head longer than the buffer is answered as far as it came (400)
            }

            room = _admission.Length - site.MaxHeadLength;
            if (_received > 0 && (_received >= room || site.CanAnswer(_admission, 0, _received)))
            {
                int at = room;
                int head = site.Answer(_admission, 0, _received, _admission, at, out _webBody, out _webBodyLength, out _webConsumed, out _webKeepAlive);
                _at = AtWebHead;
                return Step(SessionStep.SendClient, _admission, at, head);
            }

            _at = AtWebRead;
            return Step(SessionStep.ReadClient, _admission, _received, room - _received);
        }

        private SessionStep WebAnswered()
        {
            _webBody = null;
            if (!_webKeepAlive)
            {
                _at = AtWebEnd;
                return SessionStep.ShutdownClient;
            }

            // Keep what came after the request (a pipelined one) and wait for the next.
            int left = _received - _webConsumed;
            if (left > 0)
            {
                System.Array.Copy(_admission, _webConsumed, _admission, 0, left);
            }

            _received = left;
            lock (_lock)
            {
                _helloStart = _relay.Now;
                _deadline = _helloStart + _relay.Web.KeepAliveMs;
                _timedOut = false;
            }

            if (left > 0)
            {
                return WebAnswerOrRead();
            }

            ReturnAdmission(); // an idle kept-alive connection holds no buffer
            _at = AtWebWait;
            return SessionStep.WaitClient;
        }
    }
}
