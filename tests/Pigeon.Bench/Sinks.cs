using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Pigeon.Bench
{
    /// <summary>
    /// The "upstream" servers the relays forward to, on 127.0.0.1: a discard sink that counts
    /// what it receives (throughput) and an echo server (latency, connections per second).
    /// Thread per connection with blocking sockets: the cheapest server there is, so the relay
    /// under test is what limits the figures.
    /// </summary>
    public sealed class Sink : IDisposable
    {
        private readonly Socket _listener;
        private readonly bool _echo;
        private readonly Thread _acceptThread;
        private long _received;
        private bool _stopping;

        public Sink(bool echo, int port = 0)
        {
            _echo = echo;
            _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            _listener.Listen(1024);
            Port = ((IPEndPoint)_listener.LocalEndPoint).Port;
            _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = echo ? "echo-accept" : "sink-accept" };
            _acceptThread.Start();
        }

        public int Port { get; }

        /// <summary>Bytes received on every connection so far.</summary>
        public long Received => Interlocked.Read(ref _received);

        public void Dispose()
        {
            _stopping = true;
            _listener.Close();
        }

        private void AcceptLoop()
        {
            while (!_stopping)
            {
                Socket socket;
                try
                {
                    socket = _listener.Accept();
                }
                catch (SocketException)
                {
                    if (_stopping)
                    {
                        return;
                    }

                    continue;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                socket.NoDelay = true;
                if (_echo)
                {
                    // Short connections (connection-rate test): no thread per connection, whose
                    // creation would cost more than the relays being measured.
                    _ = EchoAsync(socket);
                }
                else
                {
                    Thread worker = new Thread(Serve) { IsBackground = true };
                    worker.Start(socket);
                }
            }
        }

        private static async System.Threading.Tasks.Task EchoAsync(Socket socket)
        {
            byte[] buffer = new byte[4096];
            try
            {
                while (true)
                {
                    int n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                    if (n <= 0)
                    {
                        break;
                    }

                    int sent = 0;
                    while (sent < n)
                    {
                        sent += await socket.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None).ConfigureAwait(false);
                    }
                }
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
            finally
            {
                socket.Close();
            }
        }

        private void Serve(object state)
        {
            Socket socket = (Socket)state;
            byte[] buffer = new byte[_echo ? 4096 : 262144];
            try
            {
                while (true)
                {
                    int n = socket.Receive(buffer, 0, buffer.Length, SocketFlags.None);
                    if (n <= 0)
                    {
                        break;
                    }

                    if (_echo)
                    {
                        int sent = 0;
                        while (sent < n)
                        {
                            sent += socket.Send(buffer, sent, n - sent, SocketFlags.None);
                        }
                    }
                    else
                    {
                        Interlocked.Add(ref _received, n);
                    }
                }
            }
            catch (SocketException)
            {
                // the relay reset us: the test closed its side
            }
            catch (ObjectDisposedException)
            {
            }
            finally
            {
                socket.Close();
            }
        }
    }
}
