using System;
using System.Net.Sockets;
using System.Threading;

namespace Pigeon.Testing
{
    /// <summary>An upstream that sends back every byte the relay sends it.</summary>
    public static class EchoUpstream
    {
        /// <summary>
        /// Echoes on every connection <paramref name="listener"/> accepts (a background thread each)
        /// until the peer closes it; accepting ends when the listener stops.
        /// </summary>
        public static void Serve(TcpListener listener)
        {
            Thread accept = new Thread(() =>
            {
                while (true)
                {
                    Socket s;
                    try
                    {
                        s = listener.AcceptSocket();
                    }
                    catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is InvalidOperationException)
                    {
                        return; // the listener stopped
                    }

                    new Thread(() => Echo(s)) { IsBackground = true, Name = "echo" }.Start();
                }
            }) { IsBackground = true, Name = "echo-accept" };
            accept.Start();
        }

        private static void Echo(Socket s)
        {
            using (s)
            {
                byte[] b = new byte[4096];
                try
                {
                    int n;
                    while ((n = s.Receive(b)) > 0)
                    {
                        s.Send(b, n, SocketFlags.None);
                    }
                }
                catch (SocketException)
                {
                    // reset by the relay: this connection is over
                }
            }
        }
    }
}
