using System;
using System.Net;
using System.Net.Sockets;
using Pigeon.Net;

namespace Pigeon.Sockets
{
    /// <summary><see cref="IListener"/> over a listening System.Net.Sockets socket (board and host).</summary>
    public sealed class SocketListener : IListener
    {
        /// <summary>
        /// A server's backlog: the largest value, which the kernel lowers to its own limit
        /// (net.core.somaxconn, 4096 on current Linux), so a burst of connects is queued rather than
        /// left to a 1 s SYN retry. The board keeps lwIP's few (ThreadedRelay.BoardBacklog).
        /// </summary>
        public const int ServerBacklog = int.MaxValue;

        private const int AcceptRetryMs = 100;
        private const int MaxAcceptRetries = 300;

        private Socket _socket;

        private SocketListener(Socket socket)
        {
            _socket = socket;
        }

        /// <summary>Binds and listens; null with a plain reason on failure.</summary>
        public static SocketListener Open(uint ipv4, int port, int backlog, out string error)
        {
            error = null;
            Socket socket = null;
            try
            {
                socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                AllowRebind(socket);
                socket.Bind(new IPEndPoint(SocketConnection.ToIPAddress(ipv4), port));
                socket.Listen(backlog);
                return new SocketListener(socket);
            }
            catch (SocketException e)
            {
                SocketConnection.CloseQuietly(socket);
                error = Describe(e, port);
                return null;
            }
            catch (Exception e)
            {
                SocketConnection.CloseQuietly(socket);
                error = e.Message;
                return null;
            }
        }

#if !NANOFRAMEWORK_1_0
        /// <summary>The listening socket, for a host listener that accepts on its own (Pigeon.Host.PortalGate); null once closed.</summary>
        internal Socket Socket
        {
            get { return _socket; }
        }

#endif
        /// <inheritdoc />
        public bool Accept(IConnection into)
        {
            Socket socket = _socket;
            if (socket == null)
            {
                return false;
            }

            // An accept that fails while the listener is still ours is most often the platform
            // out of sockets (lwIP's 16 on a board when every session is busy, the open-file
            // limit on a host): the client waits in the backlog until a session ends. Retry for
            // up to 30 s before calling the listener failed (the relay then reopens it).
            for (int attempt = 0; attempt < MaxAcceptRetries; attempt++)
            {
                try
                {
                    Socket client = socket.Accept();
                    ((SocketConnection)into).Attach(client);
                    return true;
                }
                catch (SocketException)
                {
                    if (_socket == null)
                    {
                        return false; // closed: the relay is stopping
                    }

                    System.Threading.Thread.Sleep(AcceptRetryMs);
                }
                catch (Exception)
                {
                    return false;
                }
            }

            return false;
        }

        /// <inheritdoc />
        public void Close()
        {
            Socket socket = _socket;
            _socket = null;
            SocketConnection.CloseQuietly(socket);
        }

        /// <summary>
        /// Lets a restarted relay bind its port while the last run's connections sit in
        /// TIME_WAIT (SO_REUSEADDR), without letting a second instance listen on the same port.
        /// .NET's ReuseAddress sets SO_REUSEPORT too on Linux and macOS, and two relays would then
        /// split the clients between them without a word; so the host sets SO_REUSEADDR alone
        /// (Linux: level 1, option 2; the BSDs and macOS: 0xffff, 4) and, on Windows, asks for the
        /// port exclusively. lwIP on the board has neither problem nor REUSEPORT.
        /// </summary>
        internal static void AllowRebind(Socket socket)
        {
#if NANOFRAMEWORK_1_0
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
#else
            if (OperatingSystem.IsWindows())
            {
                socket.ExclusiveAddressUse = true;
                return;
            }

            bool linux = OperatingSystem.IsLinux() || OperatingSystem.IsAndroid();
            socket.SetRawSocketOption(linux ? 1 : 0xffff, linux ? 2 : 4, BitConverter.GetBytes(1));
#endif
        }

        /// <summary>True when the port was refused because something else listens on it already.</summary>
        internal static bool InUse(SocketException e)
        {
#if NANOFRAMEWORK_1_0
            return false;
#else
            return e.SocketErrorCode == SocketError.AddressAlreadyInUse;
#endif
        }

        internal static string Describe(SocketException e, int port)
        {
#if NANOFRAMEWORK_1_0
            return "cannot listen on port " + port.ToString() + " (socket error " + e.ErrorCode.ToString() + ")";
#else
            if (e.SocketErrorCode == SocketError.AccessDenied)
            {
                return "permission denied: ports below 1024 need privileges. On Linux allow them with "
                    + "`sudo setcap cap_net_bind_service=+ep $(readlink -f $(which dotnet))`, or run "
                    + "`sudo sysctl net.ipv4.ip_unprivileged_port_start=" + port.ToString() + "`, or use another port";
            }

            if (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return "port " + port.ToString() + " is already in use by another program";
            }

            if (e.SocketErrorCode == SocketError.AddressNotAvailable)
            {
                return "this machine has no such address to listen on";
            }

            return e.Message;
#endif
        }
    }
}
