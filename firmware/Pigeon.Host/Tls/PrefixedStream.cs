using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Pigeon.Net;

namespace Pigeon.Host.Tls
{
    /// <summary>
    /// A read/write stream that first reads back bytes already taken from the socket (the
    /// ClientHello admission looked at), then the socket itself: what SslStream needs to run the
    /// handshake the relay has already started reading. Writes go straight to the socket.
    /// </summary>
    internal sealed class PrefixedStream : ForwardStream
    {
        private readonly byte[] _prefix;
        private readonly Stream _inner;
        private int _position;

        public PrefixedStream(byte[] prefix, Stream inner)
        {
            _prefix = prefix;
            _inner = inner;
        }

        /// <summary>True once the socket side ended (0 bytes: the peer closed) or failed (reset).</summary>
        public bool PeerGone { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            return Read(buffer.AsSpan(offset, count));
        }

        public override int Read(Span<byte> buffer)
        {
            if (_position < _prefix.Length)
            {
                return TakePrefix(buffer);
            }

            try
            {
                int count = _inner.Read(buffer);
                PeerGone |= count == 0 && buffer.Length > 0;
                return count;
            }
            catch (IOException)
            {
                PeerGone = true;
                throw;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < _prefix.Length)
            {
                return new ValueTask<int>(buffer.Length == 0 ? 0 : TakePrefix(buffer.Span));
            }

            return Watch(_inner.ReadAsync(buffer, cancellationToken), buffer.Length);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            _inner.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _inner.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            return _inner.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            return _inner.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush()
        {
            _inner.Flush();
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            return _inner.FlushAsync(cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private async ValueTask<int> Watch(ValueTask<int> read, int asked)
        {
            try
            {
                int count = await read.ConfigureAwait(false);
                PeerGone |= count == 0 && asked > 0;
                return count;
            }
            catch (IOException)
            {
                PeerGone = true;
                throw;
            }
        }

        private int TakePrefix(Span<byte> buffer)
        {
            int count = Math.Min(buffer.Length, _prefix.Length - _position);
            _prefix.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }
    }
}
