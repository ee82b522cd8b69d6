using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Pigeon.Net;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// A session's side on the portable pump (every OS but Linux): a .NET socket driven by the
    /// runtime's event loop (kqueue, IOCP), a reusable <see cref="SocketOperation"/> for reads and
    /// one for writes, so the runtime makes no operation objects of its own.
    /// </summary>
    internal sealed class SocketSide : EventSide
    {
        private readonly SocketOperation _read = new SocketOperation();
        private readonly SocketOperation _write = new SocketOperation();
        private Socket _socket;
        private IPEndPoint _lastEndPoint;

        /// <inheritdoc />
        public override EpollLoop Loop
        {
            get { return null; }
        }

        /// <summary>Takes the accepted client <paramref name="accepted"/>.</summary>
        public void Attach(in Accepted accepted)
        {
            _socket = accepted.Socket;
        }

        /// <inheritdoc />
        public override NetAddress LocalAddress(out int port)
        {
            port = 0;
            try
            {
                IPEndPoint local = _socket?.LocalEndPoint as IPEndPoint;
                if (local == null)
                {
                    return new NetAddress();
                }

                port = local.Port;
                return EventRelay.Pack(local);
            }
            catch (Exception)
            {
                return new NetAddress(); // gone before we looked
            }
        }

        /// <inheritdoc />
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public override async ValueTask<int> ConnectAsync(NetAddress address, int port)
        {
            if (_lastEndPoint == null || !EventRelay.Pack(_lastEndPoint).SameAs(address) || _lastEndPoint.Port != port)
            {
                _lastEndPoint = new IPEndPoint(EventRelay.Unpack(address), port);
            }

            Socket socket;
            try
            {
                socket = new Socket(_lastEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            }
            catch (SocketException)
            {
                return -1; // out of descriptors: ours, not the upstream's failing
            }

            socket.NoDelay = true;
            Socket previous = _socket;
            _socket = socket;
            previous?.Dispose(); // an earlier attempt's
            return await _write.ConnectAsync(socket, _lastEndPoint).ConfigureAwait(false) == 0 ? 1 : 0;
        }

        /// <inheritdoc />
        public override void Abort(bool fin)
        {
            Socket socket = _socket;
            if (socket != null)
            {
                if (fin)
                {
                    try
                    {
                        socket.Shutdown(System.Net.Sockets.SocketShutdown.Both); // .NET resets a socket disposed with an operation under way
                    }
                    catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
                    {
                        // gone already
                    }
                }

                socket.Dispose(); // a pending read, write or handshake on it fails at once
            }
        }

        /// <inheritdoc />
        public override void Release()
        {
            base.Release();
            Abort(false);
            _socket = null;
        }

        /// <inheritdoc />
        protected override ValueTask<int> SocketReceiveAsync(Memory<byte> buffer)
        {
            Socket socket = _socket;
            return socket == null ? new ValueTask<int>(Failed) : _read.ReceiveAsync(socket, buffer);
        }

        /// <inheritdoc />
        protected override ValueTask<int> SocketSendAsync(ReadOnlyMemory<byte> data)
        {
            Socket socket = _socket;
            return socket == null ? new ValueTask<int>(Failed) : _write.SendAsync(socket, data);
        }

        /// <inheritdoc />
        protected override void SocketShutdown()
        {
            try
            {
                _socket?.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                // gone already
            }
        }

        /// <inheritdoc />
        protected override Stream OpenStream()
        {
            return new NetworkStream(_socket, false);
        }
    }
}
