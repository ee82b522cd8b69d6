using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Pigeon.Net;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// The client's socket on the Linux pump as a stream, for SslStream: reads and writes are the
    /// side's own (completing on its loop). Disposing it leaves the socket to the side.
    /// </summary>
    internal sealed class EpollStream : ForwardStream
    {
        private readonly EpollSide _side;

        public EpollStream(EpollSide side)
        {
            _side = side;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            throw new NotSupportedException("the event pump never blocks");
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            throw new NotSupportedException("the event pump never blocks");
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int count = await _side.ReceiveRawAsync(buffer).ConfigureAwait(false);
            if (count < 0)
            {
                throw new IOException("the connection was reset or closed");
            }

            return count;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (!buffer.IsEmpty)
            {
                int sent = await _side.SendRawAsync(buffer).ConfigureAwait(false);
                if (sent <= 0)
                {
                    throw new IOException("the connection was reset or closed");
                }

                buffer = buffer.Slice(sent);
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            return Task.CompletedTask;
        }
    }
}
