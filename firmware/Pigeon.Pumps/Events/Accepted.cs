using System.Net.Sockets;
using Pigeon.Net;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// A client just accepted, before its session starts: a .NET socket (the portable pump) or a
    /// descriptor and the loop that accepted it (the Linux pump), and the address it came from.
    /// </summary>
    internal struct Accepted
    {
        /// <summary>The portable pump's socket (null on the Linux pump).</summary>
        public Socket Socket;

        /// <summary>The Linux pump's descriptor (-1 on the portable pump).</summary>
        public int Fd;

        /// <summary>The loop that accepted it, which runs its session (Linux).</summary>
        public EpollLoop Loop;

        /// <summary>The client's address as the socket sees it.</summary>
        public NetAddress Address;

        /// <summary>The client's port.</summary>
        public int Port;

        /// <summary>Closes the client (refused before its session began).</summary>
        public void Close()
        {
            if (Socket != null)
            {
                Socket.Dispose();
            }
            else if (Fd >= 0)
            {
                Posix.close(Fd);
            }
        }
    }
}
