using Pigeon.Net;
using Pigeon.Relay;

namespace Pigeon.Pumps.Threaded
{
    /// <summary>
    /// The host's part of <see cref="ThreadedSession"/> (files named *.Host.cs are left out of the
    /// board's assembly): the TLS handshake of a terminateTls route, over the relay's TLS server.
    /// </summary>
    public sealed partial class ThreadedSession
    {
        partial void Handshake(ref int result, ref RefusalReason refusal)
        {
            ITlsServer tls = _owner.Tls;
            IConnection inner = tls == null ? null : tls.Handshake(_client, StepBuffer, StepOffset, StepCount, out refusal);
            if (inner != null)
            {
                _clientIO = inner;
                result = 1;
            }
        }
    }
}
