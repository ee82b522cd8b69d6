using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using Pigeon.Testing;

namespace Pigeon.Bench
{
    /// <summary>The load generator: bulk streams, connect-request-close cycles, ping-pong.</summary>
    public static class Load
    {
        /// <summary>
        /// Opens <paramref name="streams"/> connections to <paramref name="port"/> and sends as
        /// fast as they can; after a warm-up, counts what the discard sink behind the relay
        /// received over <paramref name="seconds"/>. Returns Gbit/s (payload, one direction).
        /// </summary>
        public static double Throughput(int port, Sink sink, int streams, double seconds, int chunkBytes = 65536)
        {
            return Throughput(port, sink, streams, seconds, null, out _);
        }

        /// <summary>
        /// As above; also the relay process's CPU seconds per GB relayed in the same window
        /// (steadier than Gbit/s on a shared machine: it does not depend on who else runs).
        /// </summary>
        public static double Throughput(int port, Sink sink, int streams, double seconds, Relay relay, out double cpuSecondsPerGB, int chunkBytes = 65536)
        {
            bool stop = false;
            Socket[] sockets = new Socket[streams];
            Thread[] threads = new Thread[streams];
            for (int i = 0; i < streams; i++)
            {
                Socket socket = Connect(port);
                sockets[i] = socket;
                threads[i] = new Thread(() =>
                {
                    byte[] chunk = new byte[chunkBytes];
                    chunk.AsSpan().Fill(0x55); // not 0x16: a plain route must not take it for TLS
                    try
                    {
                        while (!Volatile.Read(ref stop))
                        {
                            socket.Send(chunk, 0, chunk.Length, SocketFlags.None);
                        }
                    }
                    catch (SocketException)
                    {
                    }
                    catch (ObjectDisposedException)
                    {
                    }
                }) { IsBackground = true };
                threads[i].Start();
            }

            Thread.Sleep(500); // warm-up: sessions set up, windows opened, JIT done
            long before = sink.Received;
            double cpuBefore = relay == null ? 0 : relay.CpuSeconds();
            Stopwatch watch = Stopwatch.StartNew();
            Thread.Sleep(TimeSpan.FromSeconds(seconds));
            long after = sink.Received;
            double cpuAfter = relay == null ? 0 : relay.CpuSeconds();
            double elapsed = watch.Elapsed.TotalSeconds;
            cpuSecondsPerGB = relay == null || after == before ? double.NaN : (cpuAfter - cpuBefore) / ((after - before) / 1e9);
            Volatile.Write(ref stop, true);
            foreach (Socket socket in sockets)
            {
                socket.Close();
            }

            foreach (Thread thread in threads)
            {
                thread.Join(5000);
            }

            return (after - before) * 8.0 / elapsed / 1e9;
        }

        /// <summary>
        /// Connection rate: <paramref name="clients"/> loops of connect, send 1 byte, read the
        /// echoed byte, close. Counts completed cycles per second (failures are not counted).
        /// </summary>
        public static double ConnectionsPerSecond(int port, int clients, double seconds, out long failures)
        {
            return Cycles(clients, seconds, out failures, () =>
            {
                byte[] one = new byte[] { 0x55 };
                using Socket socket = Connect(port);
                socket.Send(one);
                socket.ReceiveTimeout = 5000;
                return socket.Receive(one) == 1;
            });
        }

