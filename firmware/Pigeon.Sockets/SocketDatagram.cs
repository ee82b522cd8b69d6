using System;
using System.Net;
using System.Net.Sockets;
using Pigeon.Net;

namespace Pigeon.Sockets
{
    /// <summary><see cref="IDatagramSocket"/> over a System.Net.Sockets UDP socket (board and host).</summary>
    public sealed class SocketDatagram : IDatagramSocket, IDatagramTransport
    {
        private Socket _socket;
        private EndPoint _any;

        /// <summary>A factory instance (use <see cref="Bind"/>).</summary>
        public SocketDatagram()
        {
        }

        private SocketDatagram(Socket socket)
        {
            _socket = socket;
            _any = new IPEndPoint(IPAddress.Any, 0);
        }

        /// <inheritdoc />
        public int LocalPort
        {
            get
            {
                Socket socket = _socket;
                IPEndPoint local = socket == null ? null : socket.LocalEndPoint as IPEndPoint;
                return local == null ? 0 : local.Port;
            }
        }

        /// <inheritdoc />
        public IDatagramSocket Bind(uint ipv4, int port, out string error)
        {
            error = null;
            Socket socket = null;
            try
            {
                socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                socket.Bind(new IPEndPoint(SocketConnection.ToIPAddress(ipv4), port));
                return new SocketDatagram(socket);
            }
            catch (Exception e)
            {
                SocketConnection.CloseQuietly(socket);
                error = "cannot bind UDP port " + port.ToString() + ": " + e.Message;
                return null;
            }
        }

        /// <inheritdoc />
        public int ReceiveFrom(byte[] buffer, int offset, int count, int timeoutMs, out uint fromAddress, out int fromPort)
        {
            fromAddress = 0;
            fromPort = 0;
            Socket socket = _socket;
            if (socket == null)
            {
                return -1;
            }

            try
            {
                if (!socket.Poll(timeoutMs * 1000, SelectMode.SelectRead))
                {
                    return 0;
                }

                EndPoint from = _any;
                int n = socket.ReceiveFrom(buffer, offset, count, SocketFlags.None, ref from);
                IPEndPoint ip = from as IPEndPoint;
                if (ip != null)
                {
                    fromAddress = SocketConnection.FromIPAddress(ip.Address);
                    fromPort = ip.Port;
                }

                return n;
            }
            catch (SocketException)
            {
                // A datagram longer than the buffer, or an ICMP "port unreachable" reported on
                // the next read: drop it and keep serving.
                return _socket == null ? -1 : 0;
            }
            catch (Exception)
            {
                return -1;
            }
        }

        /// <inheritdoc />
        public bool SendTo(byte[] buffer, int offset, int count, uint toAddress, int toPort)
        {
            Socket socket = _socket;
            if (socket == null)
            {
                return false;
            }

            try
            {
                return socket.SendTo(buffer, offset, count, SocketFlags.None, new IPEndPoint(SocketConnection.ToIPAddress(toAddress), toPort)) == count;
            }
            catch (Exception)
            {
                return false;
            }
        }

        /// <inheritdoc />
        public void Close()
        {
            Socket socket = _socket;
            _socket = null;
            SocketConnection.CloseQuietly(socket);
        }
    }
}
