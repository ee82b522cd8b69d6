using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Pigeon.Testing
{
    /// <summary>
    /// Sockets on 127.0.0.0/8 only. Clients can come from any 127.0.0.x (Linux routes the whole
    /// block to lo), which is how per-address caps are tested with several "strangers".
    /// </summary>
    public static class Loopback
    {
        /// <summary>The legitimate client's address; strangers use 127.0.0.2 and up.</summary>
        public const string Legit = "127.0.0.1";

        private static readonly HashSet<int> s_handedOut = new HashSet<int>();

        /// <summary>127.0.0.<paramref name="n"/>.</summary>
        public static string Address(int n)
        {
            return "127.0.0." + n;
        }

        /// <summary>
        /// A port free on 127.0.0.1 for TCP and UDP right now, never handed out before in this
        /// process, and below Linux's ephemeral range (32768 and up), so neither an earlier pick
        /// nor an outgoing connection of the relay can be holding it when the host binds it.
        /// </summary>
        public static int FreePort()
        {
            lock (s_handedOut)
            {
                while (true)
                {
                    int port = 20000 + Random.Shared.Next(12000);
                    if (s_handedOut.Add(port) && IsFree(port, SocketType.Stream, ProtocolType.Tcp) && IsFree(port, SocketType.Dgram, ProtocolType.Udp))
                    {
                        return port;
                    }
                }
            }
        }

        /// <summary>A UDP port free on 127.0.0.1 right now (see <see cref="FreePort"/>).</summary>
        public static int FreeUdpPort()
        {
            return FreePort();
        }

        /// <summary>A listener on 127.0.0.1 (a free port of the system's choosing unless <paramref name="port"/>).</summary>
        public static TcpListener Listen(int port = 0, int backlog = 16)
        {
            TcpListener listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start(backlog);
            return listener;
        }

        /// <summary>The port <paramref name="listener"/> listens on.</summary>
        public static int PortOf(TcpListener listener)
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        /// <summary>
        /// Connects to 127.0.0.1:<paramref name="port"/> from <paramref name="from"/> (an address in
        /// 127/8), giving up after <paramref name="timeoutMs"/> (a SYN that a full listen queue
        /// dropped); a server that resets the connection at once can make it throw. Reads and
        /// writes wait as long as it takes. See also <see cref="Client"/>.
        /// </summary>
        public static Socket Connect(int port, string from = Legit, int timeoutMs = 10000)
        {
            Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                s.NoDelay = true;
                s.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
                IAsyncResult pending = s.BeginConnect(new IPEndPoint(IPAddress.Loopback, port), null, null);
                if (!pending.AsyncWaitHandle.WaitOne(timeoutMs))
                {
                    throw new TimeoutException("connect to port " + port + " from " + from + " took over " + timeoutMs + " ms");
                }

                s.EndConnect(pending);
                return s;
            }
            catch
            {
                s.Dispose();
                throw;
            }
        }

        /// <summary>
        /// A test's client of 127.0.0.1:<paramref name="port"/> from <paramref name="from"/>: a
        /// blocking connect, done once the handshake is, even when the server then resets the
        /// connection at once (a refusal the test looks for next). A read or write that waits over
        /// <paramref name="ioTimeoutMs"/> throws, so a relay that hangs fails the test instead of
        /// holding it; 0: they wait as long as it takes (a benchmark's client). With
        /// <paramref name="from"/> null the socket is not bound before it connects: the kernel then
        /// picks the source port for this destination and may reuse one in TIME_WAIT, which a
        /// loop of thousands of short connections needs (a bind to port 0 takes a port no
        /// TIME_WAIT holds, and runs out of them).
        /// </summary>
        public static Socket Client(int port, string from = Legit, int ioTimeoutMs = 10000)
        {
            Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                s.NoDelay = true;
                s.ReceiveTimeout = ioTimeoutMs;
                s.SendTimeout = ioTimeoutMs;
                if (from != null)
                {
                    s.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
                }

                s.Connect(new IPEndPoint(IPAddress.Loopback, port));
                return s;
            }
            catch
            {
                s.Dispose();
                throw;
            }
        }

        /// <summary>Waits until something accepts on <paramref name="port"/> (a probe connection, closed at once).</summary>
        public static bool WaitListening(int port, int ms)
        {
            return WaitUntil(() =>
            {
                try
                {
                    using Socket probe = Connect(port, Legit, ms);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            }, ms);
        }

        /// <summary>Closes with a reset (SO_LINGER 0): the peer sees RST, not FIN.</summary>
        public static void Reset(Socket s)
        {
            try
            {
                s.LingerState = new LingerOption(true, 0);
            }
            catch (Exception)
            {
                // already gone
            }

            s.Dispose();
        }

        /// <summary>Sends every byte; false when the peer is gone.</summary>
        public static bool SendAll(Socket s, byte[] data, int offset, int count)
        {
            try
            {
                while (count > 0)
                {
                    int n = s.Send(data, offset, count, SocketFlags.None);
                    offset += n;
                    count -= n;
                }

                return true;
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                return false;
            }
        }

        /// <summary>Sends every byte; false when the peer is gone.</summary>
        public static bool SendAll(Socket s, byte[] data)
        {
            return SendAll(s, data, 0, data.Length);
        }

        /// <summary>Reads exactly <paramref name="count"/> bytes; false when the stream ends or fails first.</summary>
        public static bool ReadExactly(Stream s, byte[] buffer, int offset, int count)
        {
            try
            {
                while (count > 0)
                {
                    int n = s.Read(buffer, offset, count);
                    if (n <= 0)
                    {
                        return false;
                    }

                    offset += n;
                    count -= n;
                }

                return true;
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException)
            {
                return false;
            }
        }

        /// <summary>Reads exactly <paramref name="count"/> bytes; throws when the peer closes first.</summary>
        public static byte[] ReadExactly(Socket s, int count)
        {
            byte[] data = new byte[count];
            int got = 0;
            while (got < count)
            {
                int n = s.Receive(data, got, count - got, SocketFlags.None);
                if (n == 0)
                {
                    throw new InvalidOperationException("closed after " + got + " of " + count + " bytes");
                }

                got += n;
            }

            return data;
        }

        /// <summary>Every byte until the peer closes (a reset after the last byte still ends it).</summary>
        public static byte[] ReadAll(Stream s)
        {
            MemoryStream all = new MemoryStream();
            byte[] buffer = new byte[4096];
            try
            {
                int n;
                while ((n = s.Read(buffer, 0, buffer.Length)) > 0)
                {
                    all.Write(buffer, 0, n);
                }
            }
            catch (IOException)
            {
                // a close without close_notify, or a reset after the answer: what arrived counts
            }

            return all.ToArray();
        }

        /// <summary>
        /// Waits for the peer to close: true when a read returns 0 (FIN) or fails (RST) within
        /// <paramref name="ms"/>; bytes that arrive meanwhile are read and dropped.
        /// </summary>
        public static bool ClosedWithin(Socket s, int ms)
        {
            byte[] sink = new byte[65536];
            Stopwatch watch = Stopwatch.StartNew();
            try
            {
                while (true)
                {
                    int left = ms - (int)watch.ElapsedMilliseconds;
                    if (left <= 0)
                    {
                        return false;
                    }

                    if (!s.Poll(left * 1000, SelectMode.SelectRead))
                    {
                        return false;
                    }

                    if (s.Receive(sink) == 0)
                    {
                        return true;
                    }
                }
            }
            catch (SocketException)
            {
                return true;
            }
            catch (ObjectDisposedException)
            {
                return true;
            }
        }

        /// <summary>True when the peer has closed <paramref name="s"/> (readable with nothing to read, or reset); does not wait.</summary>
        public static bool IsClosed(Socket s)
        {
            try
            {
                return s.Poll(0, SelectMode.SelectRead) && s.Available == 0;
            }
            catch (SocketException)
            {
                return true;
            }
            catch (ObjectDisposedException)
            {
                return true;
            }
        }

        /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds or <paramref name="ms"/> pass.</summary>
        public static bool WaitUntil(Func<bool> condition, int ms)
        {
            Stopwatch watch = Stopwatch.StartNew();
            while (true)
            {
                if (condition())
                {
                    return true;
                }

                if (watch.ElapsedMilliseconds > ms)
                {
                    return false;
                }

                Thread.Sleep(20);
            }
        }

        private static bool IsFree(int port, SocketType type, ProtocolType protocol)
        {
            using Socket s = new Socket(AddressFamily.InterNetwork, type, protocol);
            try
            {
                s.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }
}