        /// <summary>
        /// <paramref name="clients"/> threads each repeating <paramref name="cycle"/> for
        /// <paramref name="seconds"/>; returns completed cycles per second. A cycle that returns
        /// false or throws an I/O, socket or TLS error counts as a failure.
        /// </summary>
        public static double Cycles(int clients, double seconds, out long failures, Func<bool> cycle)
        {
            bool stop = false;
            long done = 0;
            long failed = 0;
            Thread[] threads = new Thread[clients];
            for (int i = 0; i < clients; i++)
            {
                threads[i] = new Thread(() =>
                {
                    while (!Volatile.Read(ref stop))
                    {
                        try
                        {
                            if (cycle())
                            {
                                Interlocked.Increment(ref done);
                                continue;
                            }

                            Interlocked.Increment(ref failed);
                            if (Program.Verbose)
                            {
                                Console.Error.WriteLine("cycle failed: closed before the answer");
                            }
                        }
                        catch (Exception e) when (e is SocketException || e is System.IO.IOException || e is System.Security.Authentication.AuthenticationException)
                        {
                            Interlocked.Increment(ref failed);
                            if (Program.Verbose)
                            {
                                Console.Error.WriteLine("cycle failed: " + e.Message);
                            }
                        }
                    }
                }) { IsBackground = true };
            }

            Stopwatch watch = Stopwatch.StartNew();
            foreach (Thread thread in threads)
            {
                thread.Start();
            }

            Thread.Sleep(TimeSpan.FromSeconds(seconds));
            Volatile.Write(ref stop, true);
            long count = Interlocked.Read(ref done);
            double elapsed = watch.Elapsed.TotalSeconds;
            foreach (Thread thread in threads)
            {
                thread.Join(6000);
            }

            failures = Interlocked.Read(ref failed);
            return count / elapsed;
        }

        /// <summary>
        /// Round-trip times (microseconds, sorted) of <paramref name="count"/> ping-pongs of
        /// <paramref name="size"/> bytes on one connection, after 200 warm-up rounds.
        /// </summary>
        public static double[] PingPong(int port, int count, int size = 64)
        {
            using Socket socket = Connect(port);
            socket.ReceiveTimeout = 5000;
            byte[] ping = new byte[size];
            ping.AsSpan().Fill(0x55);
            byte[] pong = new byte[size];
            double[] rtt = new double[count];
            for (int i = -200; i < count; i++)
            {
                long start = Stopwatch.GetTimestamp();
                socket.Send(ping);
                int got = 0;
                while (got < size)
                {
                    int n = socket.Receive(pong, got, size - got, SocketFlags.None);
                    if (n <= 0)
                    {
                        throw new InvalidOperationException("echo closed during ping-pong on port " + port);
                    }

                    got += n;
                }

                if (i >= 0)
                {
                    rtt[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1000.0;
                }
            }

            Array.Sort(rtt);
            return rtt;
        }

        /// <summary>
        /// Ping-pongs on a direct connection and on one through a relay, alternately, so both
        /// sets of round trips see the same moments of a shared machine. Sorted microseconds.
        /// </summary>
        public static void PingPongPair(int directPort, int relayPort, int count, out double[] direct, out double[] relayed, int size = 64)
        {
            using Socket a = Connect(directPort);
            using Socket b = Connect(relayPort);
            a.ReceiveTimeout = 5000;
            b.ReceiveTimeout = 5000;
            byte[] ping = new byte[size];
            ping.AsSpan().Fill(0x55);
            byte[] pong = new byte[size];
            direct = new double[count];
            relayed = new double[count];
            for (int i = -200; i < count; i++)
            {
                double d = RoundTrip(a, ping, pong);
                double r = RoundTrip(b, ping, pong);
                if (i >= 0)
                {
                    direct[i] = d;
                    relayed[i] = r;
                }
            }

            Array.Sort(direct);
            Array.Sort(relayed);
        }

        private static double RoundTrip(Socket socket, byte[] ping, byte[] pong)
        {
            long start = Stopwatch.GetTimestamp();
            socket.Send(ping);
            int got = 0;
            while (got < pong.Length)
            {
                int n = socket.Receive(pong, got, pong.Length - got, SocketFlags.None);
                if (n <= 0)
                {
                    throw new InvalidOperationException("echo closed during ping-pong");
                }

                got += n;
            }

            return Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1000.0;
        }

        /// <summary>The value at quantile q of sorted samples.</summary>
        public static double Quantile(double[] sorted, double q)
        {
            int index = (int)Math.Ceiling(q * sorted.Length) - 1;
            return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
        }

        public static double Median(List<double> values)
        {
            double[] sorted = values.ToArray();
            Array.Sort(sorted);
            int n = sorted.Length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        /// <summary>
        /// A client of 127.0.0.1:<paramref name="port"/> whose reads and writes wait as long as
        /// they take, not bound before it connects: the connection-rate loops open thousands a
        /// second, and only an unbound connect may reuse a source port in TIME_WAIT.
        /// </summary>
        public static Socket Connect(int port)
        {
            return Loopback.Client(port, null, 0);
        }
    }
}
