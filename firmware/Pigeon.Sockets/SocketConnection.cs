using System;
using System.Net;
using System.Net.Sockets;
using Pigeon.Net;

namespace Pigeon.Sockets
{
    /// <summary>
    /// <see cref="IConnection"/> over System.Net.Sockets, written to the subset that
    /// nanoFramework and .NET share (nanoframework.md) so the board and the host compile this
    /// same file. The object outlives its sockets: the relay re-attaches a new one per session.
    /// </summary>
    public sealed class SocketConnection : IConnection
    {
        private readonly object _lock = new object();
        private Socket _socket;
        private bool _endpointsRead;
        private uint _remoteAddress;
        private int _remotePort;
        private uint _localAddress;
        private int _localPort;

        // The last upstream endpoint, reused while the address stays the same (it nearly always
        // does), so a connect allocates no IPEndPoint of ours.
        private IPEndPoint _lastEndPoint;
        private uint _lastAddress;

        /// <inheritdoc />
        public bool IsOpen
        {
            get { return _socket != null; }
        }

        /// <inheritdoc />
        public uint RemoteAddress
        {
            get
            {
                ReadEndPoints();
                return _remoteAddress;
            }
        }

        /// <inheritdoc />
        public int RemotePort
        {
            get
            {
                ReadEndPoints();
                return _remotePort;
            }
        }

        /// <inheritdoc />
        public uint LocalAddress
        {
            get
            {
                ReadEndPoints();
                return _localAddress;
            }
        }

        /// <inheritdoc />
        public int LocalPort
        {
            get
            {
                ReadEndPoints();
                return _localPort;
            }
        }

        /// <summary>Attaches an accepted socket (used by <see cref="SocketListener"/>).</summary>
        internal void Attach(Socket socket)
        {
            Configure(socket);
            lock (_lock)
            {
                Socket old = _socket;
                _socket = socket;
                _endpointsRead = false;
                CloseQuietly(old);
            }
        }

        /// <inheritdoc />
        public bool Connect(uint ipv4, int port)
        {
            Socket socket;
            try
            {
                socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            }
            catch (SocketException)
            {
                return false; // out of sockets (the board has 16)
            }

            if (_lastEndPoint == null || _lastAddress != ipv4 || _lastEndPoint.Port != port)
            {
                _lastEndPoint = new IPEndPoint(ToIPAddress(ipv4), port);
                _lastAddress = ipv4;
            }

            lock (_lock)
            {
                CloseQuietly(_socket);
                _socket = socket; // visible to Close() so the reaper can abort a slow connect
                _endpointsRead = false;
            }

            try
            {
                socket.Connect(_lastEndPoint);
                Configure(socket);
                return true;
            }
            catch (Exception)
            {
                Close();
                return false;
            }
        }

        /// <inheritdoc />
        public int Receive(byte[] buffer, int offset, int count)
        {
            Socket socket = _socket;
            if (socket == null)
            {
                return -1;
            }

            try
            {
                return socket.Receive(buffer, offset, count, SocketFlags.None);
            }
            catch (Exception)
            {
                return -1; // reset, or closed by the reaper
            }
        }

        /// <inheritdoc />
        public bool Send(byte[] buffer, int offset, int count)
        {
            Socket socket = _socket;
            if (socket == null)
            {
                return false;
            }

            try
            {
                while (count > 0)
                {
                    int sent = socket.Send(buffer, offset, count, SocketFlags.None);
                    if (sent <= 0)
                    {
                        return false;
                    }

                    offset += sent;
                    count -= sent;
                }

                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        /// <inheritdoc />
        public bool ShutdownSend()
        {
#if NANOFRAMEWORK_1_0
            return false; // no managed Shutdown on nanoFramework: the relay drains, then closes
#else
            Socket socket = _socket;
            if (socket == null)
            {
                return false;
            }

            try
            {
                socket.Shutdown(SocketShutdown.Send);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
#endif
        }

        /// <inheritdoc />
        public void Close()
        {
            Socket socket;
            lock (_lock)
            {
                socket = _socket;
                _socket = null;
            }

            CloseQuietly(socket);
        }

        /// <summary>Closes <paramref name="socket"/> if there is one; a socket already closed is not an error.</summary>
        internal static void CloseQuietly(Socket socket)
        {
            if (socket == null)
            {
                return;
            }

            try
            {
                socket.Close();
            }
            catch (Exception)
            {
                // already closed: what the caller wanted
            }
        }

        private static void Configure(Socket socket)
        {
            try
            {
                // Chat is small messages both ways: do not let Nagle hold them back.
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay, true);
            }
            catch (Exception)
            {
                // not fatal
            }
        }

        // Endpoints are read only when asked (routes with a PROXY line), because reading them
        // makes the runtime allocate endpoint objects.
        private void ReadEndPoints()
        {
            if (_endpointsRead)
            {
                return;
            }

            Socket socket = _socket;
            if (socket == null)
            {
                return;
            }

            try
            {
                IPEndPoint remote = socket.RemoteEndPoint as IPEndPoint;
                IPEndPoint local = socket.LocalEndPoint as IPEndPoint;
                _remoteAddress = remote == null ? 0 : FromIPAddress(remote.Address);
                _remotePort = remote == null ? 0 : remote.Port;
                _localAddress = local == null ? 0 : FromIPAddress(local.Address);
                _localPort = local == null ? 0 : local.Port;
                _endpointsRead = true;
            }
            catch (Exception)
            {
                _endpointsRead = true;
            }
        }

        /// <summary>Packs an IPv4 address big-endian (a.b.c.d = a&lt;&lt;24 ...); 0 for non-IPv4.</summary>
        internal static uint FromIPAddress(IPAddress address)
        {
            if (address == null || address.AddressFamily != AddressFamily.InterNetwork)
            {
#if !NANOFRAMEWORK_1_0
                if (address != null && address.IsIPv4MappedToIPv6)
                {
                    return FromIPAddress(address.MapToIPv4());
                }
#endif
                return 0;
            }

#if NANOFRAMEWORK_1_0
            // nanoFramework's IPAddress has no public Address property (System.Net 1.11.x, checked
            // by compiling against its source): read the four bytes. Called once per accepted
            // connection, not per read.
            byte[] b = address.GetAddressBytes();
            return BigEndian.ReadUInt32(b, 0);
#else
            // IPAddress.Address holds the four bytes in network order on a little-endian long:
            // 127.0.0.1 is 0x0100007F. It allocates nothing, unlike GetAddressBytes().
#pragma warning disable CS0618, CS0612
            long value = address.Address;
#pragma warning restore CS0618, CS0612
            uint raw = (uint)value;
            return ((raw & 0xFF) << 24) | ((raw & 0xFF00) << 8) | ((raw >> 8) & 0xFF00) | (raw >> 24);
#endif
        }

        /// <summary>The inverse of <see cref="FromIPAddress"/>.</summary>
        internal static IPAddress ToIPAddress(uint ipv4)
        {
            long raw = ((ipv4 & 0xFF) << 24) | ((ipv4 & 0xFF00) << 8) | ((ipv4 >> 8) & 0xFF00) | (ipv4 >> 24);
            return new IPAddress(raw);
        }
    }
}
