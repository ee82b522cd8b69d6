using System;
using System.Diagnostics;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;

namespace Pigeon.Bench
{
    /// <summary>
    /// Load through a relay that terminates TLS (Pigeon's terminateTls, HAProxy's bind ... ssl):
    /// full handshakes per second, and bulk transfer through the TLS.
    /// </summary>
    public static class TlsLoad
    {
        /// <summary>
        /// Connection cycles of <paramref name="clients"/> threads: connect, a full TLS handshake
        /// (resumption off, so every cycle pays the key exchange and the signature), a chat
        /// opening ("WA" 6 5: Pigeon tells it from a prober's HTTP by its third byte) echoed back,
        /// close. Returns cycles per second.
        /// </summary>
        public static double Handshakes(int port, int clients, double seconds, out long failures)
        {
            return Load.Cycles(clients, seconds, out failures, () =>
            {
                byte[] opening = { (byte)'W', (byte)'A', 6, 5 };
                using SslStream tls = Open(port);
                tls.Write(opening);
                return ReadAll(tls, opening);
            });
        }

        private static bool ReadAll(SslStream tls, byte[] buffer)
        {
            int got = 0;
            while (got < buffer.Length)
            {
                int n = tls.Read(buffer, got, buffer.Length - got);
                if (n <= 0)
                {
                    return false;
                }

                got += n;
            }

            return true;
        }

        /// <summary>One TLS stream of 64 KB writes into the relay; Gbit/s of plaintext the discard sink behind it received, and the relay's CPU per GB.</summary>
        public static double Throughput(int port, Sink sink, double seconds, Relay relay, out double cpuSecondsPerGB)
        {
            bool stop = false;
            using SslStream tls = Open(port);
            Thread writer = new Thread(() =>
            {
                byte[] chunk = new byte[65536];
                chunk.AsSpan().Fill(0x06);
                try
                {
                    // A chat client's opening first: inside the TLS Pigeon relays only that (anything
                    // else is a prober's and gets the web site's 400).
                    tls.Write(new byte[] { (byte)'W', (byte)'A', 6, 5 });
                    while (!Volatile.Read(ref stop))
                    {
                        tls.Write(chunk);
                    }
                }
                catch (Exception e) when (e is IOException || e is ObjectDisposedException)
                {
                }
            }) { IsBackground = true };
            writer.Start();
            Thread.Sleep(500);
            long before = sink.Received;
            double cpuBefore = relay.CpuSeconds();
            Stopwatch watch = Stopwatch.StartNew();
            Thread.Sleep(TimeSpan.FromSeconds(seconds));
            long after = sink.Received;
            double cpuAfter = relay.CpuSeconds();
            double elapsed = watch.Elapsed.TotalSeconds;
            Volatile.Write(ref stop, true);
            tls.Close();
            writer.Join(5000);
            cpuSecondsPerGB = after == before ? double.NaN : (cpuAfter - cpuBefore) / ((after - before) / 1e9);
            return (after - before) * 8.0 / elapsed / 1e9;
        }

        /// <summary>A TLS 1.3 client connection to 127.0.0.1:<paramref name="port"/>, handshake done (the idle TLS rows).</summary>
        public static async System.Threading.Tasks.Task<SslStream> OpenAsync(int port)
        {
            Socket socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port)).ConfigureAwait(false);
            SslStream tls = new SslStream(new NetworkStream(socket, true), false);
            await tls.AuthenticateAsClientAsync(ClientOptions()).ConfigureAwait(false);
            return tls;
        }

        private static SslStream Open(int port)
        {
            Socket socket = Load.Connect(port);
            SslStream tls = new SslStream(new NetworkStream(socket, true), false);
            tls.AuthenticateAsClient(ClientOptions());
            return tls;
        }

        private static SslClientAuthenticationOptions ClientOptions()
        {
            return new SslClientAuthenticationOptions
            {
                TargetHost = "bench.example",
                RemoteCertificateValidationCallback = (a, b, c, d) => true,
                AllowTlsResume = false, // a full handshake each time, as a new phone would
                EnabledSslProtocols = SslProtocols.Tls13,
            };
        }
    }
}
