using System;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace Pigeon.Host.Tls
{
    /// <summary>
    /// One TLS handshake with itself over loopback at start, before any client comes. The first
    /// handshake loads OpenSSL and its configuration and builds the server context, which opens
    /// files; done lazily, it happened under whatever load brought the first TLS client, and at the
    /// open-file limit the runtime aborted the process ("Out of memory."; issue 18, 4 of 4 runs
    /// with 1,000 held connections under ulimit -n 256). After this, a handshake needs only its socket.
    /// </summary>
    internal static class TlsWarmUp
    {
        /// <summary>Runs the handshake with <paramref name="options"/>; false (with the reason) when it could not.</summary>
        public static bool Run(SslServerAuthenticationOptions options, out string error)
        {
            error = null;
            try
            {
                using Socket listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                listener.Listen(1);
                using Socket client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                client.Connect(listener.LocalEndPoint);
                using Socket server = listener.Accept();
                using SslStream serverTls = new SslStream(new NetworkStream(server, false), false);
                using SslStream clientTls = new SslStream(new NetworkStream(client, false), false, (sender, certificate, chain, errors) => true);
                Task serverSide = serverTls.AuthenticateAsServerAsync(options, default);
                Task clientSide = clientTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "warm-up.invalid" });
                return Task.WaitAll(new[] { serverSide, clientSide }, 10000);
            }
            catch (Exception e)
            {
                error = e.GetBaseException().Message;
                return false;
            }
        }
    }
}
