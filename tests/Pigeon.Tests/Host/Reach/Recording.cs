using System.Collections.Generic;
using Pigeon.Net;
using Pigeon.Sockets;

namespace Pigeon.Tests.Host.Reach
{
    /// <summary>
    /// Real sockets that write down every address they were asked to contact, so a test can prove
    /// that nothing but the (fake) router was ever contacted.
    /// </summary>
    public sealed class Recording : ITransport, IDatagramTransport
    {
        private readonly SocketTransport _tcp = new SocketTransport();
        private readonly SocketDatagram _udp = new SocketDatagram();
        private readonly object _lock = new object();
        private readonly List<string> _contacts = new List<string>();

        /// <summary>"tcp a.b.c.d:port" / "udp a.b.c.d:port" for every connect and datagram sent.</summary>
        public List<string> Contacts
        {
            get
            {
                lock (_lock)
                {
                    return new List<string>(_contacts);
                }
            }
        }

        /// <summary>True when every contact went to 127.0.0.1.</summary>
        public bool OnlyLoopback()
        {
            return Contacts.TrueForAll(c => c.Contains(" 127.0.0.1:", System.StringComparison.Ordinal));
        }

        public IConnection CreateConnection()
        {
            return new Connection(this, _tcp.CreateConnection());
        }

        public IListener Listen(uint ipv4, int port, int backlog, out string error)
        {
            IListener listener = _tcp.Listen(ipv4, port, backlog, out error);
            return listener == null ? null : new Listener(listener);
        }

        public IDatagramSocket Bind(uint ipv4, int port, out string error)
        {
            IDatagramSocket socket = _udp.Bind(ipv4, port, out error);
            return socket == null ? null : new Datagram(this, socket);
        }

        private void Add(string contact)
        {
            lock (_lock)
            {
                _contacts.Add(contact);
            }
        }

        /// <summary>Accepts into the socket connection inside a recording wrapper.</summary>
        private sealed class Listener : IListener
        {
            private readonly IListener _inner;

            public Listener(IListener inner)
            {
                _inner = inner;
            }

            public bool Accept(IConnection into) => _inner.Accept(into is Connection c ? c.Inner : into);

            public void Close() => _inner.Close();
        }

        private sealed class Connection : IConnection
        {
            private readonly Recording _owner;
            private readonly IConnection _inner;

            public IConnection Inner => _inner;

            public Connection(Recording owner, IConnection inner)
            {
                _owner = owner;
                _inner = inner;
            }

            public bool IsOpen => _inner.IsOpen;

            public uint RemoteAddress => _inner.RemoteAddress;

            public int RemotePort => _inner.RemotePort;

            public uint LocalAddress => _inner.LocalAddress;

            public int LocalPort => _inner.LocalPort;

            public bool Connect(uint ipv4, int port)
            {
                _owner.Add("tcp " + IPv4.ToText(ipv4) + ":" + port);
                return _inner.Connect(ipv4, port);
            }

            public int Receive(byte[] buffer, int offset, int count) => _inner.Receive(buffer, offset, count);

            public bool Send(byte[] buffer, int offset, int count) => _inner.Send(buffer, offset, count);

            public bool ShutdownSend() => _inner.ShutdownSend();

            public void Close() => _inner.Close();
        }

        private sealed class Datagram : IDatagramSocket
        {
            private readonly Recording _owner;
            private readonly IDatagramSocket _inner;

            public Datagram(Recording owner, IDatagramSocket inner)
            {
                _owner = owner;
                _inner = inner;
            }

            public int LocalPort => _inner.LocalPort;

            public int ReceiveFrom(byte[] buffer, int offset, int count, int timeoutMs, out uint fromAddress, out int fromPort)
                => _inner.ReceiveFrom(buffer, offset, count, timeoutMs, out fromAddress, out fromPort);

            public bool SendTo(byte[] buffer, int offset, int count, uint toAddress, int toPort)
            {
                _owner.Add("udp " + IPv4.ToText(toAddress) + ":" + toPort);
                return _inner.SendTo(buffer, offset, count, toAddress, toPort);
            }

            public void Close() => _inner.Close();
        }
    }
}
