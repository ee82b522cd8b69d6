using System;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Threading;

namespace Pigeon.Abuse
{
    /// <summary>
    /// A slow sender on its own thread: every <c>intervalMs</c> it sends each socket the next
    /// byte of <c>data</c> from <c>offset</c> on (a ClientHello a byte at a time), until the
    /// relay closes the socket or the dribbler is disposed.
    /// </summary>
    public sealed class Dribbler : IDisposable
    {
        private readonly Thread _thread;
        private bool _stop;

        /// <summary>Starts dribbling <paramref name="data"/> into <paramref name="sockets"/>.</summary>
        public Dribbler(List<Socket> sockets, byte[] data, int offset, int intervalMs)
        {
            _thread = Harness.Background("dribbler", () =>
            {
                int at = offset;
                while (!Volatile.Read(ref _stop) && at < data.Length)
                {
                    Thread.Sleep(intervalMs);
                    foreach (Socket s in sockets)
                    {
                        try
                        {
                            s.Send(data, at, 1, SocketFlags.None);
                        }
                        catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
                        {
                            // closed by the relay (or by the case): nothing more to send there
                        }
                    }

                    at++;
                }
            });
            _thread.Start();
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Volatile.Write(ref _stop, true);
            _thread.Join(5000);
        }
    }
}
