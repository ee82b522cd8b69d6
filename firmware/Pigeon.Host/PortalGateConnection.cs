using System;
using System.Net.Sockets;
using Pigeon.Net;
using Pigeon.Sockets;

namespace Pigeon.Host
{
    /// <summary>
    /// A connection the <see cref="PortalGate"/> hands to the portal's server: the socket, with
    /// the request the gate already read in front of it (the server reads those bytes first, then
    /// the socket, as if nothing had been read). Its close tells the gate the slot is free. One
    /// per slot, reused, as the server's own connection objects are.
    /// </summary>
    internal sealed class PortalGateConnection : IConnection
    {
        private readonly SocketConnection _socket = new SocketConnection();
        private readonly byte[] _request = new byte[PortalGate.RequestBytes];
        private readonly PortalGate _gate;
        private int _length;
        private int _read;

        public PortalGateConnection(PortalGate gate)
        {
            _gate = gate;
        }

        /// <summary>True while the gate counts this connection in a slot. These three are set and read under the gate's lock.</summary>
        public bool Counted { get; set; }

        /// <summary>The client's address (packed IPv4).</summary>
        public uint Client { get; set; }

        /// <summary>True when the client is the machine itself.</summary>
        public bool Local { get; set; }

        /// <inheritdoc />
        public bool IsOpen => _socket.IsOpen;

        /// <inheritdoc />
        public uint RemoteAddress => Client;

        /// <inheritdoc />
        public int RemotePort => _socket.RemotePort;

        /// <inheritdoc />
        public uint LocalAddress => _socket.LocalAddress;

        /// <inheritdoc />
        public int LocalPort => _socket.LocalPort;

        /// <summary>Takes an accepted socket and the first <paramref name="length"/> bytes already read from it.</summary>
        public void Attach(Socket socket, byte[] request, int length)
        {
            Array.Copy(request, _request, length);
            _length = length;
            _read = 0;
            _socket.Attach(socket);
        }

        /// <inheritdoc />
        public bool Connect(uint ipv4, int port)
        {
            return false; // the portal only accepts
        }

        /// <inheritdoc />
        public int Receive(byte[] buffer, int offset, int count)
        {
            if (_read < _length)
            {
                if (!_socket.IsOpen)
                {
                    return -1; // cut off by a deadline
                }

                int n = Math.Min(count, _length - _read);
                Array.Copy(_request, _read, buffer, offset, n);
                _read += n;
                return n;
            }

            return _socket.Receive(buffer, offset, count);
        }

        /// <inheritdoc />
        public bool Send(byte[] buffer, int offset, int count)
        {
            return _socket.Send(buffer, offset, count);
        }

        /// <inheritdoc />
        public bool ShutdownSend()
        {
            return _socket.ShutdownSend();
        }

        /// <inheritdoc />
        public void Close()
        {
            _socket.Close();
            _gate.Release(this);
        }
    }
}
