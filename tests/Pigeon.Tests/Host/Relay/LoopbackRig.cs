using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using Pigeon.Config;
using Pigeon.Host;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Sockets;
using Pigeon.Pumps.Events;
using Pigeon.Pumps.Threaded;

namespace Pigeon.Tests.Host.Relay
{
    /// <summary>Helpers for relay tests on 127.0.0.1: free ports, a relay, servers and clients.</summary>
    internal static class LoopbackRig
    {
        private static X509Certificate2 s_certificate;

        public static int FreePort()
        {
            using Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return ((IPEndPoint)s.LocalEndPoint).Port;
        }

        public static RelayConfig Config(int maxSessions = 4, int bufferBytes = 16384)
        {
            RelayConfig c = ConfigDefaults.Relay(false);
            c.MaxSessions = maxSessions;
            c.BufferBytes = bufferBytes;
            c.Routes = new RouteConfig[0];
            return c;
        }

        public static RouteConfig Plain(int listenPort, int upstreamPort, bool proxy = false, string upstream = "127.0.0.1", string fallback = "")
        {
            RouteConfig r = ConfigDefaults.NewRoute();
            r.Name = "chat-" + listenPort; // names must differ (the validator)
            r.ListenAddress = "127.0.0.1";
            r.ListenPort = listenPort;
            r.UpstreamHost = upstream;
            r.UpstreamPort = upstreamPort;
            r.FallbackHost = fallback;
            r.ProxyProtocol = proxy;
            return r;
        }

        public static RouteConfig Sni(int listenPort, int upstreamPort, params string[] allowed)
        {
            RouteConfig r = ConfigDefaults.NewRoute();
            r.Name = "media-" + listenPort;
            r.ListenAddress = "127.0.0.1";
            r.ListenPort = listenPort;
            r.UpstreamHost = "127.0.0.1";
            r.UpstreamPort = upstreamPort;
            r.AllowedSni = allowed.Length == 0 ? ConfigDefaults.MediaAllowedSni() : allowed;
            return r;
        }

        /// <summary>
        /// The relay of <paramref name="pump"/> (HostApp.CreateRelay): the host's "events" (on Linux
        /// its own epoll loops and OpenSSL), "events-portable" (the same pump over .NET sockets, as
        /// on every other OS), "events-sslstream" (the Linux loops with SslStream, as where OpenSSL
        /// cannot be bound), or the board's "threads".
        /// </summary>
        public static RelayServer CreateRelay(string pump, RelayConfig config, IResolver resolver = null, IClock clock = null)
        {
            bool portable = pump == "events-portable";
            bool sslStream = pump == "events-sslstream";
            RelayServer relay = HostApp.CreateRelay(config, portable || sslStream ? "events" : pump, resolver ?? new HostResolver(), clock ?? new HostClock(), new NullLog());
            if (relay is EventRelay events)
            {
                events.UsesEpoll &= !portable;
                events.UsesOpenSsl = !sslStream;
            }

            return relay;
        }

        /// <summary>Starts a relay with the host's pump "events" (or "events-portable") or the board's "threads".</summary>
        public static RelayServer StartRelay(string pump, RelayConfig config, IResolver resolver = null, IClock clock = null)
        {
            RelayServer relay = CreateRelay(pump, config, resolver, clock);
            relay.Start();
            for (int i = 0; i < relay.RouteCount; i++)
            {
                if (!relay.GetListener(i).IsListening)
                {
                    throw new InvalidOperationException("route did not listen: " + relay.GetListener(i).Error);
                }
            }

            return relay;
        }

        /// <summary>Starts a relay whose terminateTls routes present <paramref name="identity"/>.</summary>
        public static RelayServer StartRelay(string pump, RelayConfig config, Pigeon.Host.Tls.TlsIdentity identity, IResolver resolver = null)
        {
            return StartRelay(pump, config, new Pigeon.Host.Tls.CertificateStore(identity), resolver);
        }

        /// <summary>Starts a relay whose terminateTls routes present what <paramref name="certificates"/> chooses.</summary>
        public static RelayServer StartRelay(string pump, RelayConfig config, Pigeon.Host.Tls.CertificateStore certificates, IResolver resolver = null)
        {
            RelayServer relay = CreateRelay(pump, config, resolver);
            if (relay is EventRelay events)
            {
                events.Certificates = certificates;
            }
            else
            {
                ((ThreadedRelay)relay).Tls = new Pigeon.Host.Tls.TlsServer(certificates);
            }

            relay.Start();
            for (int i = 0; i < relay.RouteCount; i++)
            {
                if (!relay.GetListener(i).IsListening)
                {
                    throw new InvalidOperationException("route did not listen: " + relay.GetListener(i).Error);
                }
            }

            return relay;
        }

        /// <summary>A folder of its own under the temp directory (deleted by the caller).</summary>
        public static string TempFolder()
        {
            string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pigeon-test-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(path);
            return path;
        }

        public static Socket Connect(int port)
        {
            Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.NoDelay = true;
            s.ReceiveTimeout = 10000;
            s.SendTimeout = 10000;
            s.Connect(new IPEndPoint(IPAddress.Loopback, port));
            return s;
        }

