using System;
using System.IO;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Pigeon.Host.Tls;
using Pigeon.Net;
using Pigeon.Relay;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// One side of an event-pump session (the client or the upstream): its socket, the reads and
    /// writes on it, and on a terminateTls client the TLS over it. The session decides nothing here;
    /// it asks a side to read, write, connect or close. Two kinds: <see cref="EpollSide"/> (Linux:
    /// a descriptor on one of the relay's epoll loops) and <see cref="SocketSide"/> (elsewhere: a
    /// .NET socket). A side belongs to its session object and serves its clients in turn.
    /// </summary>
    /// <remarks>
    /// Reads answer the byte count, 0 at the peer's FIN, or <see cref="Failed"/>; an empty buffer
    /// waits until there is something to read, holding no buffer. Sends answer the bytes taken
    /// (perhaps fewer than given) or <see cref="Failed"/>. Over TLS a send takes everything or fails.
    /// </remarks>
    internal abstract class EventSide
    {
        /// <summary>What an operation answers when it failed (reset, closed, refused, aborted).</summary>
        public const int Failed = -1;

        /// <summary>The most plaintext one TLS record carries (RFC 8446 §5.1).</summary>
        public const int TlsRecordPlaintext = 16384;

        /// <summary>A handshake step: it failed (see <see cref="TlsRefusal"/>).</summary>
        public const int TlsFailed = 0;

        /// <summary>A handshake step: done, what follows is read and written through the TLS.</summary>
        public const int TlsDone = 1;

        /// <summary>A handshake step: it waits until the socket is readable (<see cref="WaitAsync"/>), then <see cref="ContinueTls"/>.</summary>
        public const int TlsWantsRead = 2;

        /// <summary>A handshake step: it waits until the socket is writable, then <see cref="ContinueTls"/>.</summary>
        public const int TlsWantsWrite = 3;

        /// <summary>A handshake step: this side runs it through SslStream (<see cref="StartTlsAsync"/>).</summary>
        public const int TlsNeedsStream = 4;

        private SslStream _tls;
        private TlsCloseGate _gate; // with _tls where reads and shutdowns may run on two threads at once

        /// <summary>The loop this side's operations complete on (the Linux pump), or null (they complete on the runtime's threads).</summary>
        public abstract EpollLoop Loop { get; }

        /// <summary>True once a TLS handshake on this side succeeded (reads and writes go through the TLS).</summary>
        public virtual bool IsTls
        {
            get { return _tls != null; }
        }

        /// <summary>After a failed handshake: why, as the relay counts it.</summary>
        public RefusalReason TlsRefusal { get; protected set; }

        /// <summary>The local address of the client's connection (for a PROXY header); none when unknown.</summary>
        public abstract NetAddress LocalAddress(out int port);

        /// <summary>Connects this side to <paramref name="address"/>:<paramref name="port"/>: 1 connected, 0 not, -1 when no socket could be made (out of descriptors).</summary>
        public abstract ValueTask<int> ConnectAsync(NetAddress address, int port);

        /// <summary>
        /// Closes the socket now (any thread): an operation waiting on it fails at once. With
        /// <paramref name="fin"/> the peer gets a FIN first, as from a server closing on a timeout
        /// (not the reset a socket closed in the middle of an operation may send).
        /// </summary>
        public abstract void Abort(bool fin);

        /// <summary>Lets go of the client (its socket, its TLS) once nothing is waiting on it: the session ended.</summary>
        public virtual void Release()
        {
            SslStream tls = _tls;
            _tls = null;
            _gate = null;
            if (tls != null)
            {
                tls.Dispose();
            }
        }

        /// <summary>Reads (see the remarks).</summary>
        public ValueTask<int> ReceiveAsync(Memory<byte> buffer)
        {
            SslStream tls = _tls;
            return tls != null ? ReadTlsAsync(tls, _gate, buffer) : SocketReceiveAsync(buffer);
        }

        /// <summary>Sends (see the remarks).</summary>
        public ValueTask<int> SendAsync(ReadOnlyMemory<byte> data)
        {
            SslStream tls = _tls;
            return tls != null ? WriteTlsAsync(tls, data) : SocketSendAsync(data);
        }

        /// <summary>Finishes sending: the TLS close_notify where there is TLS, then the FIN.</summary>
        public virtual ValueTask ShutdownAsync()
        {
            SslStream tls = _tls;
            if (tls != null)
            {
                return ShutdownTlsAsync(tls, _gate);
            }

            SocketShutdown();
            return default;
        }

        /// <summary>
        /// What one read gives when more is waiting: the whole buffer from a socket, one record's
        /// plaintext (RFC 8446 §5.1: at most 16 KB) from the TLS. Less means the source is drained
        /// for now, and the pump lends the buffer back until the next wait wakes.
        /// </summary>
        public virtual int FullRead(int bufferLength)
        {
            return IsTls && bufferLength > TlsRecordPlaintext ? TlsRecordPlaintext : bufferLength;
        }

        /// <summary>
        /// Begins the TLS server handshake of a terminateTls route where this side runs TLS itself
        /// (the Linux pump, with OpenSSL): the certificate <paramref name="certificates"/> picks for
        /// this hello, its first bytes <paramref name="first"/>[<paramref name="offset"/>,
        /// +<paramref name="count"/>] (read by admission). Answers a handshake step
        /// (<see cref="TlsDone"/> and the others); <see cref="TlsNeedsStream"/> here.
        /// </summary>
        public virtual int BeginTls(CertificateStore certificates, byte[] first, int offset, int count)
        {
            return TlsNeedsStream;
        }

        /// <summary>Goes on with the handshake <see cref="BeginTls"/> began, after the wait it asked for.</summary>
        public virtual int ContinueTls()
        {
            return TlsFailed;
        }

        /// <summary>Waits until the socket is readable (or writable); 0, or <see cref="Failed"/> when it closed meanwhile.</summary>
        public virtual ValueTask<int> WaitAsync(bool writable)
        {
            return new ValueTask<int>(Failed);
        }

        /// <summary>
        /// The TLS server handshake of a terminateTls route with the certificate
        /// <paramref name="certificates"/> picks for this hello; its first bytes are
        /// <paramref name="first"/>[<paramref name="offset"/>, +<paramref name="count"/>] (read by
        /// admission). False on failure, with <see cref="TlsRefusal"/>.
        /// </summary>
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public virtual async ValueTask<bool> StartTlsAsync(CertificateStore certificates, byte[] first, int offset, int count)
        {
            TlsRefusal = RefusalReason.TlsFailed;

            // On a loop every call of the session runs on the loop's one thread, so a read and a
            // shutdown cannot overlap; on the runtime's threads they can (TlsCloseGate).
            TlsCloseGate gate = Loop == null ? new TlsCloseGate() : null;
            Stream socket = OpenStream();
            TlsHandshake handshake = new TlsHandshake(gate == null ? socket : gate.Under(socket), first, offset, count);
            if (await handshake.RunAsync(certificates).ConfigureAwait(false))
            {
                _tls = handshake.Stream;
                _gate = gate;
                return true;
            }

            TlsRefusal = handshake.Refusal;
            return false;
        }

        /// <summary>Reads the socket (see the remarks).</summary>
        protected abstract ValueTask<int> SocketReceiveAsync(Memory<byte> buffer);

        /// <summary>Sends on the socket (see the remarks).</summary>
        protected abstract ValueTask<int> SocketSendAsync(ReadOnlyMemory<byte> data);

        /// <summary>Sends the FIN (shutdown for sending); nothing when the socket is gone.</summary>
        protected abstract void SocketShutdown();

        /// <summary>A stream over the socket, for SslStream (per TLS session).</summary>
        protected abstract Stream OpenStream();

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private static async ValueTask<int> ReadTlsAsync(SslStream tls, TlsCloseGate gate, Memory<byte> buffer)
        {
            try
            {
                return gate == null ? await tls.ReadAsync(buffer).ConfigureAwait(false) : await gate.ReadAsync(tls, buffer).ConfigureAwait(false);
            }
            catch (Exception)
            {
                return Failed; // a TLS stream that failed (the socket side answers -1 instead)
            }
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private static async ValueTask<int> WriteTlsAsync(SslStream tls, ReadOnlyMemory<byte> data)
        {
            try
            {
                await tls.WriteAsync(data).ConfigureAwait(false);
                return data.Length;
            }
            catch (Exception)
            {
                return Failed;
            }
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        private async ValueTask ShutdownTlsAsync(SslStream tls, TlsCloseGate gate)
        {
            try
            {
                if (gate == null)
                {
                    await tls.ShutdownAsync().ConfigureAwait(false); // close_notify, then the FIN
                }
                else
                {
                    await gate.ShutdownAsync(tls).ConfigureAwait(false);
                }
            }
            catch (Exception)
            {
                // gone already
            }

            SocketShutdown();
        }
    }
}
