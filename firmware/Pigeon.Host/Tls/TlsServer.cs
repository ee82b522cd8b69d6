using System;
using System.IO;
using System.Net.Security;
using Pigeon.Net;
using Pigeon.Relay;

namespace Pigeon.Host.Tls
{
    /// <summary>
    /// TLS termination for the blocking pump on the host (<see cref="Pigeon.Pumps.Threaded.ThreadedRelay"/>, --pump
    /// threads): SslStream over the accepted connection, fed the ClientHello bytes admission read
    /// first. The certificate is the <see cref="CertificateStore"/>'s choice for that hello, as on
    /// the event pump, and the handshake the event pump's (<see cref="TlsHandshake"/>), run blocking.
    /// </summary>
    public sealed class TlsServer : ITlsServer
    {
        private readonly CertificateStore _certificates;

        /// <summary>A server presenting what <paramref name="certificates"/> chooses at each handshake (it may change while running).</summary>
        public TlsServer(CertificateStore certificates)
        {
            _certificates = certificates;
        }

        /// <inheritdoc />
        public IConnection Handshake(IConnection client, byte[] prefix, int offset, int count, out RefusalReason refusal)
        {
            TlsCloseGate gate = new TlsCloseGate(); // the pump reads on one thread and shuts down on the other
            TlsHandshake handshake = new TlsHandshake(gate.Under(new ConnectionStream(client)), prefix, offset, count);
            if (handshake.Run(_certificates))
            {
                refusal = RefusalReason.TlsFailed;
                return new TlsConnection(client, handshake.Stream, gate);
            }

            refusal = handshake.Refusal;
            return null;
        }

        /// <summary>A blocking <see cref="Stream"/> over an <see cref="IConnection"/> (what SslStream reads and writes).</summary>
        private sealed class ConnectionStream : ForwardStream
        {
            private readonly IConnection _connection;

            public ConnectionStream(IConnection connection)
            {
                _connection = connection;
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                if (count == 0)
                {
                    return 0;
                }

                int n = _connection.Receive(buffer, offset, count);
                if (n < 0)
                {
                    throw new IOException("the connection was reset or closed");
                }

                return n;
            }

            public override void Write(byte[] buffer, int offset, int count)
            {
                if (!_connection.Send(buffer, offset, count))
                {
                    throw new IOException("the connection was reset or closed");
                }
            }

        }

        /// <summary>The decrypted stream as an <see cref="IConnection"/>, for the blocking pump.</summary>
        private sealed class TlsConnection : IConnection
        {
            private readonly IConnection _raw;
            private readonly SslStream _tls;
            private readonly TlsCloseGate _gate;

            public TlsConnection(IConnection raw, SslStream tls, TlsCloseGate gate)
            {
                _raw = raw;
                _tls = tls;
                _gate = gate;
            }

            public bool IsOpen => _raw.IsOpen;

            public uint RemoteAddress => _raw.RemoteAddress;

            public int RemotePort => _raw.RemotePort;

            public uint LocalAddress => _raw.LocalAddress;

            public int LocalPort => _raw.LocalPort;

            public bool Connect(uint ipv4, int port) => false;

            public int Receive(byte[] buffer, int offset, int count)
            {
                try
                {
                    return _gate.Read(_tls, buffer, offset, count);
                }
                catch (Exception)
                {
                    return -1;
                }
            }

            public bool Send(byte[] buffer, int offset, int count)
            {
                try
                {
                    _tls.Write(buffer, offset, count);
                    return true;
                }
                catch (Exception)
                {
                    return false;
                }
            }

            public bool ShutdownSend()
            {
                try
                {
                    _gate.Shutdown(_tls); // close_notify (never while the other thread decrypts), then the FIN
                }
                catch (Exception)
                {
                    return false;
                }

                return _raw.ShutdownSend();
            }

            public void Close()
            {
                _raw.Close(); // any read or write on the TLS fails at once
                _tls.Dispose();
            }
        }
    }
}