        public static TcpListener Listen(int port = 0, int backlog = 16)
        {
            TcpListener l = new TcpListener(IPAddress.Loopback, port);
            l.Start(backlog);
            return l;
        }

        public static int PortOf(TcpListener l) => ((IPEndPoint)l.LocalEndpoint).Port;

        /// <summary>True when the peer closed (FIN or reset) within the time.</summary>
        public static bool ClosedWithin(Socket s, int ms)
        {
            s.ReceiveTimeout = ms;
            byte[] b = new byte[4096];
            DateTime end = DateTime.UtcNow.AddMilliseconds(ms);
            try
            {
                while (DateTime.UtcNow < end)
                {
                    int n = s.Receive(b);
                    if (n == 0)
                    {
                        return true;
                    }
                }
            }
            catch (SocketException e)
            {
                return e.SocketErrorCode != SocketError.TimedOut && e.SocketErrorCode != SocketError.WouldBlock;
            }

            return false;
        }

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

        /// <summary>Writes <paramref name="count"/> deterministic bytes and returns their SHA-256.</summary>
        public static byte[] SendPattern(Stream s, int count, int seed)
        {
            using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] chunk = new byte[64 * 1024];
            new Random(seed).NextBytes(chunk);
            int sent = 0;
            while (sent < count)
            {
                int n = Math.Min(chunk.Length, count - sent);
                chunk[0] = (byte)(sent >> 16); // vary the chunks so reordering would show
                s.Write(chunk, 0, n);
                hash.AppendData(chunk, 0, n);
                sent += n;
            }

            s.Flush();
            return hash.GetHashAndReset();
        }

        /// <summary>Reads exactly <paramref name="count"/> bytes and returns their SHA-256.</summary>
        public static byte[] ReceiveHash(Stream s, int count)
        {
            using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] buffer = new byte[64 * 1024];
            int got = 0;
            while (got < count)
            {
                int n = s.Read(buffer, 0, Math.Min(buffer.Length, count - got));
                if (n == 0)
                {
                    throw new EndOfStreamException("closed after " + got + " bytes");
                }

                hash.AppendData(buffer, 0, n);
                got += n;
            }

            return hash.GetHashAndReset();
        }

        public static X509Certificate2 Certificate()
        {
            if (s_certificate == null)
            {
                using RSA rsa = RSA.Create(2048);
                CertificateRequest req = new CertificateRequest("CN=whatsapp.net", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                SubjectAlternativeNameBuilder san = new SubjectAlternativeNameBuilder();
                san.AddDnsName("whatsapp.net");
                san.AddDnsName("*.whatsapp.net");
                req.CertificateExtensions.Add(san.Build());
                using X509Certificate2 cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
                s_certificate = X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
            }

            return s_certificate;
        }

        /// <summary>A TLS client over a connected socket (accepts the test's self-signed certificate).</summary>
        public static SslStream TlsClient(Socket s, string sni)
        {
            SslStream ssl = new SslStream(new NetworkStream(s, ownsSocket: true), false);
            ssl.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = sni, RemoteCertificateValidationCallback = (a, b, c, d) => true });
            return ssl;
        }

        public static SslStream TlsServer(Socket s)
        {
            SslStream ssl = new SslStream(new NetworkStream(s, ownsSocket: true), false);
            ssl.AuthenticateAsServer(Certificate(), false, false);
            return ssl;
        }

        public static bool WaitUntil(Func<bool> condition, int ms)
        {
            DateTime end = DateTime.UtcNow.AddMilliseconds(ms);
            while (DateTime.UtcNow < end)
            {
                if (condition())
                {
                    return true;
                }

                Thread.Sleep(20);
            }

            return condition();
        }

        private sealed class NullLog : ILog
        {
            public void Info(string message) { }
            public void Warn(string message) { }
        }
    }

    /// <summary>Resolves names from a table; everything else fails.</summary>
    internal sealed class TableResolver : IResolver
    {
        private readonly Dictionary<string, uint> _table = new Dictionary<string, uint>(StringComparer.OrdinalIgnoreCase);
        public int Calls;

        public TableResolver Add(string name, uint address)
        {
            _table[name] = address;
            return this;
        }

        public bool TryResolve(string host, out uint ipv4)
        {
            Interlocked.Increment(ref Calls);
            return _table.TryGetValue(host, out ipv4);
        }
    }

    /// <summary>
    /// Stops a test's relay, then its upstream listener, when the test method ends: a using
    /// declaration in place of a try/finally around the whole test.
    /// </summary>
    internal sealed class RelayStop : IDisposable
    {
        private readonly RelayServer _relay;
        private readonly System.Net.Sockets.TcpListener _upstream;

        public RelayStop(RelayServer relay, System.Net.Sockets.TcpListener upstream)
        {
            _relay = relay;
            _upstream = upstream;
        }

        public void Dispose()
        {
            _relay.Stop();
            _upstream.Stop();
        }
    }
}
