using System;
using System.Net.Sockets;
using System.Text;

namespace Pigeon.Host.Service
{
    /// <summary>
    /// The sd_notify(3) protocol, spoken directly: one datagram of "KEY=value" lines to the
    /// AF_UNIX socket systemd names in $NOTIFY_SOCKET (a path, or "@name" for the abstract
    /// namespace). Pigeon sends READY=1 once its listeners accept connections and STOPPING=1
    /// when it begins to stop (a Type=notify unit). Without $NOTIFY_SOCKET (not started by
    /// systemd, or not on Linux) nothing is sent.
    /// </summary>
    /// <remarks>
    /// Why not Microsoft.Extensions.Hosting.Systemd: its notifier only works inside the generic
    /// host (IHost, dependency injection, configuration and logging providers), which would
    /// replace Pigeon.Host's small composition root and its console log, add a dozen assemblies
    /// to a trimmed single file, and warn under native AOT; the protocol itself is this one
    /// datagram (docs/server.md).
    /// </remarks>
    public sealed class SystemdNotifier
    {
        /// <summary>The environment variable systemd sets for Type=notify services.</summary>
        public const string SocketVariable = "NOTIFY_SOCKET";

        private readonly string _path;

        /// <summary>A notifier for the socket at <paramref name="path"/> ("@name" = abstract).</summary>
        public SystemdNotifier(string path)
        {
            if (string.IsNullOrEmpty(path))
            {
                throw new ArgumentException("the notify socket path is empty");
            }

            _path = path;
        }

        /// <summary>The socket named by $NOTIFY_SOCKET, or null when it is not set.</summary>
        public static SystemdNotifier FromEnvironment()
        {
            string path = Environment.GetEnvironmentVariable(SocketVariable);
            return string.IsNullOrEmpty(path) ? null : new SystemdNotifier(path);
        }

        /// <summary>The socket's path as given (abstract names keep their "@").</summary>
        public string Path
        {
            get { return _path; }
        }

        /// <summary>
        /// Sends one state message (lines such as "READY=1\nSTATUS=..."). Returns false, with the
        /// reason in <paramref name="error"/>, when the socket cannot be reached; never throws:
        /// a missing manager must not stop the relay.
        /// </summary>
        public bool Notify(string state, out string error)
        {
            error = null;
            try
            {
                // "@name" is the abstract namespace: the address starts with a NUL byte instead.
                string address = _path[0] == '@' ? "\0" + _path.Substring(1) : _path;
                using (Socket socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified))
                {
                    socket.Connect(new UnixDomainSocketEndPoint(address));
                    socket.Send(Encoding.UTF8.GetBytes(state));
                }

                return true;
            }
            catch (SocketException e)
            {
                error = e.Message;
            }
            catch (ArgumentException e)
            {
                error = e.Message; // a path longer than sockaddr_un holds
            }
            catch (PlatformNotSupportedException e)
            {
                error = e.Message;
            }

            return false;
        }
    }
}
