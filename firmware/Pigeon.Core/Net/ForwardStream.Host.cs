using System;
using System.IO;

namespace Pigeon.Net
{
    /// <summary>
    /// The part every byte-pipe stream under SslStream shares: readable, writable, never seekable,
    /// nothing to flush (each write is already on the socket). In Pigeon.Core's host part so the
    /// tests' TLS clients share it (<see cref="TlsCloseGate.Under"/>).
    /// </summary>
    public abstract class ForwardStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
