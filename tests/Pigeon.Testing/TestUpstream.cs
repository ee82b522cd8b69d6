using System;
using System.Net.Sockets;
using System.Threading;

namespace Pigeon.Testing
{
    /// <summary>Upstreams behind a relay under test: one that echoes, one that never answers.</summary>
    public static class TestUpstream
    {
        /// <summary>
        /// Echoes on every connection <paramref name="listener"/> accepts (a background thread each)
        /// until the peer closes it; accepting ends when the listener stops.
        /// </summary>
        public static void Echo(TcpListener listener)
        {
            AcceptEach(listener, null, true);
        }

        /// <summary>
        /// Reads and drops what every connection <paramref name="listener"/> accepts sends, and never
        /// answers (a chat server the client waits on, so the session falls silent);
        /// <paramref name="accepted"/> runs for each connection as it is accepted.
        /// </summary>
        public static void Silent(TcpListener listener, Action accepted)
        {
            AcceptEach(listener, accepted, false);
        }

        private static void AcceptEach(TcpListener listener, Action accepted, bool echo)
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

                    accepted?.Invoke();
                    new Thread(() => Serve(s, echo)) { IsBackground = true, Name = "upstream" }.Start();
                }
            }) { IsBackground = true, Name = "upstream-accept" };
            accept.Start();
        }

        private static void Serve(Socket s, bool echo)
        {
            using (s)
            {
                byte[] b = new byte[4096];
                try
                {
                    int n;
                    while ((n = s.Receive(b)) > 0)
                    {
                        if (echo)
                        {
                            s.Send(b, n, SocketFlags.None);
                        }
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
