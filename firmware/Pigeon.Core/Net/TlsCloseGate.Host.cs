using System;
using System.IO;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Pigeon.Net
{
    /// <summary>
    /// Keeps an SslStream's close_notify (<see cref="SslStream.ShutdownAsync"/>) from running while
    /// another thread decrypts on the same stream. SslStream lets one read and one write run at
    /// once, but on Linux its shutdown calls OpenSSL's SSL_shutdown on the session that the reader's
    /// SSL_read is using, and OpenSSL allows no such overlap: the abuse suite saw "shutdown while in
    /// init" refusals, streams cut short, and once glibc's "double free or corruption" abort
    /// (docs/reliability.md, "What it found": a TLS client's close_notify raced its own reads). A
    /// full-duplex TLS relay meets it every time one side finishes while the other still reads.
    /// </summary>
    /// <remarks>
    /// The one reader holds the gate for the whole of each read except while it waits on the
    /// socket: the stream under the SslStream (<see cref="Under"/>) gives the gate up around its
    /// blocking or awaited socket read and takes it back before the bytes reach OpenSSL. A
    /// shutdown waits for the gate, so it runs while the reader waits for bytes, never while it
    /// decrypts; a read that finds bytes waits for the shutdown's write to finish. Writes do not
    /// take the gate (SslStream orders them itself, and a pump shuts down a side from the thread
    /// that writes to it). Before the first gated read (the handshake) the socket stream finds the
    /// gate not held and passes straight through. One gate and one stream per TLS session; a read
    /// allocates nothing unless it meets a shutdown.
    /// </remarks>
    public sealed class TlsCloseGate
    {
        private readonly SemaphoreSlim _turn = new SemaphoreSlim(1, 1);
        private bool _readerHolds; // written by the one reader's flow only, under the semaphore's fences

        /// <summary>Reads <paramref name="tls"/> (blocking) with the gate held but for the socket wait.</summary>
        public int Read(SslStream tls, byte[] buffer, int offset, int count)
        {
            _turn.Wait();
            _readerHolds = true;
            try
            {
                return tls.Read(buffer, offset, count);
            }
            finally
            {
                _readerHolds = false;
                _turn.Release();
            }
        }

        /// <summary>As <see cref="Read"/>, awaited.</summary>
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public async ValueTask<int> ReadAsync(SslStream tls, Memory<byte> buffer)
        {
            await _turn.WaitAsync().ConfigureAwait(false);
            _readerHolds = true;
            try
            {
                return await tls.ReadAsync(buffer).ConfigureAwait(false);
            }
            finally
            {
                _readerHolds = false;
                _turn.Release();
            }
        }

        /// <summary>Sends close_notify on <paramref name="tls"/> (blocking) once no read is decrypting.</summary>
        public void Shutdown(SslStream tls)
        {
            _turn.Wait();
            try
            {
                tls.ShutdownAsync().GetAwaiter().GetResult();
            }
            finally
            {
                _turn.Release();
            }
        }

        /// <summary>As <see cref="Shutdown"/>, awaited.</summary>
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ShutdownAsync(SslStream tls)
        {
            await _turn.WaitAsync().ConfigureAwait(false);
            try
            {
                await tls.ShutdownAsync().ConfigureAwait(false);
            }
            finally
            {
                _turn.Release();
            }
        }

        /// <summary>
        /// The stream to give the SslStream instead of <paramref name="socket"/>: the same bytes, with
        /// the gate given up while a gated read waits on the socket. Disposing it disposes <paramref name="socket"/>.
        /// </summary>
        public Stream Under(Stream socket)
        {
            return new SocketWaitStream(socket, this);
        }

        // Before the stream under the SslStream waits on the socket: gives the gate up if the reader holds it.
        private bool LeaveForSocket()
        {
            if (!_readerHolds)
            {
                return false; // the handshake: no gated read yet
            }

            _readerHolds = false;
            _turn.Release();
            return true;
        }

        // After the socket wait: takes the gate back if LeaveForSocket gave it up.
        private void BackFromSocket(bool left)
        {
            if (left)
            {
                _turn.Wait();
                _readerHolds = true;
            }
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        private async ValueTask BackFromSocketAsync(bool left)
        {
            if (left)
            {
                await _turn.WaitAsync().ConfigureAwait(false);
                _readerHolds = true;
            }
        }

        // A socket's stream under an SslStream: reads and writes pass through, and reads leave the
        // gate for the time they wait.
        private sealed class SocketWaitStream : ForwardStream
        {
            private readonly Stream _socket;
            private readonly TlsCloseGate _gate;

            public SocketWaitStream(Stream socket, TlsCloseGate gate)
            {
                _socket = socket;
                _gate = gate;
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                return Read(buffer.AsSpan(offset, count));
            }

            public override int Read(Span<byte> buffer)
            {
                bool left = _gate.LeaveForSocket();
                try
                {
                    return _socket.Read(buffer);
                }
                finally
                {
                    _gate.BackFromSocket(left);
                }
            }

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
            }

            [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            {
                bool left = _gate.LeaveForSocket();
                try
                {
                    return await _socket.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await _gate.BackFromSocketAsync(left).ConfigureAwait(false);
                }
            }

            public override void Write(byte[] buffer, int offset, int count)
            {
                _socket.Write(buffer, offset, count);
            }

            public override void Write(ReadOnlySpan<byte> buffer)
            {
                _socket.Write(buffer);
            }

            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                return _socket.WriteAsync(buffer, offset, count, cancellationToken);
            }

            public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            {
                return _socket.WriteAsync(buffer, cancellationToken);
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    _socket.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }
}
